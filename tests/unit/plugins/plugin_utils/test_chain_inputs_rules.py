# -*- coding: utf-8 -*-
"""plugin_utils/_chain_inputs rules the mutation run (issue 21) found no test pinning: the options' bounds, the
snapshot of a host that answered nothing for a store, and how a stopped chain write is told."""

from __future__ import annotations

import base64

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.plugin_utils import _chain_inputs


def _args(**extra):
    return dict({name: spec.get('default') for name, spec in _chain_inputs.ARGUMENT_SPEC.items()}, **extra)


def test_warn_days_zero_and_timeout_one_are_the_bounds_accepted():
    _chain_inputs.check_options(_args(warn_days=0, download_timeout=1))
    with pytest.raises(HkpostError, match='warn_days is -1'):
        _chain_inputs.check_options(_args(warn_days=-1))
    with pytest.raises(HkpostError, match='chain.download_timeout is 0'):
        _chain_inputs.check_options(_args(download_timeout=0), 'chain.')


@pytest.mark.parametrize('url', ['ftp://www1.ecert.gov.hk/x.crt', 'http://', 'www1.ecert.gov.hk/x.crt', 443])
def test_a_download_url_must_be_http_with_a_host(url):
    with pytest.raises(HkpostError, match='download_urls.arl: .* is not an http'):
        _chain_inputs.check_options(_args(download_urls={'arl': url}))


def test_http_and_https_download_urls_are_accepted():
    _chain_inputs.check_options(_args(download_urls={'arl': 'http://mirror.example/a.crl',
                                                     'cross_certificate': 'https://mirror.example/x.crt'}))


def test_a_snapshot_of_stores_the_host_left_out_is_empty_not_an_error():
    der = base64.b64encode(b'\x30\x03\x02\x01\x01').decode()
    found = _chain_inputs.snapshot(None, None, None)
    assert found == {'CA': [], 'Root': [], 'Disallowed': [], 'crls': [], 'keyed': []}
    found = _chain_inputs.snapshot({'CA': [der], 'Root': None}, [der], [{'store': 'My', 'der': der}])
    assert found['CA'] == [b'\x30\x03\x02\x01\x01'] and found['Root'] == [] and found['Disallowed'] == []
    assert found['crls'] == [b'\x30\x03\x02\x01\x01'] and found['keyed'] == [{'store': 'My', 'der': b'\x30\x03\x02\x01\x01'}]


def _plan(count):
    steps = [{'op': 'add_cert', 'store': 'CA', 'thumbprint': 'T%d' % i, 'subject': 's', 'reason': 'r', 'der': b'\x01'}
             for i in range(count)]
    return {'steps': steps, 'removed': [], 'added': [], 'disallowed': [], 'leaves': [], 'warnings': [],
            'before': {}, 'after': {}}


def test_outcome_changed_only_with_steps_and_never_carries_der():
    assert _chain_inputs.outcome(_plan(0))['changed'] is False
    result = _chain_inputs.outcome(_plan(2))
    assert result['changed'] is True and all('der' not in s for s in result['plan'])
    assert [s['der'] for s in _chain_inputs.sent_steps(_plan(2))] == ['AQ==', 'AQ==']


def test_applied_in_plan_order_and_a_failure_names_the_step_what_ran_and_what_did_not():
    result = _chain_inputs.outcome(_plan(3))
    assert _chain_inputs.applied(result, [1, 0], None) is None
    assert [s['thumbprint'] for s in result['applied']] == ['T0', 'T1'] and 'not_applied' not in result
    result = _chain_inputs.outcome(_plan(3))
    message = _chain_inputs.applied(result, [0], {'index': 1, 'error': 'Access is denied.'})
    assert message == ('the chain write stopped at step 2 (add_cert T1 in CA): Access is denied. Applied: add_cert T0. '
                       'Not applied: add_cert T1, add_cert T2.')
    result = _chain_inputs.outcome(_plan(2))
    message = _chain_inputs.applied(result, None, {'index': 0})
    assert message == ('the chain write stopped at step 1 (add_cert T0 in CA): failed. Applied: nothing. '
                       'Not applied: add_cert T0, add_cert T1.')
    assert result['applied'] == []


class _Fetched:
    def __init__(self, data):
        self._data = data

    def read(self):
        return self._data


def test_download_fetches_ev_cross_and_arl_from_the_official_urls_unless_overridden_never_ssl(monkeypatch):
    """The SSL intermediate is shipped with the collection: ``download`` never fetches it; a key without a
    download_urls entry is fetched from Hongkong Post's published URL."""
    fetched = []

    def fake_open_url(url, timeout=None, validate_certs=None):
        fetched.append((url, timeout, validate_certs))
        return _Fetched(b'bytes')
    monkeypatch.setattr(_chain_inputs, 'open_url', fake_open_url)
    args = _args(download=True, download_timeout=7, download_urls={'arl': 'https://mirror.example/a.crl'})
    assert _chain_inputs._source(None, args, 'ssl_intermediate_file', 'ssl_intermediate') == (None, None)
    assert fetched == []
    where, data = _chain_inputs._source(None, args, 'ev_intermediate_file', 'ev_intermediate')
    assert data == b'bytes' and where == 'download of %s' % _chain_inputs.OFFICIAL_URLS['ev_intermediate']
    where, _data = _chain_inputs._source(None, args, 'arl_file', 'arl')
    assert where == 'download of https://mirror.example/a.crl'
    assert fetched == [(_chain_inputs.OFFICIAL_URLS['ev_intermediate'], 7, True), ('https://mirror.example/a.crl', 7, True)]
    assert _chain_inputs._source(None, _args(), 'arl_file', 'arl') == (None, None)  # download false: nothing fetched
    assert len(fetched) == 2
