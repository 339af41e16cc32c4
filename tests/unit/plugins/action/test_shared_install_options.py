# -*- coding: utf-8 -*-
"""The options the installing modules share are refused alike, before the host is contacted (issue 21).

One rule, one implementation (plugin_utils/_install_checks.py): a backup password YAML turned into a number, an
empty one, a backup directory that is a file, verify_timeout 0 or a verify_trust file that is not there - each
module that takes the option refuses it with the same words and runs no payload at all. These were fixed in one
module and not its twin (hkpost_pfx refused the numeric password, hkpost_install and hkpost_retire took it as
"261715"; hkpost_install completed the request and wrote the binding before an empty password failed the export).
"""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_install import ActionModule as Install
from ansible_collections.hkpost.ecert.plugins.action.hkpost_pfx import ActionModule as Pfx
from ansible_collections.hkpost.ecert.plugins.action.hkpost_retire import ActionModule as Retire
from ansible_collections.hkpost.ecert.plugins.action.iis_binding import ActionModule as Binding
from tests.support.action_harness import run_action
from tests.support.windows import pfx as _fake_pfx  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows import retire as _fake_retire  # noqa: F401  # pylint: disable=unused-import
from tests.support.windows.host import FakeWindowsHost

PASSWORD = 'Shared-Options-7c1d'


def base(module, pki, tmp_path):
    leaf = pki.leaves['standard']
    if module is Install:
        return {'certificates': [{'content': leaf.pem, 'iis_bindings': [{'site': 'S', 'host_header': 'www.example.hk'}]}],
                'verify': True, 'backup_dir': str(tmp_path / 'backup'), 'backup_password': PASSWORD}
    if module is Retire:
        return {'backup': True, 'backup_dir': str(tmp_path / 'backup'), 'backup_password': PASSWORD}
    if module is Pfx:
        return {'thumbprint': leaf.thumbprint, 'dest': str(tmp_path / 'backup'), 'password': PASSWORD}
    return {'site': 'S', 'host_header': 'www.example.hk', 'certificate_thumbprint': leaf.thumbprint, 'verify': True}


PASSWORD_OPTION = {Install: 'backup_password', Retire: 'backup_password', Pfx: 'password'}
DIR_OPTION = {Install: 'backup_dir', Retire: 'backup_dir', Pfx: 'dest'}


def _cases():
    for module in (Install, Retire, Pfx):
        password, directory = PASSWORD_OPTION[module], DIR_OPTION[module]
        # 0777123 unquoted in YAML 1.1 is the octal number 261715: the type refuses any number.
        yield module, lambda tmp, o=password: {o: 777123}, r'is of type int .*unquoted 0123456'
        yield module, lambda tmp, o=password: {o: ''}, r'%s is empty; a PFX backup without a password' % password
        yield module, lambda tmp, o=directory: {o: str(tmp / 'a-file')}, \
            r'%s: .*a-file is a file on the controller, not a directory' % directory
    for module in (Install, Binding):
        yield module, lambda tmp: {'verify_timeout': 0}, r'verify_timeout is 0(\.0)?; give the seconds'
        yield module, lambda tmp: {'verify_trust': str(tmp / 'missing.pem')}, r'verify_trust.*missing\.pem'


CASES = list(_cases())


@pytest.mark.parametrize('module, change, message', CASES,
                         ids=['%s-%d' % (m.__module__.rsplit('.', 1)[-1], i) for i, (m, _c, _m) in enumerate(CASES)])
def test_refused_alike_before_any_payload(pki, tmp_path, module, change, message):
    (tmp_path / 'a-file').write_text('not a directory')
    host = FakeWindowsHost()
    arguments = dict(base(module, pki, tmp_path), **change(tmp_path))
    with pytest.raises(AnsibleActionFail, match=message):
        run_action(module, arguments, host=host, task_vars={'inventory_hostname': 'web1'})
    assert host.call_names() == []
    assert not (tmp_path / 'backup').exists()


@pytest.mark.parametrize('port', ['https', 'four-four-three', 44.3, True])
def test_an_iis_binding_port_that_is_not_a_number_is_refused_before_the_host_is_read(pki, tmp_path, port):
    host = FakeWindowsHost()
    arguments = base(Install, pki, tmp_path)
    arguments['certificates'][0]['iis_bindings'][0]['port'] = port
    with pytest.raises(AnsibleActionFail, match=r"binding on site 'S': port .* is not a port number; give the https "
                                                r"port as a number \(443\)"):
        run_action(Install, arguments, host=host, task_vars={'inventory_hostname': 'web1'})
    assert host.call_names() == []
