# -*- coding: utf-8 -*-
"""install/_record's rules (issue 21, mutation survivors): a certificate without a common name is named by its
thumbprint, else "?"; results that are no mapping, or none at all, install nothing; kept may be thumbprints."""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils.install._record import install_record

WWW = {'common_name': 'www.example.hk', 'thumbprint': 'AA'}


@pytest.mark.parametrize('waiting,named', [([{'thumbprint': 'BB'}], 'BB'), ([{}], '?'),
                                           ([{'common_name': '', 'thumbprint': 'BB'}], 'BB')])
def test_a_certificate_without_a_common_name_is_named_by_its_thumbprint_else_a_question_mark(waiting, named):
    assert install_record([], [], waiting=waiting)['detail'] == 'no certificate in the intake folder yet for %s' % named


@pytest.mark.parametrize('results,detail', [(None, 'already installed www.example.hk'),
                                            ([None, 'skipped', {'changed': True}], 'installed www.example.hk')])
def test_results_that_are_no_mapping_or_none_count_as_unchanged(results, detail):
    assert install_record([WWW], results)['detail'] == detail


def test_kept_may_be_thumbprints_or_results():
    row = install_record([WWW], [{'changed': False}], retire={'kept': ['CC', {'thumbprint': 'DD'}]})
    assert row['detail'] == 'already installed www.example.hk; kept CC, DD'
