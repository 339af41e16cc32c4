# -*- coding: utf-8 -*-
"""hkpost_run_check in-process, on task variables built the way ansible-playbook builds them (issues 21, 22).

The action reads ``groups`` and ``hostvars`` from its task variables. Here they come from a real inventory file
through ansible-core's own InventoryManager, VariableManager and HostVars (task_queue_manager.py creates HostVars
the same way), so a host variable is templated on read exactly as in a run - the playbook runs in
tests/integration/test_run_check_playbooks.py cover the same rules end to end, slowly.
"""

from __future__ import annotations

import pytest
import yaml
from ansible import constants as C
from ansible.errors import AnsibleActionFail
from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader
from ansible.playbook.play import Play
from ansible.vars.hostvars import HostVars
from ansible.vars.manager import VariableManager

from ansible_collections.hkpost.ecert.plugins.action import hkpost_run_check
from ansible_collections.hkpost.ecert.plugins.action.hkpost_run_check import ActionModule
from tests.support.action_harness import make_action

CERTS = [{'common_name': 'www.example.com.hk'}]
FLEET = {
    'ecert_servers': {'hosts': {'web01': {'hkpost_certificates': CERTS}, 'web02': {'hkpost_certificates': CERTS}}},
    'db': {'hosts': {'db01': {}}},
}


def _task_vars(tmp_path, inventory):
    path = tmp_path / 'inventory.yml'
    path.write_text(yaml.safe_dump(inventory))
    loader = DataLoader()
    manager = InventoryManager(loader, sources=[str(path)])
    variables = VariableManager(loader=loader, inventory=manager)
    HostVars(inventory=manager, variable_manager=variables, loader=loader)
    play = Play.load({'hosts': 'all:localhost', 'gather_facts': False}, variable_manager=variables, loader=loader)
    return variables.get_vars(play=play, host=manager.get_host('localhost'), include_hostvars=True)


def run(tmp_path, args, inventory=None):
    plugin = make_action(ActionModule, args, shell_family='sh', action_name='hkpost.ecert.hkpost_run_check')
    result = plugin.run(task_vars=_task_vars(tmp_path, FLEET if inventory is None else inventory))
    assert plugin._connection.method_calls == []   # the controller only
    return result


def refused(tmp_path, args, inventory=None):
    with pytest.raises(AnsibleActionFail) as info:
        run(tmp_path, args, inventory)
    return info.value


def test_hosts_that_say_what_they_need_pass_and_nothing_changes(tmp_path):
    result = run(tmp_path, {'pattern': 'ecert_servers'})
    assert result['changed'] is False and not result.get('failed')
    assert result['hosts'] == ['web01', 'web02']
    assert result['msg'] == '2 hosts: web01, web02'
    assert result['warnings_found'] == [] and not result.get('warnings')


def test_one_host_is_counted_in_the_singular(tmp_path):
    assert run(tmp_path, {'pattern': 'web02'})['msg'] == '1 host: web02'


def test_the_pattern_is_required(tmp_path):
    assert 'missing required arguments: pattern' in str(refused(tmp_path, {}))


@pytest.mark.parametrize('pattern, named', [
    ('web01,wbe02', 'wbe02'),               # one part of a list misspelt: web01 alone would run
    ('ecert_servers:!db02', 'db02'),        # an exclusion that excludes nothing is a typo all the same
    ('ecert_servers:&dbb', 'dbb'),
])
def test_each_part_of_the_pattern_must_match_a_host(tmp_path, pattern, named):
    error = refused(tmp_path, {'pattern': pattern})
    assert str(error).startswith("the host pattern '%s' names '%s', which matches no host of the inventory." % (
        pattern, named))


def test_several_problems_fail_once_counting_them(tmp_path):
    error = refused(tmp_path, {'pattern': 'wbe01,wbe02'})
    assert str(error).startswith("2 problems, nothing was done: the host pattern 'wbe01,wbe02' names 'wbe01', ")
    assert " | the host pattern 'wbe01,wbe02' names 'wbe02', " in str(error)


def test_the_limit_narrows_the_hosts_checked(tmp_path):
    # db01 has no certificates list, but the limit leaves it out of the run
    result = run(tmp_path, {'pattern': 'ecert_servers,db01', 'limit': 'web01'})
    assert result['hosts'] == ['web01'] and result['msg'] == '1 host: web01'


def test_a_limit_that_leaves_none_of_the_pattern_fails(tmp_path):
    error = refused(tmp_path, {'pattern': 'ecert_servers', 'limit': 'db01'})
    assert "the host pattern 'ecert_servers' within --limit 'db01' selects no host" in str(error)


