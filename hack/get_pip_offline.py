# -*- coding: utf-8 -*-
# Copyright (c) hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stand-in for the get-pip.py that ansible-test downloads from ci-files.testing.ansible.com.

ansible-test bootstraps pip into each sanity-test virtualenv by running that script; where the host is
unreachable (CI behind a mirror) it asks for the script to be saved in its cache by hand. This stand-in
does the same job with the standard library's ensurepip and then pip itself, so pip's own configuration
(index mirror, find-links) is used: `python get_pip_offline.py [--no-setuptools] [--no-wheel] PKG==VER ...`.
"""
from __future__ import annotations

import subprocess
import sys


def main(argv):
    """Install pip with ensurepip, then the requested packages (get-pip.py's command line)."""
    args = [arg for arg in argv if arg not in ('--no-setuptools', '--no-wheel')]
    subprocess.check_call([sys.executable, '-m', 'ensurepip', '--upgrade', '--default-pip'])
    subprocess.check_call([sys.executable, '-m', 'pip', 'install', '--quiet'] + args)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
