# -*- coding: utf-8 -*-
"""iis_binding: every kind of bad input, refused before the binding changes (issue 14, section 1).

One row per kind: the task's options -> a fragment of the message -> the payloads allowed to run first
(none for anything the options alone decide; the read payloads where the refusal needs the host's
bindings or store). After each row IIS's bindings, the http.sys mappings and the stores are as before.
"""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.iis_binding import ActionModule
from tests.support.action_harness import run_action
from tests.support.pki import IDN_ASCII, IDN_UNICODE
from tests.support.unchanged import host_state, writes
from tests.support.windows.certstore import entry_for
from tests.support.windows.iis import add_site, iis_state, map_sslcert
from tests.support.windows.host import FakeWindowsHost

READS = ('iis_bindings_read', 'ecert_store_read')


@pytest.fixture
def host(pki):
    fake = FakeWindowsHost()
    for name in ('standard', 'idn', 'expiring'):
        fake.stores['My'].append(entry_for(pki.leaves[name].cert, pki.leaves[name].key))
    add_site(fake, 'Default Web Site', [('https', '*:443:', 0)])
    add_site(fake, 'Intranet', [('https', '*:443:intranet.example.hk', 0)])   # non-SNI, shares 0.0.0.0:443
    add_site(fake, 'www', [('http', '*:80:www.example.hk', 0)])
    map_sslcert(fake, 'ipport', '0.0.0.0:443', pki.leaves['expiring'].thumbprint)
    return fake


@pytest.fixture
def not_pem(tmp_path):
    path = tmp_path / 'trust.txt'
    path.write_text('these are not certificates\n')
    return str(path)


GOOD = {'site': 'www', 'host_header': 'www.example.hk', 'certificate_common_name': 'www.example.hk'}

# id, options changed from GOOD (None removes one), message fragment, payloads allowed before the refusal.
TABLE = [
    ('ip not an address (999.1.2.3)', {'ip': '999.1.2.3'},
     r'ip "999\.1\.2\.3" is not an IP address; give an IPv4 address .*"\[2001:db8::10\]"\) or "\*"', ()),
    ('ip a host name', {'ip': 'web1'}, r'ip "web1" is not an IP address', ()),
    ('ip IPv6 without brackets', {'ip': '2001:db8::10'},
     r'ip "2001:db8::10" is an IPv6 address without brackets; .*write it as "\[2001:db8::10\]"', ()),
    ('ip brackets around a non-address', {'ip': '[zz::1]'}, r'ip "\[zz::1\]" is not an IPv6 address in brackets', ()),
    ('ip brackets around IPv4', {'ip': '[192.0.2.1]'}, r'ip "\[192\.0\.2\.1\]" is not an IPv6 address in brackets', ()),
    ('host_header with a space', {'host_header': 'www example.hk'}, r'host_header "www example\.hk" contains a space', ()),
    ('host_header label over 63', {'host_header': 'x' * 70 + '.example.hk'}, r'host_header .* is 70 characters long; the limit is 63', ()),
    ('host_header with an underscore', {'host_header': 'my_site.example.hk'},
     r'host_header .*"my_site" may hold only letters, digits and inner hyphens', ()),
    ('host_header mixed-script look-alike', {'host_header': 'www.exаmple.hk'},
     r'host_header "www\.exаmple\.hk": the label "exаmple" \(A-label xn--exmple-4nf\) mixes scripts \(Cyrillic', ()),
    ('host_header "*" not leftmost', {'host_header': 'www.*.example.hk'}, r'"\*" is allowed only as the whole leftmost label', ()),
    ('host_header empty label', {'host_header': 'www..example.hk'}, r'host_header "www\.\.example\.hk" has an empty label', ()),
    ('certificate_common_name with a space', {'certificate_common_name': 'www example.hk'},
     r'certificate_common_name "www example\.hk" contains a space', ()),
    ('certificate_thumbprint not hex', {'certificate_common_name': None, 'certificate_thumbprint': 'not-a-thumbprint'},
     r'certificate_thumbprint "not-a-thumbprint" is not a SHA-1 thumbprint', ()),
    ('both thumbprint and common name', {'certificate_thumbprint': 'A' * 40},
     r'parameters are mutually exclusive: certificate_thumbprint\|certificate_common_name', ()),
    ('neither thumbprint nor common name', {'certificate_common_name': None},
     r'state is present but any of the following are missing: certificate_thumbprint, certificate_common_name', ()),
    ('port out of range', {'port': 70000}, r'port 70000 is out of range; give 1-65535', ()),
    ('port zero', {'port': 0}, r'port 0 is out of range', ()),
    ('port not a number', {'port': 'https'}, r"argument 'port' is of type str .*unable to convert to int", ()),
    ('sni without host_header', {'host_header': '', 'sni': True, 'site': 'Default Web Site'},
     r'sni: true needs a host_header', ()),
    ('certificate_store not a server store', {'certificate_store': 'Root'},
     r'value of certificate_store must be one of: My, WebHosting, got: Root', ()),
    ('verify with verify_timeout 0', {'verify': True, 'verify_timeout': 0},
     r'verify_timeout is 0(\.0)?; give the seconds to wait for the TLS handshake, more than 0', ()),
    ('verify with a negative verify_timeout', {'verify': True, 'verify_timeout': -5}, r'verify_timeout is -5', ()),
    ('verify with verify_timeout not a number', {'verify': True, 'verify_timeout': 'soon'},
     r"argument 'verify_timeout' is of type str .*unable to convert to float", ()),
    ('verify with a missing verify_trust file', {'verify': True, 'verify_trust': '/nonexistent/roots.pem'},
     r'verify_trust=/nonexistent/roots\.pem: no such file on the controller; give bundled, system.*Nothing was changed', ()),
    ('verify with a verify_trust that is not PEM', {'verify': True, 'verify_trust': 'NOT_PEM'},
     r'verify_trust file .*trust\.txt: not a certificate', ()),
    ('verify with a verify_address that is not a host', {'verify': True, 'verify_address': 'web 1'},
     r'verify_address "web 1" contains a space', ()),
    ('site that does not exist', {'site': 'Nope'}, r'IIS site "Nope" does not exist on this host', READS),
    ('certificate that does not serve the host header', {'host_header': 'other.example.hk'},
     r'does not serve the host header "other\.example\.hk"', READS),
    ('shared non-SNI *:443 without shared_ok', {'site': 'Default Web Site', 'host_header': '', 'sni': False},
     r'refusing to change the certificate of the non-SNI binding .*shared by site\(s\) .*set shared_ok: true', READS),
]


