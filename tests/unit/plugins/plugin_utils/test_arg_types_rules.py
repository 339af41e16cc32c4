# -*- coding: utf-8 -*-
"""quoted_text's rules (issue 21, mutation survivors of plugin_utils/_arg_types): what the refusal says each YAML
kind became, and that a vaulted secret is taken as its text."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail
from ansible.parsing.vault import EncryptedString, VaultLib, VaultSecret, VaultSecretsContext
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from ansible_collections.hkpost.ecert.plugins.action.hkpost_pfx import ActionModule
from tests.support.action_harness import run_action
from tests.support.windows import pfx as _fake_pfx  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows.host import FakeWindowsHost


def export(tmp_path, password):
    host = FakeWindowsHost()
    args = {'state': 'exported', 'thumbprint': 'A' * 40, 'dest': str(tmp_path / 'out'), 'password': password}
    return host, lambda: run_action(ActionModule, args, host=host, check_mode=True)


@pytest.mark.parametrize('value, kind, said', [
    (1.5, 'float', 'a number: YAML reads unquoted digits with a dot or an exponent as a float.'),
    (['Pfx', 'pass'], 'list', 'a list, not one piece of text.'),
    # "password:" with nothing after it: a required option's null goes to the type (ansible-core parameters.py
    # _validate_argument_types skips None only for options that are not required)
    (None, 'NoneType', 'nothing (null): YAML reads a key with nothing after it as null.'),
])
def test_a_password_that_yaml_did_not_read_as_text_is_refused_naming_what_it_became(tmp_path, value, kind, said):
    host, run = export(tmp_path, value)
    with pytest.raises(AnsibleActionFail) as failed:
        run()
    message = str(failed.value)
    assert "argument 'password' is of type %s" % kind in message
    assert 'the value is %s Quote it where it is written' % said in message, message
    assert not host.calls


def test_a_vaulted_password_is_taken_as_the_text_it_decrypts_to(pki, tmp_path, monkeypatch):
    plain = 'Pfx-Vaulted-7c1e'
    secret = [('default', VaultSecret(b'vault-pass-mutctl4'))]
    monkeypatch.setattr(VaultSecretsContext, '_current', VaultSecretsContext(secret))
    leaf = pki.leaves['standard']
    src = tmp_path / 'www.pfx'
    src.write_bytes(pkcs12.serialize_key_and_certificates(b'www', leaf.key, leaf.cert, None,
                                                          serialization.BestAvailableEncryption(plain.encode())))
    vaulted = EncryptedString(ciphertext=VaultLib(secret).encrypt(plain).decode())
    result = run_action(ActionModule, {'state': 'imported', 'src': str(src), 'password': vaulted},
                        host=FakeWindowsHost(), check_mode=True)
    # the PFX opened on the controller with the decrypted text: the restore is planned
    assert result['changed'] is True
    assert result['thumbprint'] == leaf.thumbprint


def test_a_value_of_another_kind_is_named_as_such_not_as_null():
    # a date (unquoted 2026-12-07) is refused by ansible-core before the type sees it; a caller of the type itself
    # (another plugin's argument spec) still gets the value's kind, never the null sentence
    import datetime
    from ansible_collections.hkpost.ecert.plugins.plugin_utils._arg_types import quoted_text
    with pytest.raises(TypeError, match=r'the value is a value of another kind, not text\. Quote it'):
        quoted_text(datetime.date(2026, 12, 7))
