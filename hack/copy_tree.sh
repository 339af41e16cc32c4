#!/usr/bin/env bash
# -*- coding: utf-8 -*-
# Copyright (c) hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
#
# hack/copy_tree.sh DEST - copy the working tree (tracked and untracked files, as they will be
# committed) to DEST/ansible_collections/hkpost/ecert and print that path. ansible-test and
# antsibull-changelog need the collection at such a path, as a real directory; the checkout is the
# collection root with a self-referencing collections/ symlink, so they run on a copy. tar rather
# than rsync (not installed everywhere); the excludes mirror galaxy.yml's build_ignore.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
dest="$1/ansible_collections/hkpost/ecert"
mkdir -p "${dest}"
tar -C "${ROOT}" -cf - \
  --exclude='./.venv*' --exclude=./collections --exclude=./.git --exclude=./reports \
  --exclude=./demo-output --exclude=./build --exclude=./tests/output --exclude='__pycache__' \
  --exclude='*.pyc' --exclude=./.pytest_cache --exclude=./.cache --exclude='*.tar.gz' \
  --exclude=./.ansible . | tar -C "${dest}" -xf -
echo "${dest}"
