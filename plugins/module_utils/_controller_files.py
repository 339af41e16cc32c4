# -*- coding: utf-8 -*-
# Copyright: hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Writing result files (CSRs, reports, backups) on the controller: only when the content changes, atomically."""

from __future__ import annotations

import os
import tempfile

from ansible_collections.hkpost.ecert.plugins.module_utils._errors import HkpostError


def check_destination(option, path, kind='file'):
    """Refuse, before anything runs, a destination that cannot be written: ``kind`` is ``file`` or ``directory``.

    Missing directories are created when the result is written (the documented behaviour), so the checks
    are: the path itself is not of the other kind, and no existing part of its way is a file (which would
    end in a raw ``[Errno 20] Not a directory`` after the host was already changed).
    """
    if not isinstance(path, str) or not path.strip():
        raise HkpostError('%s is empty; give a path on the controller.' % option)
    full = os.path.abspath(os.path.expanduser(path))
    if kind == 'file' and os.path.isdir(full):
        raise HkpostError('%s: %s is a directory on the controller; give the path of the file to write, e.g. '
                          '%s.' % (option, full, os.path.join(full, 'NAME')))
    if kind == 'directory' and os.path.exists(full) and not os.path.isdir(full):
        raise HkpostError('%s: %s is a file on the controller, not a directory; give the directory the files '
                          'go in (it is created if missing).' % (option, full))
    parent = os.path.dirname(full)
    while parent and not os.path.exists(parent):
        parent, previous = os.path.dirname(parent), parent
        if parent == previous:
            break
    if parent and os.path.exists(parent) and not os.path.isdir(parent):
        raise HkpostError('%s: %s cannot be created because %s is a file, not a directory; choose another '
                          'path.' % (option, full, parent))
    return full


def read_text(path):
    try:
        with open(path, encoding='utf-8') as f:
            return f.read()
    except FileNotFoundError:
        return None


def write_if_changed(path, content, check_mode=False, mode=0o644):
    """Write ``content`` to ``path`` unless it already holds exactly that; return whether it changed."""
    data = content.encode('utf-8') if isinstance(content, str) else content
    try:
        with open(path, 'rb') as f:
            if f.read() == data:
                return False
    except FileNotFoundError:
        pass
    if check_mode:
        return True
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix='.hkpost-')
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return True
