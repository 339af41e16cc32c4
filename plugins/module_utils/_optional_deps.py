# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stand-ins for controller libraries (cryptography, dnspython) that are not installed.

Importing a plugin must never fail: ansible-doc, ``ansible-test sanity`` (import, ansible-doc) and a
playbook that only uses the plugins that need nothing extra all load every file. So a util imports its
library inside ``try`` and, on ImportError, binds the names to ``MissingLibrary``: module-level
constants built from it (``NameOID.COMMON_NAME``) still evaluate, and the first real use raises
``HkpostError`` naming the library and the pip command instead of a NameError or a traceback.
"""

from __future__ import annotations

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError


class MissingLibrary:
    """Any attribute is another stand-in; calling one raises HkpostError with the fix."""

    def __init__(self, library, error):
        self._library = library
        self._error = str(error)

    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        return self

    def __call__(self, *args, **kwargs):
        raise HkpostError('the Python library %s is needed on the controller for this and is not installed '
                          '(pip install %s, or pip install -r requirements.txt): %s'
                          % (self._library, self._library, self._error))
