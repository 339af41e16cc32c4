# -*- coding: utf-8 -*-
import re

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.request._subject import (
    csr_request, normalize_name, to_unicode, windows_subject)

BASE = {'common_name': 'www.example.com.hk', 'organization': 'Example Company Limited'}


@pytest.mark.parametrize('name, ctype, expected', [
    ('www.example.com.hk', 'standard', 'www.example.com.hk'),
    ('WWW.Example.COM.hk.', 'standard', 'www.example.com.hk'),
    ('*.example.com.hk', 'wildcard', '*.example.com.hk'),
    ('香港郵政.hk', 'standard', 'xn--5bvv2rbn4a0hh.hk'),
    ('郵件。香港郵政.hk', 'ev', 'xn--5nqv22n.xn--5bvv2rbn4a0hh.hk'),
])
def test_valid_names(name, ctype, expected):
    assert normalize_name(name, ctype) == expected


@pytest.mark.parametrize('name, ctype, fault', [
    ('www example.com', 'standard', 'contains a space'),
    ('www..example.com', 'standard', 'empty label'),
    ('a' * 64 + '.example.com', 'standard', 'limit is 63'),
    (('a' * 60 + '.') * 5 + 'hk', 'standard', 'limit is 253'),
    ('my_host.example.com', 'standard', 'underscore'),
    ('*.example.com', 'standard', 'only allowed for certificate_type wildcard'),
    ('www.example.com', 'wildcard', 'whole leftmost label'),
    ('w*.example.com', 'wildcard', 'whole leftmost label'),
    ('*.*.example.com', 'wildcard', 'only the leftmost label'),
    ('-bad.example.com', 'standard', 'inner hyphens'),
    ('', 'standard', 'empty'),
])
def test_invalid_names_name_the_fault(name, ctype, fault):
    with pytest.raises(HkpostError, match=fault):
        normalize_name(name, ctype)


def test_subject_order_and_defaults():
    req = csr_request(dict(BASE, organizational_unit='IT'))
    assert req['subject'] == [('C', 'HK'), ('ST', 'Hong Kong'), ('L', 'Hong Kong'), ('O', 'Example Company Limited'),
                              ('OU', 'IT'), ('CN', 'www.example.com.hk')]
    assert req['sans'] == ['www.example.com.hk'] and req['key_size'] == 2048 and not req['warnings']


def test_multi_domain_carries_no_sans_and_says_so():
    req = csr_request(dict(BASE, certificate_type='multi_domain', subject_alt_names=['a.example.com.hk']))
    assert req['sans'] == []
    assert 'adds the other names' in req['warnings'][0]


def test_large_key_warns_quoting_the_guide():
    assert 'incompatible with some browsers' in csr_request(dict(BASE, key_size=4096))['warnings'][0]


@pytest.mark.parametrize('extra, message', [
    ({'key_size': 1024}, 'not secure'), ({'key_size': 2500}, 'must be one of'), ({'country': 'US'}, 'HK'),
    ({'organization': ''}, 'organization is required'), ({'state_or_province': 'HK'}, 'abbreviation'),
])
def test_refusals(extra, message):
    with pytest.raises(HkpostError, match=message):
        csr_request(dict(BASE, **extra))


def test_unicode_idn_mode_keeps_the_chinese_cn_and_ascii_sans():
    req = csr_request(dict(BASE, common_name='香港郵政.hk', idn='unicode'))
    assert req['common_name'] == '香港郵政.hk' and req['sans'] == ['xn--5bvv2rbn4a0hh.hk']
    assert to_unicode('xn--5bvv2rbn4a0hh.hk') == '香港郵政.hk'


def test_windows_subject_quotes_separators():
    req = csr_request(dict(BASE, organization='Example, "HK" Ltd'))
    assert windows_subject(req['subject']) == \
        'CN=www.example.com.hk, O="Example, ""HK"" Ltd", L=Hong Kong, S=Hong Kong, C=HK'


# ---- issue 14: edits the tests above did not catch ---------------------------------------------------

@pytest.mark.parametrize('name, fault', [
    ('*foo.example.com', 'must be the whole leftmost label'),
    ('*.hk', 'not a fully qualified server name'),
    ('*.*.example.com', 'only the leftmost label'),
    ('www.*.example.com', 'must be the whole leftmost label'),
])
def test_wildcard_misuse_refused_not_rewritten(name, fault):
    with pytest.raises(HkpostError, match='common_name "%s"' % re.escape(name)) as err:
        normalize_name(name, 'wildcard')
    assert fault in str(err.value)


