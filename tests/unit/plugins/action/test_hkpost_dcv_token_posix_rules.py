# -*- coding: utf-8 -*-
"""hkpost_dcv_token on a POSIX web server (issue 21 mutation run): the file it writes, replaces, leaves and removes,
the modules it runs there, and the temporary directory it uses.

The target is this machine's file system under tmp_path, reached through stand-ins for the three modules the plugin
runs (ansible.builtin.stat / file / copy), each doing what the real module does with the arguments it is given, and
for ActionBase's temporary-directory calls.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import stat

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.hkpost.ecert.plugins.action.hkpost_dcv_token import ActionModule
from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _dns
from tests.support.action_harness import make_action
from tests.unit.plugins.action.test_hkpost_dcv_token import CODE, args

OTHER = 'HKP-0000000000ff'
TMP = '/home/deploy/.ansible/tmp/ansible-tmp-1-1'


class PosixTarget:
    """A POSIX host's file system (rooted at ``root``) as the plugin's modules and ActionBase see it."""

    def __init__(self, root, fail=None):
        self.root, self.fail = str(root), fail or {}
        self.modules, self.events = [], []
        self.transferred, self.readable = {}, set()

    def path(self, name):
        return os.path.join(self.root, name.lstrip('/'))

    def write(self, name, text):
        os.makedirs(os.path.dirname(self.path(name)), exist_ok=True)
        with open(self.path(name), 'w') as f:
            f.write(text)

    def read(self, name):
        if not os.path.exists(self.path(name)):
            return None
        with open(self.path(name)) as f:
            return f.read()

    def execute_module(self, module_name=None, module_args=None, task_vars=None, **_kwargs):
        self.modules.append((module_name, dict(module_args)))
        if module_name in self.fail:
            return dict(self.fail[module_name], failed=True)
        real = self.path(module_args.get('path') or module_args.get('dest'))
        if module_name == 'ansible.builtin.stat':
            # ansible/modules/stat.py: os.stat with follow, else os.lstat; a checksum only for a readable
            # regular file and only with get_checksum.
            try:
                st = os.stat(real) if module_args.get('follow') else os.lstat(real)
            except FileNotFoundError:
                return {'stat': {'exists': False}}
            out = {'exists': True, 'isreg': stat.S_ISREG(st.st_mode), 'islnk': stat.S_ISLNK(st.st_mode)}
            if out['isreg'] and module_args.get('get_checksum', True):
                assert module_args.get('checksum_algorithm') == 'sha1'
                with open(real, 'rb') as f:
                    out['checksum'] = hashlib.sha1(f.read()).hexdigest()
            return {'stat': out}
        if module_name == 'ansible.builtin.file':
            if module_args['state'] == 'directory':
                os.makedirs(real, exist_ok=True)
            elif os.path.lexists(real):
                os.remove(real)
            return {'changed': True}
        if module_name == 'ansible.builtin.copy':
            src = module_args['src']
            # The module runs as the become user: it reads src only once _fixup_perms2 made it readable
            # (ActionBase._fixup_perms2), and the parent directory must exist (copy does not create it).
            assert src in self.readable, 'copy ran before _fixup_perms2 made its source readable'
            assert os.path.isdir(os.path.dirname(real)), 'copy into a directory that does not exist'
            with open(real, 'w') as f:
                f.write(self.transferred[src])
            return {'changed': True}
        raise AssertionError('unexpected module %s' % module_name)

    def attach(self, plugin):
        shell = plugin._connection._shell
        shell.tmpdir = None
        shell.join_path = posixpath.join

        def make_tmp_path(*_a, **_k):
            self.events.append(('mkdtemp', TMP))
            shell.tmpdir = TMP
            return TMP

        def transfer_data(path, data):
            self.events.append(('transfer', path))
            self.transferred[path] = data

        def fixup_perms2(paths, *_a, **_k):
            assert all(p == TMP or p in self.transferred for p in paths), 'chmod of a file not yet transferred'
            self.readable.update(paths)

        def remove_tmp_path(path, *_a, **_k):
            # ActionBase._remove_tmp_path: None means the shell's tmpdir; with none made there is nothing to remove.
            path = path or shell.tmpdir
            if path:
                self.events.append(('remove', path))
                shell.tmpdir = None

        plugin._execute_module = self.execute_module
        plugin._make_tmp_path = make_tmp_path
        plugin._transfer_data = transfer_data
        plugin._fixup_perms2 = fixup_perms2
        plugin._remove_tmp_path = remove_tmp_path


@pytest.fixture
def target(tmp_path):
    return PosixTarget(tmp_path)


def run(target, check_mode=False, diff=False, **kwargs):
    kwargs.setdefault('webroot', '/srv/www')
    plugin = make_action(ActionModule, args(**kwargs), check_mode=check_mode, diff=diff, shell_family='sh',
                         action_name='hkpost.ecert.hkpost_dcv_token')
    target.attach(plugin)
    return plugin.run(task_vars={'inventory_hostname': 'web1'})


FILE = '/srv/www/.well-known/pki-validation/fileauth.txt'


def modules(target):
    return [m for m, _a in target.modules]


def test_posix_writes_the_code_once_per_file_and_cleans_its_temporary_directory(target):
    result = run(target, domains=['www.example.com', 'shop.example.com'])
    assert target.read(FILE) == CODE
    assert modules(target) == ['ansible.builtin.stat', 'ansible.builtin.file', 'ansible.builtin.copy']
    assert target.modules[0][1] == {'path': FILE, 'get_checksum': True, 'checksum_algorithm': 'sha1', 'follow': True}
    assert target.modules[2][1]['mode'] == '0644'
    assert target.events == [('mkdtemp', TMP), ('transfer', TMP + '/fileauth.txt'), ('remove', TMP)]
    assert result['changed'] is True and [d['changed'] for d in result['domains']] == [True, True]
    assert [d['published'] for d in result['domains']] == [
        [{'host': 'web1', 'path': FILE, 'url_path': '/.well-known/pki-validation/fileauth.txt'}]] * 2
    assert 'diff' not in result and 'needs_fresh_validation' not in result


def test_posix_two_web_roots_share_one_temporary_directory(target):
    run(target, domains=['www.example.com', 'shop.example.com'],
        webroot={'www.example.com': '/srv/www', 'shop.example.com': '/srv/shop'})
    assert target.read(FILE) == CODE and target.read('/srv/shop/.well-known/pki-validation/fileauth.txt') == CODE
    assert [e[0] for e in target.events] == ['mkdtemp', 'transfer', 'transfer', 'remove']


def test_posix_with_the_code_in_place_changes_nothing_and_makes_no_temporary_directory(target):
    target.write(FILE, CODE)
    result = run(target)
    assert result['changed'] is False and modules(target) == ['ansible.builtin.stat'] and target.events == []


def test_posix_a_symlinked_file_holding_the_code_is_the_code_in_place(target):
    target.write('/srv/shared/fileauth.txt', CODE)
    os.makedirs(os.path.dirname(target.path(FILE)))
    os.symlink(target.path('/srv/shared/fileauth.txt'), target.path(FILE))
    assert run(target)['changed'] is False and modules(target) == ['ansible.builtin.stat']


def test_posix_another_code_is_replaced(target):
    target.write(FILE, OTHER)
    result = run(target)
    assert result['changed'] is True and target.read(FILE) == CODE


def test_posix_check_mode_reads_only_and_says_it_would_write(target):
    result = run(target, check_mode=True)
    assert result['changed'] is True and modules(target) == ['ansible.builtin.stat'] and target.read(FILE) is None
    assert result['verified'] is None


def test_posix_absent_removes_only_our_code(target):
    target.write(FILE, CODE)
    result = run(target, state='absent', check_mode=True)
    assert result['changed'] is True and target.read(FILE) == CODE
    result = run(target, state='absent')
    assert result['changed'] is True and target.read(FILE) is None and 'warnings' not in result
    assert modules(target)[-2:] == ['ansible.builtin.stat', 'ansible.builtin.file']
    assert target.modules[-1][1] == {'path': FILE, 'state': 'absent'}
    result = run(target, state='absent')
    assert result['changed'] is False and modules(target)[-1] == 'ansible.builtin.stat' and 'warnings' not in result
    assert target.events == []


def test_posix_absent_leaves_another_code_and_warns(target):
    target.write(FILE, OTHER)
    result = run(target, state='absent')
    assert result['changed'] is False and target.read(FILE) == OTHER
    assert result['warnings'] == ['%s holds another code; left in place' % FILE]


@pytest.mark.parametrize('answer, message', [
    ({'msg': 'Permission denied'}, 'ansible.builtin.copy on web1 failed: Permission denied'),
    ({}, r'ansible.builtin.copy on web1 failed: no message \(rerun with -vvv'),
])
def test_posix_a_failed_module_fails_the_task_with_its_message_and_the_temporary_directory_is_removed(
        tmp_path, answer, message):
    target = PosixTarget(tmp_path, fail={'ansible.builtin.copy': answer})
    with pytest.raises(AnsibleActionFail, match=message):
        run(target)
    assert target.events[-1] == ('remove', TMP)


def test_posix_dns_needs_no_webroot(target, monkeypatch):
    updates = []
    monkeypatch.setattr(_dns, 'DNS_IMPORT_ERROR', None)
    monkeypatch.setattr(_dns, 'find_zone', lambda *a, **k: 'example.com')
    monkeypatch.setattr(_dns, 'read_txt', lambda *a, **k: ([], None, 0, True))
    monkeypatch.setattr(_dns, 'update_txt', lambda *a, **k: updates.append(a))
    result = run(target, method='dns', dns_server='192.0.2.53', webroot=None)
    assert result['changed'] is True and len(updates) == 1 and target.modules == []


def test_posix_file_with_an_empty_webroot_is_refused_before_the_host_is_asked(target):
    for webroot in ('', {}):
        with pytest.raises(AnsibleActionFail, match='method file on a POSIX host needs webroot'):
            run(target, webroot=webroot)
    assert target.modules == []
