# -*- coding: utf-8 -*-
"""install/_exchange_hop's rules (issue 21, mutation survivors): Basic with an account is no refusal, a CredSSP
declaration over a CredSSP connection holds, and a connection that names no authentication is described as such."""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils.install._exchange_hop import check_exchange_session
from tests.unit.plugins.module_utils.install.test_exchange_hop import CREDENTIALS, options, winrm


def test_basic_to_exchange_with_an_account_is_the_credentials_way():
    decided = check_exchange_session(options(authentication='Basic', **CREDENTIALS), winrm('ntlm'), 'ex1')
    assert decided['second_hop'] == 'credentials'


def test_credssp_declared_over_a_credssp_connection_holds():
    assert check_exchange_session(options(second_hop='credssp'), winrm('credssp'), 'ex1')['second_hop'] == 'credssp'


@pytest.mark.parametrize('declared,fragment', [
    ('credssp', r'the winrm connection authenticates with its default; set ansible_winrm_transport: credssp'),
    ('auto', r'the winrm connection \(default authentication\) does not delegate'),
])
def test_a_connection_naming_no_authentication_is_called_its_default(declared, fragment):
    with pytest.raises(HkpostError, match=fragment):
        check_exchange_session(options(second_hop=declared), winrm(), 'ex1')
