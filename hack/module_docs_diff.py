#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Compare every module's ``attributes`` as ansible-doc renders them in this checkout and in a git revision.

    hack/module_docs_diff.py [--base REF]     (REF defaults to main)

For a documentation refactoring (attributes moved into plugins/doc_fragments/_attributes.py): the revision is
exported with ``git archive`` as ``ansible_collections/hkpost/ecert`` and both are rendered by the same ansible-doc
(``--json``), so what is compared is what users read - fragments resolved by ansible-core, not by us.

Per module and attribute, equal must be: the attribute names, ``support``, ``platforms`` (``posix`` and ``[posix]``
are the same statement) and the module's own sentences - its ``details`` plus a ``description`` that is not the
standard one of that attribute. A sentence moved from ``description`` to ``details`` is the same sentence and is
listed as moved; anything else is a difference and the exit status is 1.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# ansible-doc beside this Python (run as .venv/bin/python hack/...), else the checkout's virtualenv, else PATH's.
ANSIBLE_DOC = next((path for path in (os.path.join(os.path.dirname(sys.executable), 'ansible-doc'),
                                      os.path.join(ROOT, '.venv', 'bin', 'ansible-doc')) if os.path.exists(path)),
                   shutil.which('ansible-doc') or 'ansible-doc')

# The standard sentence of each attribute (plugins/doc_fragments/_attributes.py DOCUMENTATION; before it existed,
# each module repeated them word for word).
STANDARD = {
    'check_mode': 'Can run in check_mode and return changed status prediction without modifying target.',
    'diff_mode': 'Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.',
    'platform': 'Target OS/families that can be operated against.',
}


def _as_list(value):
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _platforms(value):
    # ansible-core's own modules write ``platforms: posix, windows`` (modules/fetch.py) as well as lists.
    return [part.strip() for part in value.split(',')] if isinstance(value, str) else _as_list(value)


def own_sentences(name, attribute):
    """The module's own words about one attribute: a non-standard description, then its details."""
    description = attribute.get('description')
    sentences = [description] if description and description != STANDARD.get(name) else []
    return sentences + [str(detail) for detail in _as_list(attribute.get('details'))]


def compare(before, after):
    """(differences, moved) between two {attribute: {...}} renderings of one module; both lists of text, ``moved``
    the same statements written another way."""
    differences, moved = [], []
    if sorted(before) != sorted(after):
        differences.append('attributes %s -> %s' % (sorted(before), sorted(after)))
    for name in sorted(set(before) & set(after)):
        old, new = before[name], after[name]
        if old.get('support') != new.get('support'):
            differences.append('%s: support %r -> %r' % (name, old.get('support'), new.get('support')))
        if _platforms(old.get('platforms')) != _platforms(new.get('platforms')):
            differences.append('%s: platforms %r -> %r' % (name, old.get('platforms'), new.get('platforms')))
        elif old.get('platforms') != new.get('platforms'):
            moved.append('%s: platforms %r written as %r' % (name, old.get('platforms'), new.get('platforms')))
        if own_sentences(name, old) != own_sentences(name, new):
            differences.append('%s: %r -> %r' % (name, own_sentences(name, old), own_sentences(name, new)))
        elif old.get('description') != new.get('description'):
            if new.get('description') == STANDARD.get(name):
                moved.append('%s: description moved to details' % name)
            else:  # the meaning of the attribute lost
                differences.append('%s: description %r -> %r' % (name, old.get('description'), new.get('description')))
        for key in sorted((set(old) | set(new)) - {'support', 'platforms', 'description', 'details'}):
            if old.get(key) != new.get(key):
                differences.append('%s: %s %r -> %r' % (name, key, old.get(key), new.get(key)))
    return differences, moved


def render(collection_root, modules):
    """{module: attributes} as ansible-doc --json renders them from the collection at collection_root."""
    # ansible-doc finds hkpost.ecert under COLLECTIONS_PATH/ansible_collections/hkpost/ecert.
    paths = os.path.dirname(os.path.dirname(os.path.dirname(collection_root)))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=paths, ANSIBLE_NOCOLOR='1')
    env.pop('ANSIBLE_CONFIG', None)
    proc = subprocess.run([ANSIBLE_DOC, '--json', *['hkpost.ecert.' + m for m in modules]],
                          cwd=paths, env=env, capture_output=True, text=True, timeout=300, check=False)
    if proc.returncode:
        raise SystemExit('ansible-doc failed in %s:\n%s' % (collection_root, proc.stderr))
    return {m: json.loads(proc.stdout)['hkpost.ecert.' + m]['doc'].get('attributes') or {} for m in modules}


def export(ref, workdir):
    """The collection at git revision ref, as workdir/ansible_collections/hkpost/ecert."""
    target = os.path.join(workdir, 'ansible_collections', 'hkpost', 'ecert')
    os.makedirs(target)
    archive = os.path.join(workdir, 'base.tar')
    subprocess.run(['git', 'archive', '--format=tar', '-o', archive, ref], cwd=ROOT, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter='data')
    return target


def modules_in(collection_root):
    return sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(collection_root, 'plugins', 'modules', '*.py'))
                  if not os.path.basename(p).startswith('_'))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--base', default='main', help='git revision to compare with (default: main)')
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as workdir:
        base_root = export(args.base, os.path.join(workdir, 'base'))
        head_root = os.path.join(ROOT, 'collections', 'ansible_collections', 'hkpost', 'ecert')
        base_modules, head_modules = modules_in(base_root), modules_in(head_root)
        status = 0
        if base_modules != head_modules:
            print('modules differ: only in %s %s, only here %s' % (
                args.base, sorted(set(base_modules) - set(head_modules)), sorted(set(head_modules) - set(base_modules))))
            status = 1
        common = sorted(set(base_modules) & set(head_modules))
        before, after = render(base_root, common), render(head_root, common)
    identical = 0
    for module in common:
        differences, moved = compare(before[module], after[module])
        identical += before[module] == after[module]
        for line in differences:
            print('DIFFERS %s %s' % (module, line))
        for line in moved:
            print('same    %s %s' % (module, line))
        status = status or int(bool(differences))
    print('%d modules: %d render identical attributes, %d the same statements written another way, %s' % (
        len(common), identical, sum(1 for m in common if before[m] != after[m] and not compare(before[m], after[m])[0]),
        'the rest DIFFER' if status else 'none differs'))
    return status


if __name__ == '__main__':
    sys.exit(main())
