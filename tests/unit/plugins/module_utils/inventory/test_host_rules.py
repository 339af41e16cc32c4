# -*- coding: utf-8 -*-
"""One host's inventory (inventory/_host.host_inventory) from hand-made payload answers: which consumer uses which
certificate, what is dangling, what each source said, how an entry is described (issue 21)."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import serialization

from ansible_collections.hkpost.ecert.plugins.module_utils.inventory._host import host_inventory


@pytest.fixture(scope='module')
def leaf(pki):
    issued = pki.issue_leaf('www.example.hk')
    return {'thumbprint': issued.thumbprint, 'has_private_key': True,
            'der': base64.b64encode(issued.cert.public_bytes(serialization.Encoding.DER)).decode('ascii')}


def _entry(leaf, **extra):
    return dict(leaf, **extra)


def _by_store(result):
    return {c['store']: c for c in result['certificates']}


def test_an_entry_is_described_with_its_key_and_a_normalised_thumbprint(leaf):
    spaced = ' '.join(leaf['thumbprint'][i:i + 2].lower() for i in range(0, 40, 2))
    result = host_inventory({'stores': {'My': [_entry(leaf, thumbprint=spaced, friendly_name=None, archived=1,
                                                      key={'provider': 'P', 'storage': 'CNG', 'exportable': False,
                                                           'error': None}), 'junk'],
                                        'WebHosting': [_entry(leaf, thumbprint='-', key='odd', has_private_key=0)]}},
                            'web1')
    my = _by_store(result)['My']
    assert my['thumbprint'] == leaf['thumbprint'] and my['friendly_name'] == '' and my['archived'] is True
    assert (my['key_provider'], my['key_storage'], my['exportable']) == ('P', 'CNG', False)
    assert my['subject_cn'] == 'www.example.hk' and my['sha256'] and my['not_after']
    hosting = _by_store(result)['WebHosting']
    assert hosting['thumbprint'] is None and hosting['key_provider'] is None and hosting['has_private_key'] is False
    assert len(result['certificates']) == 2


def test_unreadable_bytes_are_listed_with_the_reason(leaf):
    result = host_inventory({'stores': {'My': [_entry(leaf, der='bm90IGEgY2VydA==')]}}, 'web1')
    (cert,) = result['certificates']
    assert cert['error'].startswith('the certificate bytes could not be read')
    assert cert['sha256'] is None and cert['is_ca'] is False and cert['role'] == 'other' and cert['dns_names'] == []
    # nothing unread is counted as a Hongkong Post certificate of either generation
    assert cert['is_hkpost'] is False and cert['generation'] is None


def test_the_friendly_name_windows_shows_is_kept(leaf):
    result = host_inventory({'stores': {'My': [_entry(leaf, friendly_name='www 2026')]}}, 'web1')
    assert result['certificates'][0]['friendly_name'] == 'www 2026'


def _iis(bindings, ipport=(), hostnameport=(), present=True):
    return {'present': present, 'sites': [{'name': 'S', 'bindings': [
        {'binding_information': info, 'ssl_flags': flags} for info, flags in bindings]}],
        'sslcert': {'ipport': [{'endpoint': e, 'thumbprint': t, 'store': s} for e, t, s in ipport],
                    'hostnameport': [{'endpoint': e, 'thumbprint': t, 'store': s} for e, t, s in hostnameport]}}


def test_iis_bindings_meet_their_http_sys_mappings(leaf):
    tp = leaf['thumbprint']
    iis = _iis([('*:443:www.example.hk', 1), ('*:8443:', 0), ('10.0.0.5:9443:', 0), (':7443:', 0),
                ('*:443:ccs.example.hk', 3)],
               ipport=[('0.0.0.0:8443', tp.lower(), 'MY'), ('10.0.0.5:9443', tp, 'My'), ('0.0.0.0:7443', tp, None)],
               hostnameport=[('WWW.example.hk:443', tp, 'My')])
    result = host_inventory({'stores': {'My': [leaf]}, 'iis': iis}, 'web1')
    consumers = {c['name']: c for c in result['consumers']}
    sni = consumers['IIS site "S" binding *:443:www.example.hk']
    assert (sni['endpoint'], sni['ports'], sni['server_name'], sni['thumbprint']) == (
        'hostnameport=www.example.hk:443', [443], 'www.example.hk', tp)
    ip = consumers['IIS site "S" binding *:8443:']
    assert (ip['endpoint'], ip['ports'], ip['server_name'], ip['thumbprint']) == ('ipport=0.0.0.0:8443', [8443], None, tp)
    assert consumers['IIS site "S" binding 10.0.0.5:9443:']['endpoint'] == 'ipport=10.0.0.5:9443'
    assert consumers['IIS site "S" binding :7443:']['endpoint'] == 'ipport=0.0.0.0:7443'
    ccs = consumers['IIS site "S" binding *:443:ccs.example.hk (Centralized Certificate Store)']
    assert ccs['thumbprint'] is None
    assert not any(c['kind'] == 'http.sys' for c in result['consumers'])
    assert result['dangling'] == []
    assert len(_by_store(result)['My']['consumers']) == 4


def test_an_ipv6_binding_meets_its_http_sys_mapping(leaf):
    # IIS keeps an IPv6 address in brackets, "[2001:db8::10]:443:", and http.sys keys the mapping "[2001:db8::10]:443"
    # (install/_iis_binding.py writes both so): the binding is the mapping's consumer, not a binding without a
    # certificate next to an http.sys mapping no binding explains.
    tp = leaf['thumbprint']
    iis = _iis([('[2001:db8::10]:443:', 0), ('[2001:db8::10]:8443:www.example.hk', 1)],
               ipport=[('[2001:db8::10]:443', tp, 'My')], hostnameport=[('www.example.hk:8443', tp, 'My')])
    result = host_inventory({'stores': {'My': [leaf]}, 'iis': iis}, 'web1')
    assert [(c['kind'], c['endpoint'], c['ports'], c['server_name'], c['thumbprint']) for c in result['consumers']] == [
        ('iis', 'ipport=[2001:db8::10]:443', [443], None, tp),
        ('iis', 'hostnameport=www.example.hk:8443', [8443], 'www.example.hk', tp)]
    assert result['dangling'] == [] and len(result['certificates'][0]['consumers']) == 2


def test_an_iis_binding_whose_mapping_is_gone_names_no_certificate_and_does_not_dangle(leaf):
    result = host_inventory({'stores': {'My': [leaf]}, 'iis': _iis([('*:443:', 0)])}, 'web1')
    (binding,) = result['consumers']
    assert (binding['kind'], binding['endpoint'], binding['thumbprint'], binding['store']) == (
        'iis', 'ipport=0.0.0.0:443', None, None)
    assert result['dangling'] == [] and result['certificates'][0]['consumers'] == []


def test_an_iis_binding_uses_the_certificate_in_the_store_its_mapping_names(leaf):
    iis = _iis([('*:443:', 0)], ipport=[('0.0.0.0:443', leaf['thumbprint'], 'WebHosting')])
    result = host_inventory({'stores': {'My': [leaf], 'WebHosting': [leaf]}, 'iis': iis}, 'web1')
    stores = _by_store(result)
    assert [c['name'] for c in stores['WebHosting']['consumers']] == ['IIS site "S" binding *:443:']
    assert stores['My']['consumers'] == []


def test_a_mapping_no_binding_explains_is_its_own_consumer_and_one_pointing_nowhere_dangles(leaf):
    iis = _iis([], ipport=[('0.0.0.0:8443', leaf['thumbprint'], 'My'), ('0.0.0.0:9443', 'AB' * 20, 'My')],
               hostnameport=[('api.example.hk:443', leaf['thumbprint'], None)], present=False)
    result = host_inventory({'stores': {'My': [leaf]}, 'iis': iis}, 'web1')
    assert [c['name'] for c in result['consumers']] == ['http.sys mapping hostnameport=api.example.hk:443',
                                                        'http.sys mapping ipport=0.0.0.0:8443',
                                                        'http.sys mapping ipport=0.0.0.0:9443']
    assert result['consumers'][0]['server_name'] == 'api.example.hk' and result['consumers'][0]['ports'] == [443]
    (dangling,) = result['dangling']
    assert dangling['thumbprint'] == 'AB' * 20 and dangling['reason'] == 'points at a certificate this host does not hold'
    assert result['sources']['iis'] == 'not installed (http.sys mappings read)'


def test_a_consumer_uses_the_store_its_mapping_names_else_any_personal_store(leaf):
    iis = _iis([], ipport=[('0.0.0.0:443', leaf['thumbprint'], 'webhosting'), ('0.0.0.0:444', leaf['thumbprint'], 'Nope')])
    result = host_inventory({'stores': {'My': [leaf], 'WebHosting': [leaf], 'CA': [leaf]}, 'iis': iis}, 'web1')
    stores = _by_store(result)
    assert [c['name'] for c in stores['WebHosting']['consumers']] == ['http.sys mapping ipport=0.0.0.0:443',
                                                                      'http.sys mapping ipport=0.0.0.0:444']
    assert [c['name'] for c in stores['My']['consumers']] == ['http.sys mapping ipport=0.0.0.0:444']
    assert stores['CA']['consumers'] == [] and result['dangling'] == []
    assert set(stores['My']['consumers'][0]) == {'kind', 'name', 'ports', 'server_name'}


def test_a_certificate_only_in_a_ca_store_leaves_its_consumer_dangling(leaf):
    rdp = {'listeners': [{'terminal_name': 'RDP-Tcp', 'thumbprint': leaf['thumbprint']}]}
    result = host_inventory({'stores': {'CA': [leaf]}, 'rdp': rdp}, 'web1')
    assert [d['kind'] for d in result['dangling']] == ['rdp']


def test_exchange_services_give_the_ports_and_none_means_no_consumer(leaf):
    tp = leaf['thumbprint']
    exchange = {'known': True, 'certificates': [{'thumbprint': tp, 'services': 'IIS, SMTP'},
                                                {'thumbprint': tp, 'services': None},
                                                {'thumbprint': tp, 'services': 'None'},
                                                {'thumbprint': tp, 'services': ' '},
                                                {'thumbprint': tp, 'services': 'POP,IMAP,Federation'}]}
    result = host_inventory({'stores': {'My': [leaf]}, 'exchange': exchange}, 'web1')
    assert [(c['name'], c['ports']) for c in result['consumers']] == [
        ('Exchange services IIS, SMTP', [25, 443, 587]), ('Exchange (services unknown)', []),
        ('Exchange services POP,IMAP,Federation', [110, 143, 993, 995])]
    assert result['sources']['exchange'] == 'read'


def test_rdp_winrm_gateway_and_sql_consumers(leaf):
    tp = leaf['thumbprint']
    answer = {'stores': {'My': [leaf]},
              'rdp': {'listeners': [{'terminal_name': 'RDP-Tcp', 'thumbprint': tp.lower()},
                                    {'terminal_name': 'Other', 'thumbprint': ''}]},
              'winrm': {'listeners': [{'transport': 'https', 'port': '5986', 'address': '*', 'hostname': 'web1.corp',
                                       'thumbprint': tp},
                                      {'transport': 'HTTPS', 'port': None, 'address': '*', 'thumbprint': tp},
                                      {'transport': 'HTTP', 'port': '5985', 'address': '*', 'thumbprint': tp}]},
              'rd_gateway': {'installed': True, 'thumbprint': tp},
              'sql': {'instances': [{'name': 'MSSQLSERVER', 'id': 'MSSQL16', 'thumbprint': tp.lower()},
                                    {'name': 'SELF', 'id': 'MSSQL15', 'thumbprint': ''}]}}
    result = host_inventory(answer, 'web1')
    assert [(c['kind'], c['name'], c['ports']) for c in result['consumers']] == [
        ('rdp', 'RDP listener RDP-Tcp', []),
        ('winrm', 'WinRM HTTPS listener port 5986 (address *, hostname web1.corp)', [5986]),
        ('winrm', 'WinRM HTTPS listener port None (address *)', []),
        ('rd_gateway', 'RD Gateway', [443]),
        ('sql', 'SQL Server instance MSSQLSERVER (MSSQL16)', [])]
    assert all(c['thumbprint'] == tp for c in result['consumers']) and result['dangling'] == []
    assert result['sources'] == {'iis': 'not installed (http.sys mappings read)', 'exchange': 'not asked',
                                 'rdp': 'read', 'winrm': 'read', 'rd_gateway': 'read', 'sql': 'read'}
    gone = host_inventory(dict(answer, rd_gateway={'installed': False, 'thumbprint': tp}), 'web1')
    assert 'rd_gateway' not in [c['kind'] for c in gone['consumers']]
    unset = host_inventory(dict(answer, rd_gateway={'installed': True, 'thumbprint': ''}), 'web1')
    assert 'rd_gateway' not in [c['kind'] for c in unset['consumers']]


def test_a_source_with_no_certificate_set_is_no_consumer_and_nothing_dangles(leaf):
    # as the payload answers them (host_consumers.ps1): RD Gateway's thumbprint stays $null while CertHash is empty,
    # an RDP listener's SSLCertificateSHA1Hash may be null, a WinRM listener without CertificateThumbprint
    answer = {'stores': {'My': [leaf]},
              'rdp': {'listeners': [{'terminal_name': 'RDP-Tcp', 'thumbprint': None}], 'error': None},
              'winrm': {'listeners': [{'transport': 'HTTPS', 'port': '5986', 'address': '*', 'thumbprint': None}],
                        'error': None},
              'rd_gateway': {'installed': True, 'thumbprint': None, 'error': None},
              'sql': {'instances': [{'name': 'MSSQLSERVER', 'id': 'MSSQL16', 'thumbprint': ''}], 'error': None}}
    result = host_inventory(answer, 'web1')
    assert [(c['kind'], c['thumbprint']) for c in result['consumers']] == [('winrm', None)]
    assert result['dangling'] == [] and result['certificates'][0]['consumers'] == []


def test_sources_say_read_absent_or_the_error():
    result = host_inventory({'iis': {'present': True}, 'exchange': {'error': 'no session', 'known': True},
                             'rdp': {'error': 'denied'}, 'winrm': None, 'rd_gateway': {'installed': False},
                             'sql': {'instances': []}, 'os_build': 20348}, 'web1')
    assert result['sources'] == {'iis': 'read', 'exchange': 'error: no session', 'rdp': 'error: denied',
                                 'winrm': 'read', 'rd_gateway': 'not installed', 'sql': 'not installed'}
    assert result['host'] == 'web1' and result['os_build'] == 20348 and result['certificates'] == []