def test_a_misspelt_part_of_the_limit_fails(tmp_path):
    error = refused(tmp_path, {'pattern': 'ecert_servers', 'limit': 'web01,wbe02'})
    assert str(error) == ("--limit 'web01,wbe02' names 'wbe02', which matches no host of the inventory; correct it, "
                          "or leave it out.")


@pytest.mark.parametrize('limit, hosts', [
    ('@{retry}', ['web02']),
    ('web01,@{retry}', ['web01', 'web02']),   # ansible-core reads a file anywhere in the list (InventoryManager.subset)
    ('@{retry},db01', ['web02']),
])
def test_a_limit_file_is_ansible_cores_to_read(tmp_path, limit, hosts):
    retry = tmp_path / 'install.retry'
    retry.write_text('web02\n')
    result = run(tmp_path, {'pattern': 'ecert_servers', 'limit': limit.format(retry=retry)})
    assert result['hosts'] == hosts


def test_the_other_parts_of_a_limit_with_a_file_are_still_checked(tmp_path):
    retry = tmp_path / 'install.retry'
    retry.write_text('web02\n')
    error = refused(tmp_path, {'pattern': 'ecert_servers', 'limit': '@%s,wbe01' % retry})
    assert "names 'wbe01', which matches no host" in str(error)


def test_a_host_without_its_certificates_list_fails_and_the_result_still_says_what_was_found(tmp_path):
    inventory = {'ecert_servers': {'hosts': {'web01': {'hkpost_certificate': CERTS}}}}
    error = refused(tmp_path, {'pattern': 'ecert_servers'}, inventory)
    assert str(error).startswith("host web01 has no hkpost_certificates")
    warning = ("hkpost_certificate set for web01 has no effect: no role or playbook of hkpost.ecert reads it. "
               "Did you mean 'hkpost_certificates'?")
    # RETURN documents hosts and warnings_found as returned always: a refusal carries them too
    assert error.result['hosts'] == ['web01'] and error.result['warnings_found'] == [warning]
    assert error.result['warnings'] == [warning] and error.result['changed'] is False


def test_other_variables_are_checked_by_name_never_evaluated(tmp_path):
    # a value that names a fact a later play sets cannot be templated yet: reading it would fail the check
    inventory = {'ecert_servers': {'hosts': {'web01': {'hkpost_certificates': CERTS,
                                                       'hkpost_iis_backup': '{{ backup_dir_from_a_later_play }}',
                                                       'hkpost_iis_bakup': '{{ backup_dir_from_a_later_play }}'}}}}
    result = run(tmp_path, {'pattern': 'ecert_servers'}, inventory)
    assert result['warnings_found'] == [
        "hkpost_iis_bakup set for web01 has no effect: no role or playbook of hkpost.ecert reads it. Did you mean "
        "'hkpost_iis_backup'?"]


def test_a_certificates_list_is_read_templated(tmp_path):
    inventory = {'all': {'vars': {'site_certificates': CERTS}},
                 'ecert_servers': {'hosts': {'web01': {'hkpost_iis_certificates': '{{ site_certificates }}'},
                                             'web02': {'hkpost_certificates': '{{ [] }}'}}}}
    error = refused(tmp_path, {'pattern': 'ecert_servers'}, inventory)
    assert str(error).startswith('host web02 has no hkpost_certificates')   # an empty list is no list


@pytest.mark.parametrize('failure', [OSError('No such file or directory: using_the_collection.rst'),
                                     ValueError('substring not found')])
def test_without_the_guide_the_names_are_not_checked_and_the_rest_still_is(tmp_path, monkeypatch, failure):
    def unreadable():
        raise failure
    monkeypatch.setattr(hkpost_run_check, 'known_variables', unreadable)
    inventory = {'ecert_servers': {'hosts': {'web01': {'hkpost_certificates': CERTS, 'hkpost_iis_bakup': 'x'},
                                             'web02': {}}}}
    result = run(tmp_path, {'pattern': 'ecert_servers', 'certificates': 'optional'}, inventory)
    assert result['warnings'][0] == 'hkpost_* variable names not checked: %s' % failure
    assert result['warnings_found'] == [
        'host web02 has no hkpost_certificates (the certificates it needs; certificates_list.rst).']


def test_the_check_reads_no_inventory_source_of_its_own(tmp_path, monkeypatch):
    # inventory_unparsed_failed (ansible.cfg) fails an InventoryManager that parses no source: the check's own
    # inventory is built from the play's groups, so the setting must not fail it
    monkeypatch.setattr(C, 'INVENTORY_UNPARSED_IS_FAILED', True)
    assert run(tmp_path, {'pattern': 'ecert_servers'})['hosts'] == ['web01', 'web02']
