#!/usr/bin/env bash
# -*- coding: utf-8 -*-
# Copyright (c) hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Quality gates without containers: `ansible-test sanity` (local, the venv's Python) and
# `ansible-lint` (production profile). Either gate alone: hack/sanity.sh sanity | hack/sanity.sh lint
#
# ansible-test insists on running from .../ansible_collections/NAMESPACE/NAME, a real directory, and
# our checkout is the collection root with a `collections/` symlink pointing back at itself. So the
# working tree (tracked and untracked files, as they will be committed) is copied by
# hack/copy_tree.sh to a throw-away directory and tested there; nothing in the checkout is touched.
#
# There is deliberately no tests/sanity/ignore-*.txt: findings are fixed, not ignored. Tests that need
# a tool this machine lacks are skipped and named on stderr (pslint needs pwsh; shellcheck needs
# shellcheck) - install the tool and they run.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${ROOT}/.venv/bin"
PYVER="$("${BIN}/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
export PATH="${BIN}:${PATH}"
export ANSIBLE_CONFIG="${ROOT}/ansible.cfg"
WHAT="${1:-all}"

run_sanity() {
  local work dest status=0
  work="$(mktemp -d "${TMPDIR:-/tmp}/hkpost-sanity.XXXXXX")"
  trap 'rm -rf "${work}"' RETURN
  dest="$("${ROOT}/hack/copy_tree.sh" "${work}")"
  # ansible-test lists the files to test through git when it finds a repository; a fresh one with
  # everything added makes untracked work-in-progress files count exactly like committed ones.
  (cd "${dest}" && git init -q && git add -A >/dev/null)

  # ansible-test keeps one virtualenv per sanity test under ~/.ansible/test; a HOME inside the
  # checkout (.cache/, git-ignored and excluded from the build) keeps them out of the user's home and
  # reused between runs. Its pip bootstrap script comes from a host CI mirrors often cannot reach;
  # when it is not cached, hack/get_pip_offline.py does the same job through pip's configured index.
  export HOME="${ROOT}/.cache/sanity-home"
  local pip_version cache
  pip_version="$(python -c 'from ansible_test._internal.python_requirements import get_venv_packages as g; from ansible_test._internal.host_configs import NativePythonConfig as P; print(g(P(version="'"${PYVER}"'"))["pip"])')"
  cache="${HOME}/.ansible/test/cache/get_pip_${pip_version//./_}.py"
  if [[ ! -s "${cache}" ]]; then
    mkdir -p "$(dirname "${cache}")"
    cp "${ROOT}/hack/get_pip_offline.py" "${cache}"
  fi

  local skip=()
  if ! command -v pwsh >/dev/null 2>&1; then
    echo "hack/sanity.sh: pwsh not found - skipping the pslint sanity test" >&2
    skip+=(--skip-test pslint)
  fi
  if ! command -v shellcheck >/dev/null 2>&1; then
    echo "hack/sanity.sh: shellcheck not found - skipping the shellcheck sanity test" >&2
    skip+=(--skip-test shellcheck)
  fi
  (cd "${dest}" && ansible-test sanity --local --python "${PYVER}" --color no "${skip[@]}" \
     "${SANITY_ARGS[@]}") || status=$?
  return "${status}"
}

run_lint() {
  (cd "${ROOT}" && ansible-lint --profile production --nocolor -f pep8)
}

SANITY_ARGS=("${@:2}")
case "${WHAT}" in
  sanity) run_sanity ;;
  lint) run_lint ;;
  all) status=0; run_sanity || status=$?; run_lint || status=$?; exit "${status}" ;;
  *) echo "usage: $0 [all|sanity|lint] [extra ansible-test arguments]" >&2; exit 2 ;;
esac
