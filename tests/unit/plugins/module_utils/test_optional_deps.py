# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plugins load without cryptography / dnspython and fail at first use naming the library and the fix.

Run in a child interpreter where importing those libraries raises ImportError, the way the
ansible-test import and ansible-doc sanity virtualenvs see them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
from ansible_collections.hkpost.ecert.plugins.module_utils._optional_deps import MissingLibrary

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))

BLOCK = textwrap.dedent('''
    import sys
    class Block:
        def find_spec(self, name, path=None, target=None):
            if name.split('.')[0] in ('cryptography', 'dns'):
                raise ImportError('No module named ' + repr(name) + ' (blocked for the test)')
    sys.meta_path.insert(0, Block())
    sys.path[:0] = [%r, %r]
    from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder
    _AnsibleCollectionFinder(paths=[%r])._install()
''') % (ROOT, os.path.join(ROOT, 'collections'), os.path.join(ROOT, 'collections'))


def run_without_libraries(code):
    return subprocess.run([sys.executable, '-c', BLOCK + textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=120, check=False)


def test_missing_library_stand_in():
    missing = MissingLibrary('cryptography', ImportError('nope'))
    constant = missing.x509.oid.NameOID.COMMON_NAME  # module-level constants still evaluate
    with pytest.raises(HkpostError, match=r'cryptography .*pip install cryptography.*nope'):
        constant()
    with pytest.raises(AttributeError):
        missing.__wrapped__  # pylint: disable=pointless-statement


@pytest.mark.parametrize('module', ['pki._pem', 'pki._hierarchy', 'chain._inputs', 'chain._plan', 'request._csr', 'dcv._dns'])
def test_module_utils_import_without_libraries(module):
    proc = run_without_libraries('import ansible_collections.hkpost.ecert.plugins.module_utils.%s' % module)
    assert proc.returncode == 0, proc.stderr


def test_first_use_names_the_library():
    proc = run_without_libraries('''
        from ansible_collections.hkpost.ecert.plugins.module_utils.request import _csr
        from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError
        try:
            _csr.generate_key(2048)
        except HkpostError as e:
            print('HKPOST-ERROR', e)
    ''')
    assert proc.returncode == 0, proc.stderr
    assert 'HKPOST-ERROR the Python library cryptography is needed' in proc.stdout
    assert 'pip install cryptography' in proc.stdout


def test_dns_import_error_recorded():
    proc = run_without_libraries('''
        from ansible_collections.hkpost.ecert.plugins.module_utils.dcv import _dns as _dcv_dns
        print('ERR', _dcv_dns.DNS_IMPORT_ERROR)
    ''')
    assert proc.returncode == 0, proc.stderr
    assert 'ERR No module named' in proc.stdout