def test_shortest_valid_wildcard_and_name():
    assert normalize_name('*.example.hk', 'wildcard') == '*.example.hk'
    assert normalize_name('example.hk', 'standard') == 'example.hk'
    with pytest.raises(HkpostError, match='not a fully qualified'):
        normalize_name('localhost', 'standard')
    assert normalize_name('a' * 63 + '.hk') == 'a' * 63 + '.hk'
    long_name = ('a' * 62 + '.') * 3 + 'a' * 61 + '.hk'  # 253 characters exactly
    assert len(long_name) == 253 and normalize_name(long_name) == long_name


@pytest.mark.parametrize('name, expected', [
    ('ＷＷＷ．ＥＸＡＭＰＬＥ．ＨＫ', 'www.example.hk'),            # full-width Latin and the full-width dot
    ('ＷＷＷ.香港郵政.hk', 'www.xn--5bvv2rbn4a0hh.hk'),
    ('BÜCHER.example.hk', 'xn--bcher-kva.example.hk'),              # upper-case U-label: UTS-46 maps, not refused
    ('香港郵政｡hk', 'xn--5bvv2rbn4a0hh.hk'),                       # half-width ideographic full stop
])
def test_uts46_mapping_of_full_width_and_upper_case_input(name, expected):
    assert normalize_name(name, 'standard') == expected


def test_ev_multi_domain_with_sans_behaves_like_multi_domain():
    params = dict(BASE, subject_alt_names=['shop.example.com.hk', 'mail.example.com.hk'])
    multi = csr_request(dict(params, certificate_type='multi_domain'))
    ev_multi = csr_request(dict(params, certificate_type='ev_multi_domain'))
    assert multi['sans'] == ev_multi['sans'] == []
    assert multi['subject'] == ev_multi['subject']
    assert any('ev_multi_domain CSR' in w for w in ev_multi['warnings'])
    assert csr_request(dict(BASE, certificate_type='ev_multi_domain'))['warnings'] == []
    # a non-multi-domain type keeps its companion name, the CN first, without duplicates
    ev = csr_request(dict(params, certificate_type='ev', subject_alt_names=['www.example.com.hk', 'example.com.hk']))
    assert ev['sans'] == ['www.example.com.hk', 'example.com.hk']


def test_subject_order_and_key_size_rules():
    req = csr_request(dict(BASE, organizational_unit=' IT ', locality='Kowloon Bay'))
    assert req['subject'] == [('C', 'HK'), ('ST', 'Hong Kong'), ('L', 'Kowloon Bay'),
                              ('O', 'Example Company Limited'), ('OU', 'IT'), ('CN', 'www.example.com.hk')]
    assert [a for a, _v in csr_request(BASE)['subject']] == ['C', 'ST', 'L', 'O', 'CN']
    assert csr_request(dict(BASE, key_size=2048))['warnings'] == []
    assert any('RSA 2048' in w for w in csr_request(dict(BASE, key_size=3072))['warnings'])
    for bad, fragment in ((1024, 'is refused'), (2047, 'is refused'), (2049, 'must be one of')):
        with pytest.raises(HkpostError, match=fragment):
            csr_request(dict(BASE, key_size=bad))
    for value in ('HK', 'Hong Kong', 'Kln'):
        if value == 'Hong Kong':
            assert csr_request(dict(BASE, locality=value))['subject'][2] == ('L', 'Hong Kong')
        else:
            with pytest.raises(HkpostError, match='abbreviation'):
                csr_request(dict(BASE, locality=value))
    with pytest.raises(HkpostError, match='abbreviation'):
        csr_request(dict(BASE, state_or_province='KL'))
    assert csr_request(dict(BASE, country='hk'))['subject'][0] == ('C', 'HK')


# ---- a_label_host (host headers, SNI names) and the remaining edges (found by make mutation) ----------

from ansible_collections.hkpost.ecert.plugins.module_utils.pki._names import a_label_host  # noqa: E402


@pytest.mark.parametrize('name, wildcard, expected', [
    ('WWW.Example.HK.', False, 'www.example.hk'),
    ('intranet', False, 'intranet'),                       # one label is enough for a host header
    ('*.example.hk', True, '*.example.hk'),
    ('香港郵政.hk', False, 'xn--5bvv2rbn4a0hh.hk'),
    ('郵件。香港郵政.hk', False, 'xn--5nqv22n.xn--5bvv2rbn4a0hh.hk'),
    ('a' * 63 + '.hk', False, 'a' * 63 + '.hk'),
    (('a' * 62 + '.') * 3 + 'a' * 61 + '.hk', False, ('a' * 62 + '.') * 3 + 'a' * 61 + '.hk'),
])
def test_a_label_host_accepts(name, wildcard, expected):
    assert a_label_host(name, 'host_header', wildcard=wildcard) == expected


