#!/usr/bin/env bash
# -*- coding: utf-8 -*-
# Copyright (c) hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
#
# hack/win_powershell_floor.sh GIT_DIR [VERSION]
#
# Refresh the copy of win_powershell.ps1 the emulator models (tests/support/windows/reference/) from a clone
# of github.com/ansible-collections/ansible.windows (GIT_DIR: its .git or a bare mirror), at tag VERSION
# (default: the floor galaxy.yml declares). It prints the commit and blob ids to put in
# tests/support/windows/win_powershell_floor.py; tests/unit/test_win_powershell_floor.py then shows which
# cited line ranges moved (fix each citation and its CITED entry by reading the new file).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
GIT_DIR="${1:?usage: $0 GIT_DIR [VERSION]}"
VERSION="${2:-$(sed -n 's/^ *ansible\.windows: *">= *\([0-9.]*\)".*/\1/p' "${ROOT}/galaxy.yml")}"
OUT="${ROOT}/tests/support/windows/reference/win_powershell-${VERSION}.ps1.gz"

# gzip: ansible-test sanity refuses the file's "#!powershell" line anywhere under tests/.
git --git-dir="${GIT_DIR}" show "${VERSION}:plugins/modules/win_powershell.ps1" | gzip -n -9 > "${OUT}"
echo "wrote ${OUT}"
echo "VERSION = '${VERSION}'"
echo "COMMIT = '$(git --git-dir="${GIT_DIR}" rev-parse "${VERSION}^{commit}")'"
echo "BLOB = '$(git --git-dir="${GIT_DIR}" rev-parse "${VERSION}:plugins/modules/win_powershell.ps1")'"
