# -*- coding: utf-8 -*-
"""Text that reaches certreq's INF file: control characters refused first, quotes and % escaped (issue 10).

The fake certreq reads the INF the SetupAPI way (tests/support/windows/request.py parse_inf): a line
break ends a line, "" is a quote inside a quoted value, %% a percent sign, %name% a substitution.
"""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail
from cryptography import x509
from cryptography.x509.oid import NameOID

from ansible_collections.hkpost.ecert.plugins.action.hkpost_csr import ActionModule
from tests.support.action_harness import run_action
from tests.support.windows import request as _request_handlers  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows.host import FakeWindowsHost

BASE = {'common_name': 'www.example.com.hk', 'organization': 'Example Company Limited'}


def run(host, **extra):
    return run_action(ActionModule, dict(BASE, **extra), host=host, action_name='hkpost.ecert.hkpost_csr')


@pytest.mark.parametrize('option, value', [
    ('organization', 'Example Company Limited\nExportable = FALSE'),
    ('organization', 'Example\r\n[Extensions]\r\n2.5.29.17 = "{text}"'),
    ('organizational_unit', 'IT\x00Dept'),
    ('friendly_name', 'e-Cert\u2028renewal'),
    ('locality', 'Hong\tKong'),
])
def test_control_characters_are_refused_before_any_payload_runs(option, value):
    host = FakeWindowsHost()
    with pytest.raises(AnsibleActionFail, match='%s holds the control character' % option):
        run(host, **{option: value})
    assert host.calls == []
    assert host.stores['REQUEST'] == []


def test_quotes_and_percent_signs_reach_the_csr_unchanged(tmp_path):
    host = FakeWindowsHost()
    organization = 'Fifty %Off% "Best" Trading Co., Ltd.'
    csr_path = tmp_path / 'www.csr'
    run(host, organization=organization, organizational_unit='100% IT', friendly_name='e-Cert "www" %DATE%',
        csr_path=str(csr_path))
    csr = x509.load_pem_x509_csr(csr_path.read_bytes())
    assert csr.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == organization
    assert csr.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)[0].value == '100% IT'
    pending = host.stores['REQUEST'][0]
    assert pending['friendly_name'] == 'e-Cert "www" %DATE%'
    assert pending['exportable'] is True
