# -*- coding: utf-8 -*-
"""Make ``ansible_collections.hkpost.ecert`` importable from this checkout, the way ansible-test does.

``collections/ansible_collections/hkpost/ecert`` is a symlink to the repository root, so the
tests import exactly the code in this working tree.
"""

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLLECTIONS = os.path.join(ROOT, 'collections')
sys.path.insert(0, ROOT)
sys.path.insert(0, COLLECTIONS)

from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder  # noqa: E402

_AnsibleCollectionFinder(paths=[COLLECTIONS])._install()

from tests.support.pki import build_pki  # noqa: E402


@pytest.fixture(scope='session')
def pki():
    return build_pki()


@pytest.fixture(scope='session')
def real_certs():
    from ansible_collections.hkpost.ecert.plugins.module_utils.pki._hierarchy import shipped
    return {name: shipped(name) for name in ('root_ca_3', 'ssl_ca_3_17_new', 'ssl_ca_3_17_old', 'globalsign_root_r3')}