@pytest.mark.parametrize('change,fragment,reads', [row[1:] for row in TABLE], ids=[row[0] for row in TABLE])
def test_bad_input_is_refused_before_the_binding_changes(host, not_pem, change, fragment, reads):
    options = dict(GOOD)
    for key, value in change.items():
        if value is None:
            options.pop(key, None)
        else:
            options[key] = not_pem if value == 'NOT_PEM' else value
    before = host_state(host)
    with pytest.raises(AnsibleActionFail, match=fragment):
        run_action(ActionModule, options, host=host)
    assert writes(host) == [] and host.call_names() == list(reads[:len(host.call_names())])
    if not reads:
        assert host.calls == [], 'refused before any payload'
    assert host_state(host) == before


def test_the_table_would_see_a_change(host):
    """Control row: GOOD itself binds (so an unchanged host in the table means a refusal)."""
    before = host_state(host)
    result = run_action(ActionModule, dict(GOOD), host=host)
    assert result['changed'] and writes(host) and host_state(host) != before


def test_a_unicode_host_header_is_bound_by_its_a_label(pki, host):
    """Handled, not refused: IIS and http.sys match the A-label, so that is what is written, and the result says so."""
    result = run_action(ActionModule, {'site': 'www', 'host_header': IDN_UNICODE,
                                       'certificate_common_name': IDN_UNICODE}, host=host)
    assert result['host_header_converted'] == {'given': IDN_UNICODE, 'a_label': IDN_ASCII}
    assert result['after']['host'] == IDN_ASCII and result['certificate']['sha1'] == pki.leaves['idn'].thumbprint
    assert iis_state(host)['sslcert']['hostnameport']['%s:443' % IDN_ASCII]['thumbprint'] == pki.leaves['idn'].thumbprint
    www = next(site for site in iis_state(host)['sites'] if site['name'] == 'www')
    assert [b['binding_information'] for b in www['bindings'] if b['protocol'] == 'https'] == ['*:443:%s' % IDN_ASCII]


def test_a_bracketed_ipv6_binding_is_written_bracketed(host):
    result = run_action(ActionModule, dict(GOOD, ip='[2001:DB8:0::10]'), host=host)
    assert result['after']['ip'] == '[2001:db8::10]'
