# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Walk the collection's playbooks and role tasks as YAML and list what crosses a joint.

A joint is where one part hands data to another that is tested on its own: a play names hosts, a task
includes a role with variables, a task calls one of the collection's modules with options. The unit test
tests/unit/test_playbook_handoffs.py compares each against what the receiving side declares (role
argument_specs, the module's DOCUMENTATION, the docs). Everything here is read from the files, nothing is
listed by hand, so a new playbook, tasks file or role is covered without editing this module.
"""

from __future__ import annotations

import dataclasses
import glob
import os
import re

import jinja2
import jinja2.nodes
import yaml

from tests.support.module_docs import documented_options

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTION = 'hkpost.ecert'

ROLE_ACTIONS = {prefix + name for prefix in ('', 'ansible.builtin.', 'ansible.legacy.')
                for name in ('include_role', 'import_role')}
TASKS_ACTIONS = {prefix + name for prefix in ('', 'ansible.builtin.', 'ansible.legacy.')
                 for name in ('include_tasks', 'import_tasks', 'include')}
PLAYBOOK_ACTIONS = {prefix + 'import_playbook' for prefix in ('', 'ansible.builtin.', 'ansible.legacy.')}
BLOCK_SECTIONS = ('block', 'rescue', 'always')
PLAY_SECTIONS = ('pre_tasks', 'tasks', 'post_tasks', 'handlers')
# Keys of a bare expression (no {{ }}): Ansible templates them as conditionals.
CONDITIONAL_KEYS = ('when', 'failed_when', 'changed_when', 'until', 'that')
# Keywords of a `roles:` entry (ansible-core's RoleInclude attributes): every other key is a role parameter,
# which reaches the role as a variable.
try:
    from ansible.playbook.role.include import RoleInclude
    ROLE_ENTRY_KEYWORDS = frozenset(RoleInclude.fattributes)
except ImportError:  # pragma: no cover - ansible-core is in requirements.txt
    ROLE_ENTRY_KEYWORDS = frozenset(('role', 'name', 'vars', 'tags', 'when', 'become', 'become_user',
                                     'delegate_to', 'ignore_errors', 'no_log', 'environment'))

_JINJA = jinja2.Environment()


@dataclasses.dataclass
class RoleHandOff:
    where: str       # "playbooks/renew.yml: play '...' > task '...'"
    role: str        # as written: hkpost.ecert.dcv
    entry: str       # tasks_from, default main
    variables: dict  # name -> value handed over: the include's vars, a roles: entry's vars and role params


@dataclasses.dataclass
class ModuleCall:
    where: str
    module: str      # short name under plugins/modules
    options: dict


@dataclasses.dataclass
class HostsPattern:
    where: str
    pattern: str


def rel(path):
    return os.path.relpath(path, ROOT)


def load_yaml(path):
    with open(path, encoding='utf-8') as handle:
        return yaml.safe_load(handle)


def playbook_files():
    """The playbooks users run (playbooks/*.yml that are a list of plays) and the molecule converge plays."""
    found = []
    for path in sorted(glob.glob(os.path.join(ROOT, 'playbooks', '*.yml'))
                       + glob.glob(os.path.join(ROOT, 'extensions', 'molecule', '*', 'converge.yml'))):
        data = load_yaml(path)
        if isinstance(data, list) and data and all(isinstance(p, dict) and _is_play(p) for p in data):
            found.append(path)
    return found


def _is_play(item):
    return 'hosts' in item or any(key in item for key in PLAYBOOK_ACTIONS)


def role_task_files():
    """Every tasks and handlers file of every role (each is an entry point or included by one)."""
    return sorted(glob.glob(os.path.join(ROOT, 'roles', '*', 'tasks', '*.yml'))
                  + glob.glob(os.path.join(ROOT, 'roles', '*', 'handlers', '*.yml')))


def _action(task):
    """(action, its arguments as a dict) for the actions this walk cares about, else (None, {})."""
    for key, value in task.items():
        if key in ROLE_ACTIONS or key in TASKS_ACTIONS or key.startswith(COLLECTION + '.'):
            if isinstance(value, str):
                return key, _kv(value)
            return key, value if isinstance(value, dict) else {}
    return None, {}


def _kv(text):
    """The k=v short form of module arguments ('name=x tasks_from=y'); a free-form string is a file name."""
    pairs = dict(re.findall(r'(\w+)=(\S+)', text))
    return pairs or {'_raw_params': text.strip()}


class Walker:
    """Collect hand-offs from playbooks and tasks files, following include_tasks/import_tasks."""

    def __init__(self):
        self.role_handoffs = []
        self.module_calls = []
        self.hosts_patterns = []
        self.task_files = set()  # every tasks file reached (for the variable-read check)
        self.playbook_files = set()  # every playbook reached, imported ones included
        self._seen = set()

    def walk_playbook(self, path, seen=None):
        seen = set() if seen is None else seen
        if path in seen:
            return
        seen.add(path)
        self.playbook_files.add(path)
        for index, play in enumerate(load_yaml(path) or []):
            name = play.get('name', '#%d' % (index + 1))
            where = "%s: play '%s'" % (rel(path), name)
            imported = next((play[key] for key in PLAYBOOK_ACTIONS if key in play), None)
            if imported:
                self.walk_playbook(os.path.join(os.path.dirname(path), imported), seen)
                continue
            self.hosts_patterns.append(HostsPattern(where, str(play.get('hosts', ''))))
            for entry in play.get('roles') or []:
                self._role_entry(entry, where)
            for section in PLAY_SECTIONS:
                self.walk_tasks(play.get(section) or [], path, where)

    def walk_tasks_file(self, path, where=None):
        self.walk_tasks(load_yaml(path) or [], path, where or rel(path))

    def walk_tasks(self, tasks, path, where, stack=()):
        for task in tasks:
            if not isinstance(task, dict):
                continue
            label = "%s > task '%s'" % (where, task.get('name', '?'))
            if any(key in task for key in BLOCK_SECTIONS):
                for section in BLOCK_SECTIONS:
                    self.walk_tasks(task.get(section) or [], path, label, stack)
                continue
            action, args = _action(task)
            if action in ROLE_ACTIONS:
                # What the include hands over: its own vars (task-level, the role's "include params").
                self._add(self.role_handoffs, RoleHandOff(label, args.get('name') or args.get('role', ''),
                                                          args.get('tasks_from', 'main'), dict(task.get('vars') or {})))
            elif action in TASKS_ACTIONS:
                target = args.get('file') or args.get('_raw_params')
                if target and '{{' not in target:
                    included = os.path.normpath(os.path.join(os.path.dirname(path), target))
                    if os.path.exists(included) and included not in stack:
                        self.task_files.add(included)
                        self.walk_tasks(load_yaml(included) or [], included, '%s > %s' % (label, rel(included)),
                                        stack + (included,))
            elif action and action.startswith(COLLECTION + '.'):
                self._add(self.module_calls, ModuleCall(label, action[len(COLLECTION) + 1:], args))

    def _add(self, found, item):
        """Once per task: a tasks file reached by two includes (or walked as a role file too) counts once."""
        fields = {name: value for name, value in dataclasses.asdict(item).items() if name != 'where'}
        key = (type(item).__name__, item.where.rsplit(' > ', 1)[-1], repr(fields))
        if key not in self._seen:
            self._seen.add(key)
            found.append(item)

    def _role_entry(self, entry, where):
        if isinstance(entry, str):
            self.role_handoffs.append(RoleHandOff("%s > roles: %s" % (where, entry), entry, 'main', {}))
            return
        name = entry.get('role') or entry.get('name', '')
        variables = {key: value for key, value in entry.items() if key not in ROLE_ENTRY_KEYWORDS}
        variables.update(entry.get('vars') or {})
        self.role_handoffs.append(RoleHandOff("%s > roles: %s" % (where, name), name,
                                              entry.get('tasks_from', 'main'), variables))


def walk_everything():
    walker = Walker()
    seen = set()
    for path in playbook_files():
        walker.walk_playbook(path, seen)
    for path in role_task_files():
        walker.walk_tasks_file(path)
    return walker


# --- roles -----------------------------------------------------------------------------------------------

def local_role(name):
    """roles/<x> for hkpost.ecert.x or a bare x that exists here; None for another collection's role."""
    short = name[len(COLLECTION) + 1:] if name.startswith(COLLECTION + '.') else name
    if '.' in short or not os.path.isdir(os.path.join(ROOT, 'roles', short)):
        return None
    return short


def role_declares(role, roles_dir=None):
    """Every variable a role declares: options of every argument_specs entry point, and its defaults."""
    base = os.path.join(roles_dir or os.path.join(ROOT, 'roles'), role)
    declared = set()
    specs_path = os.path.join(base, 'meta', 'argument_specs.yml')
    if os.path.exists(specs_path):
        for entry in ((load_yaml(specs_path) or {}).get('argument_specs') or {}).values():
            declared.update(((entry or {}).get('options') or {}))
    defaults_path = os.path.join(base, 'defaults', 'main.yml')
    if os.path.exists(defaults_path):
        declared.update(load_yaml(defaults_path) or {})
    return declared


def role_creates(role, roles_dir=None):
    """Names a role's tasks create for the play (register, set_fact): its results, which playbooks read."""
    base = os.path.join(roles_dir or os.path.join(ROOT, 'roles'), role, 'tasks')
    names = set()
    for path in glob.glob(os.path.join(base, '*.yml')):
        names |= defined_names(load_yaml(path) or [])
    return names


# --- names a YAML tree defines and reads ---------------------------------------------------------------

def defined_names(node):
    """Variables a playbook or tasks list creates: vars keys, register, set_fact keys, loop_var."""
    names = set()
    if isinstance(node, list):
        for item in node:
            names |= defined_names(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == 'vars' and isinstance(value, dict):
                names.update(value)
            elif key == 'register' and isinstance(value, str):
                names.add(value)
            elif key in ('set_fact', 'ansible.builtin.set_fact', 'ansible.legacy.set_fact') and isinstance(value, dict):
                names.update(k for k in value if k != 'cacheable')
            elif key == 'loop_control' and isinstance(value, dict) and 'loop_var' in value:
                names.add(value['loop_var'])
            names |= defined_names(value)
    return names


def expression_names(text, conditional=False):
    """Variable names a templated string (or a bare conditional) reads, from Jinja's own parse tree."""
    if not isinstance(text, str):
        return set()
    source = '{{ %s }}' % text if conditional and '{{' not in text else text
    if '{{' not in source and '{%' not in source:
        return set()
    # The parse tree, not find_undeclared_variables: that compiles the template, which needs Ansible's filters.
    tree = _JINJA.parse(source)
    loaded = {node.name for node in tree.find_all(jinja2.nodes.Name) if node.ctx == 'load'}
    stored = {node.name for node in tree.find_all(jinja2.nodes.Name) if node.ctx in ('store', 'param')}
    return loaded - stored


def expression_strings(text):
    """String constants in a templated string: the group names in ``default('ecert_servers')``."""
    if not isinstance(text, str) or '{{' not in text:
        return set()
    return {node.value for node in _JINJA.parse(text).find_all(jinja2.nodes.Const) if isinstance(node.value, str)}


def read_names(node, key=None):
    """Every variable a YAML tree reads in its values (mapping keys are definitions or option names)."""
    names = set()
    if isinstance(node, list):
        for item in node:
            names |= read_names(item, key)
    elif isinstance(node, dict):
        for child_key, value in node.items():
            names |= read_names(value, child_key)
    elif isinstance(node, str):
        names |= expression_names(node, conditional=key in CONDITIONAL_KEYS)
    return names


# --- hosts patterns --------------------------------------------------------------------------------------

def hosts_names(pattern):
    """(variables, group or host names) a play's hosts: expression uses.

    "{{ hkpost_hosts | default('ecert_servers') }}" -> ({'hkpost_hosts'}, {'ecert_servers'});
    "web:&prod:!db" -> (set(), {'web', 'prod', 'db'}).
    """
    variables, words = set(), [re.sub(r'{{.*?}}', ' ', pattern)]
    if '{{' in pattern:
        variables = expression_names(pattern)
        words += sorted(expression_strings(pattern))  # default('ecert_servers') may itself be a pattern
    groups = {part.lstrip('&!') for text in words for part in re.split(r'[:,\s]+', text)}
    return variables, groups - {''}


# --- modules ---------------------------------------------------------------------------------------------

def module_options(module, modules_dir=None):
    """{option name and aliases} from plugins/modules/<module>.py DOCUMENTATION; None when no such module."""
    options = documented_options(module, modules_dir)
    if options is None:
        return None
    names = set()
    for name, spec in options.items():
        names.add(name)
        names.update((spec or {}).get('aliases') or [])
    return names


# --- the docs --------------------------------------------------------------------------------------------

DOCS = [os.path.join(ROOT, 'README.md')] + sorted(glob.glob(os.path.join(ROOT, 'docs', 'docsite', 'rst', '*.rst')))
GLOBALS_LABEL = '.. _ansible_collections.hkpost.ecert.docsite.global_variables:'
GLOBALS_GUIDE = os.path.join(ROOT, 'docs', 'docsite', 'rst', 'using_the_collection.rst')


def docs_text():
    text = []
    for path in DOCS:
        with open(path, encoding='utf-8') as handle:
            text.append(handle.read())
    return '\n'.join(text)


def named_in_docs(name, text=None):
    """The name appears as a whole word in the docs (hkpost_dcv is not named by hkpost_dcv_certificates)."""
    return re.search(r'(?<![\w.])%s(?![\w])' % re.escape(name), text if text is not None else docs_text()) is not None


def documented_globals(path=GLOBALS_GUIDE):
    """The collection-wide variables, read from the table under GLOBALS_LABEL in the guide.

    The guide is the one place they are declared: each table row starts with ``name``. Playbooks may hand
    these to any role (the roles read them as fallbacks), so they need no role's argument_specs.
    """
    with open(path, encoding='utf-8') as handle:
        text = handle.read()
    section = text[text.index(GLOBALS_LABEL):]
    # its own title is the first underlined line; the section ends where the next title starts
    titles = [m.start() for m in re.finditer(r'^\S.*\n[-=^~]{3,}\n', section, re.M)]
    section = section[:titles[1]] if len(titles) > 1 else section
    return set(re.findall(r'^``([A-Za-z_]\w*)``\s', section, re.M))