@pytest.mark.parametrize('name, wildcard, fault', [
    ('', False, 'host_header is empty'),
    ('   ', False, 'host_header is empty'),
    (None, False, 'host_header is empty'),
    ('a b.example.hk', False, 'contains a space'),
    ('a..example.hk', False, 'empty label'),
    ('.example.hk', False, 'empty label'),
    ('*.example.hk', False, '"*" is allowed only'),
    ('*.hk', True, '"*" is allowed only'),
    ('www.*.example.hk', True, '"*" is allowed only'),
    ('w*.example.hk', True, '"*" is allowed only'),
    ('a' * 64 + '.hk', False, 'limit is 63'),
    (('a' * 62 + '.') * 3 + 'a' * 62 + '.hk', False, 'limit is 253'),
    ('-bad.example.hk', False, 'letters, digits and inner hyphens'),
    ('my_host.example.hk', False, 'letters, digits and inner hyphens'),
])
def test_a_label_host_refuses(name, wildcard, fault):
    with pytest.raises(HkpostError, match='host_header') as err:
        a_label_host(name, 'host_header', wildcard=wildcard)
    assert fault in str(err.value)


def test_ip_address_and_non_text_common_names_are_refused():
    for ip in ('192.0.2.1', '[2001:db8::1]', '2001:db8::1'):
        with pytest.raises(HkpostError, match='common_name'):
            normalize_name(ip)
    with pytest.raises(HkpostError, match='is not text'):
        normalize_name(42)
    with pytest.raises(HkpostError, match='is empty'):
        normalize_name(None)
    with pytest.raises(HkpostError, match='empty label'):
        normalize_name('www.example.hk..')
    assert normalize_name(' www.example.hk ') == 'www.example.hk'


def test_label_rules_of_normalize_name():
    with pytest.raises(HkpostError, match='label "-www" may hold only'):
        normalize_name('-www.example.hk')
    with pytest.raises(HkpostError, match='contains an underscore'):
        normalize_name('a_b.example.hk')
    long_label = 'a' * 64
    with pytest.raises(HkpostError, match='is 64 characters long; the limit is 63'):
        normalize_name(long_label + '.example.hk')
    too_long = ('a' * 62 + '.') * 3 + 'a' * 62 + '.hk'
    with pytest.raises(HkpostError, match='is 254 characters long in ASCII form'):
        normalize_name(too_long)
    # subject_alt_names entries of a wildcard request need not be wildcards themselves
    assert normalize_name('example.hk', 'wildcard', 'subject_alt_names entry') == 'example.hk'
    with pytest.raises(HkpostError, match='not a fully qualified server name \\(it needs at least one dot\\)'):
        normalize_name('localhost')
    with pytest.raises(HkpostError, match='one dot after the "\\*" label'):
        normalize_name('*.hk', 'wildcard')


def test_to_unicode_and_idn_mode():
    assert to_unicode('www.example.hk') == 'www.example.hk'
    assert to_unicode('*.xn--5bvv2rbn4a0hh.hk') == '*.香港郵政.hk'
    req = csr_request(dict(BASE, common_name='香港郵政.hk', idn='unicode'))
    assert req['common_name'] == '香港郵政.hk' and req['common_name_ascii'] == 'xn--5bvv2rbn4a0hh.hk'
    assert req['subject'][-1] == ('CN', '香港郵政.hk') and req['sans'] == ['xn--5bvv2rbn4a0hh.hk']
    assert csr_request(dict(BASE, common_name='香港郵政.hk'))['common_name'] == 'xn--5bvv2rbn4a0hh.hk'
    with pytest.raises(HkpostError, match='idn must be punycode or unicode'):
        csr_request(dict(BASE, idn='utf8'))


def test_organization_and_full_names():
    with pytest.raises(HkpostError, match='organization is required'):
        csr_request(dict(BASE, organization='  '))
    with pytest.raises(HkpostError, match='organization is required'):
        csr_request(dict(BASE, organization=None))
    assert csr_request(dict(BASE, locality='Tai'))['subject'][2] == ('L', 'Tai')   # 3 letters is a name
    with pytest.raises(HkpostError, match='abbreviation'):
        csr_request(dict(BASE, locality='TM'))


@pytest.mark.parametrize('value, expected', [
    ('Example Ltd', 'O=Example Ltd'),
    ('Example, Ltd', 'O="Example, Ltd"'),
    ('Say "hi"', 'O="Say ""hi"""'),
    (' padded', 'O=" padded"'),
    ('a+b', 'O="a+b"'),
])
def test_windows_subject_quoting(value, expected):
    assert windows_subject([('O', value)]) == expected
