# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hand-offs between playbooks, roles and modules say only what the receiving side declares.

Roles and modules are tested on their own and playbooks run them; a name that drifted on one side of the
joint is silently ignored by Ansible (an undeclared role variable is just an unused variable, a hosts
pattern naming no group matches nothing) and the run ends rc=0 having done nothing. renew.yml's DCV plays
did exactly that (issue 20): hosts ``hkpost_dcv`` that no doc mentions, and ``dcv_state: absent``, a name
the dcv role had dropped, so the clean-up published the code again. Checked here, from the YAML:

* every include_role / import_role / ``roles:`` entry in playbooks/, roles/ and the molecule converge
  plays passes only variables the role declares (meta/argument_specs.yml, defaults) or a collection-wide
  variable listed in the docs (using_the_collection.rst, table "Variables of the whole collection");
* every role-prefixed variable a playbook reads (``hkpost_dcv_*``...) is one the role declares or sets,
  or one the playbook itself defines;
* every ``hosts:`` pattern names only groups and variables the docs name (localhost and all are Ansible's);
* every direct call of an hkpost.ecert module uses options its DOCUMENTATION declares.
"""

from __future__ import annotations

import os
import re

import pytest

from tests.support import handoffs

WALK = handoffs.walk_everything()
ROLES = sorted(name for name in os.listdir(os.path.join(handoffs.ROOT, 'roles'))
               if os.path.isdir(os.path.join(handoffs.ROOT, 'roles', name)))
# Ansible's implicit host and group: documented by Ansible, not by this collection.
IMPLICIT_HOSTS = {'localhost', 'all'}


def _ids(items):
    return [item.where for item in items]


def _allowed_for(role, roles_dir=None):
    return handoffs.role_declares(role, roles_dir) | handoffs.documented_globals()


def undeclared_role_variables(handoff, roles_dir=None):
    """Names a role hand-off passes that the role does not declare (connection vars are Ansible's)."""
    role = handoffs.local_role(handoff.role) if roles_dir is None else handoff.role  # roles_dir: planted roles
    if role is None:
        return []
    allowed = _allowed_for(role, roles_dir)
    return sorted(name for name in handoff.variables if name not in allowed and not name.startswith('ansible_'))


def test_the_walk_finds_the_joints():
    """A walk that finds nothing passes everything: the known joints must be among what it found."""
    roles = {(h.where.split(':')[0], h.role) for h in WALK.role_handoffs}
    assert ('playbooks/renew.yml', 'hkpost.ecert.dcv') in roles
    assert any(h.where.startswith('roles/backup/tasks/main.yml') and h.role == 'hkpost.ecert.csr'
               for h in WALK.role_handoffs)  # tasks_from: pending, now in the backup role
    assert ('extensions/molecule/default/converge.yml', 'hkpost.ecert.dcv') in roles
    assert any(h.where.startswith('roles/renew/tasks/csr.yml') and h.where.count(' > task ') == 2
               for h in WALK.role_handoffs), 'include_role inside a block not found'
    assert {'hkpost_csr', 'hkpost_install', 'hkpost_dcv_token'} <= {c.module for c in WALK.module_calls}
    assert any(h.where.startswith('roles/renew/tasks/install_report.yml') and h.role == 'hkpost.ecert.audit'
               for h in WALK.role_handoffs), 'include_role inside a role not followed'
    assert handoffs.documented_globals() >= {'hkpost_hosts', 'hkpost_output_dir'}


@pytest.mark.parametrize('handoff', WALK.role_handoffs, ids=_ids(WALK.role_handoffs))
def test_role_handoff_passes_only_declared_variables(handoff):
    role = handoffs.local_role(handoff.role)
    if role is None:
        pytest.skip('%s is not a role of this collection' % handoff.role)
    unknown = undeclared_role_variables(handoff)
    assert not unknown, (
        '%s hands role %s variables it does not declare in roles/%s/meta/argument_specs.yml (nor documented '
        'collection-wide): %s - Ansible ignores them silently' % (handoff.where, handoff.role, role, unknown))


@pytest.mark.parametrize('handoff', WALK.role_handoffs, ids=_ids(WALK.role_handoffs))
def test_role_entry_point_exists(handoff):
    role = handoffs.local_role(handoff.role)
    if role is None:
        pytest.skip('%s is not a role of this collection' % handoff.role)
    path = os.path.join(handoffs.ROOT, 'roles', role, 'tasks', handoff.entry + '.yml')
    assert os.path.exists(path), '%s: roles/%s has no tasks/%s.yml' % (handoff.where, role, handoff.entry)


def _role_prefixed_reads(paths):
    """{name: role} for every hkpost_<role>_* variable the files read."""
    pattern = re.compile(r'^hkpost_(%s)_\w+$' % '|'.join(map(re.escape, ROLES)))
    found = {}
    for path in paths:
        for name in handoffs.read_names(handoffs.load_yaml(path)):
            match = pattern.match(name)
            if match:
                found[name] = match.group(1)
    return found


PLAYBOOKS = handoffs.playbook_files()


@pytest.mark.parametrize('path', PLAYBOOKS, ids=[handoffs.rel(p) for p in PLAYBOOKS])
def test_role_variables_a_playbook_reads_are_the_roles(path):
    """A playbook reading hkpost_iis_verify (say) reads the iis role's variable: the role must declare it.

    Otherwise a user setting the variable as the role documents it changes nothing, or the playbook reads a
    name nobody sets (hkpost_dcv_hosts). Fine: names the role sets for the play (hkpost_csr_results), names
    the playbook defines itself, and a playbook's own knobs that a guide names (hkpost_chain_serial, in
    migration.rst) - a user can only set what is written down somewhere.
    """
    files = [path] + sorted(_included_by(path))
    defined = set()
    for name in files:
        defined |= handoffs.defined_names(handoffs.load_yaml(name))
    docs = handoffs.docs_text()
    problems = []
    for name, role in sorted(_role_prefixed_reads(files).items()):
        if name in defined or name in handoffs.role_declares(role) or name in handoffs.role_creates(role) \
                or handoffs.named_in_docs(name, docs):
            continue
        problems.append('%s: the %s role neither declares nor sets it, and no guide names it' % (name, role))
    assert not problems, '%s reads role variables no role provides:\n  %s' % (handoffs.rel(path), '\n  '.join(problems))


def _included_by(path):
    walker = handoffs.Walker()
    walker.walk_playbook(path)
    return walker.task_files


@pytest.mark.parametrize('play', WALK.hosts_patterns, ids=_ids(WALK.hosts_patterns))
def test_hosts_pattern_is_named_in_the_docs(play):
    variables, groups = handoffs.hosts_names(play.pattern)
    if play.where.startswith('extensions/'):
        pytest.skip('molecule scenarios run on their own inventory (molecule.yml)')
    text = handoffs.docs_text()
    unnamed = sorted(name for name in variables | (groups - IMPLICIT_HOSTS) if not handoffs.named_in_docs(name, text))
    assert not unnamed, ('%s runs on hosts %r: %s named in no guide (docs/docsite/rst) nor the README, so no '
                         'user puts hosts there and the play matches nothing' % (play.where, play.pattern, unnamed))


@pytest.mark.parametrize('call', WALK.module_calls, ids=_ids(WALK.module_calls))
def test_module_options_exist(call):
    options = handoffs.module_options(call.module)
    assert options is not None, '%s calls hkpost.ecert.%s: no plugins/modules/%s.py' % (call.where, call.module,
                                                                                        call.module)
    unknown = sorted(set(call.options) - options)
    assert not unknown, '%s: hkpost.ecert.%s has no option %s' % (call.where, call.module, unknown)


# --- the checks can fail ---------------------------------------------------------------------------------

def test_a_misspelled_or_dropped_role_variable_fails(tmp_path):
    """Plant the defects: a renamed variable (dcv_state for hkpost_dcv_state) and a typo are both refused."""
    role = tmp_path / 'demo'
    (role / 'meta').mkdir(parents=True)
    (role / 'defaults').mkdir()
    (role / 'meta' / 'argument_specs.yml').write_text('argument_specs:\n  main:\n    options:\n'
                                                      '      hkpost_demo_state:\n        type: str\n'
                                                      '        default: present\n')
    (role / 'defaults' / 'main.yml').write_text('hkpost_demo_state: present\n')
    right = handoffs.RoleHandOff('here', 'demo', 'main', {'hkpost_demo_state': 'absent', 'hkpost_output_dir': '/o',
                                                          'ansible_connection': 'local'})
    assert undeclared_role_variables(right, str(tmp_path)) == []
    dropped = handoffs.RoleHandOff('here', 'demo', 'main', {'demo_state': 'absent', 'hkpost_demo_stat': 'absent'})
    assert undeclared_role_variables(dropped, str(tmp_path)) == ['demo_state', 'hkpost_demo_stat']


def test_the_walk_reads_blocks_includes_and_roles_entries(tmp_path):
    """include_role in rescue/always, a roles: entry's params and vars, an included tasks file."""
    (tmp_path / 'inner.yml').write_text(
        '- ansible.builtin.import_role:\n    name: hkpost.ecert.dcv\n  vars:\n    dcv_state: absent\n')
    (tmp_path / 'play.yml').write_text('''
- hosts: "{{ hkpost_dcv_hosts | default('hkpost_dcv') }}"
  roles:
    - role: hkpost.ecert.csr
      hkpost_csr_forse: true
      vars:
        hkpost_csr_organisation: X
  tasks:
    - block:
        - ansible.builtin.fail:
      rescue:
        - ansible.builtin.include_role:
            name: hkpost.ecert.dcv
          vars:
            dcv_certificates: []
      always:
        - ansible.builtin.include_tasks: inner.yml
    - hkpost.ecert.hkpost_pfx:
        state: exported
        pasword: x
''')
    walker = handoffs.Walker()
    walker.walk_playbook(str(tmp_path / 'play.yml'))
    found = {(h.role, tuple(undeclared_role_variables(h))) for h in walker.role_handoffs}
    assert found == {('hkpost.ecert.csr', ('hkpost_csr_forse', 'hkpost_csr_organisation')),
                     ('hkpost.ecert.dcv', ('dcv_certificates',)), ('hkpost.ecert.dcv', ('dcv_state',))}
    (call,) = walker.module_calls
    with pytest.raises(AssertionError, match=r"no option \['pasword'\]"):
        test_module_options_exist(call)
    (play,) = walker.hosts_patterns
    assert handoffs.hosts_names(play.pattern) == ({'hkpost_dcv_hosts'}, {'hkpost_dcv'})
    with pytest.raises(AssertionError, match=r"\['hkpost_dcv', 'hkpost_dcv_hosts'\] named in no guide"):
        test_hosts_pattern_is_named_in_the_docs(play)


def test_hosts_patterns_are_parsed():
    assert handoffs.hosts_names("{{ hkpost_hosts | default('ecert_servers') }}") == ({'hkpost_hosts'},
                                                                                     {'ecert_servers'})
    assert handoffs.hosts_names('web:&prod:!db') == (set(), {'web', 'prod', 'db'})
    assert handoffs.hosts_names('localhost') == (set(), {'localhost'})
    # whole words only: hkpost_dcv_certificates in a guide does not name the group hkpost_dcv
    assert not handoffs.named_in_docs('hkpost_dcv', 'put them in ``hkpost_dcv_certificates``')
    assert handoffs.named_in_docs('ecert_servers', 'the group ``ecert_servers``')


def test_a_playbook_reading_an_unknown_role_variable_fails(tmp_path):
    path = tmp_path / 'play.yml'
    path.write_text('- hosts: all\n  tasks:\n    - ansible.builtin.debug:\n        msg: "{{ hkpost_iis_verfy }}"\n'
                    '      when: hkpost_dcv_certificates | length > 0\n')
    with pytest.raises(AssertionError, match=r'hkpost_iis_verfy: the iis role neither declares nor sets it'):
        test_role_variables_a_playbook_reads_are_the_roles(str(path))


PATH_OPTIONS = re.compile(r'(^|_)(path|dest|dir|file)$')


@pytest.mark.parametrize('call', WALK.module_calls, ids=_ids(WALK.module_calls))
def test_file_names_are_made_with_file_name(call):
    """A certificate name in a path goes through file_name (``*`` -> ``_wildcard_``), as the csr role does.

    ascii_name keeps the ``*`` of a wildcard: renew.yml wrote Exchange CSRs as ``*.example.hk.csr``.
    """
    wrong = sorted(option for option, value in call.options.items()
                   if PATH_OPTIONS.search(option) and isinstance(value, str) and 'ascii_name' in value)
    assert not wrong, '%s: %s build a file name with ascii_name; use hkpost.ecert.file_name' % (call.where, wrong)


def test_a_wildcard_file_name_fails():
    call = handoffs.ModuleCall('here', 'exchange_cert', {
        'csr_path': "{{ out }}/{{ item.common_name | hkpost.ecert.ascii_name }}.csr", 'common_name': '{{ x }}'})
    with pytest.raises(AssertionError, match=r"\['csr_path'\] build a file name with ascii_name"):
        test_file_names_are_made_with_file_name(call)
