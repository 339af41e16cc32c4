# -*- coding: utf-8 -*-
"""The audit's advice says what the collection's playbooks do, and only that (issue 22).

migrate_intermediate.yml (hkpost_chain) adds and removes certificates in the stores; it restarts no site,
binding or service. Advice that names it must leave the restart to the operator, in so many words.
"""

from __future__ import annotations

import glob
import os

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.audit._actions import action_for

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))))


@pytest.mark.parametrize('code, role', [('old_intermediate', 'leaf'), ('missing_intermediate', 'leaf'),
                                        ('expired', 'intermediate')])
def test_advice_naming_the_migration_does_not_say_it_restarts(code, role):
    text = action_for(code, role=role, days=3, issuer='Hongkong Post e-Cert SSL CA 3 - 17')
    assert 'migrate_intermediate.yml' in text
    assert 'does all three' not in text and 'restart the binding' not in text, text
    assert 'then restart the site or service' in text   # the restart is the operator's, said as such


def test_the_migration_really_restarts_nothing():
    """The premise of the advice: nothing the migration runs restarts or rebinds anything."""
    sources = [os.path.join(ROOT, 'roles', 'chain', 'tasks', 'main.yml'), os.path.join(ROOT, 'plugins', 'action', 'hkpost_chain.py')]
    sources += glob.glob(os.path.join(ROOT, 'plugins', 'payloads', 'chain', '*'))
    for path in sources:
        with open(path, encoding='utf-8') as handle:
            text = handle.read().lower()
        for word in ('restart-', 'iisreset', 'restart-service', 'stop-service', 'netsh http'):
            assert word not in text, (path, word)
