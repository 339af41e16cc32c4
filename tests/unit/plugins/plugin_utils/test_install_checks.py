# -*- coding: utf-8 -*-
"""plugin_utils/_install_checks: the options every installing module checks the same way before the host changes
(issue 21, mutation survivors) - a backup needs a password and a directory that can hold files; verify needs a
timeout above 0, an address that is an IP or a host name, and trust that loads."""

from __future__ import annotations

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.plugin_utils._install_checks import (
    check_backup_options, check_verify_options)


@pytest.mark.parametrize('password', [None, ''])
def test_a_backup_without_a_password_is_refused_naming_the_option(tmp_path, password):
    with pytest.raises(HkpostError, match='^password is empty; a PFX backup without a password'):
        check_backup_options(str(tmp_path), password, dir_option='dest', password_option='password')


def test_a_backup_directory_that_is_a_file_is_refused_and_none_is_not_checked(tmp_path):
    afile = tmp_path / 'file'
    afile.write_text('x')
    with pytest.raises(HkpostError, match='^backup_dir: .* is a file on the controller'):
        check_backup_options(str(afile), 'pw')
    check_backup_options(None, 'pw')
    check_backup_options(str(tmp_path / 'new'), 'pw')


@pytest.mark.parametrize('timeout', [0, -1, 0.0])
def test_verify_timeout_must_be_above_zero(timeout):
    with pytest.raises(HkpostError, match='^verify_timeout is'):
        check_verify_options(timeout, None, 'bundled')


@pytest.mark.parametrize('address', [None, '', '192.0.2.5', '[2001:db8::1]', '2001:db8::1', ' web1.example.hk '])
def test_verify_address_may_be_an_ip_or_a_host_name(address):
    check_verify_options(0.5, address, 'bundled')


def test_verify_address_that_is_no_host_name_is_refused():
    with pytest.raises(HkpostError, match='verify_address'):
        check_verify_options(10, 'web 1!', 'bundled')


def test_verify_trust_that_does_not_load_is_refused_naming_verify_trust(tmp_path):
    with pytest.raises(HkpostError, match='^verify_trust=.*no such file on the controller.* Nothing was changed\\.$'):
        check_verify_options(10, None, str(tmp_path / 'missing.pem'))
