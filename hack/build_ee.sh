#!/usr/bin/env bash
# Build the execution environment from this checkout's collection tarball; stop before ansible-builder runs when
# the tarball is missing (ansible-builder itself only warns, and the image would lack the collection).
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
tarballs=(build/hkpost-ecert-*.tar.gz)
if [ ${#tarballs[@]} -eq 0 ]; then
  echo "hack/build_ee.sh: no collection tarball in build/; run: ansible-galaxy collection build --output-path build/ ." >&2
  exit 1
fi
if [ ${#tarballs[@]} -gt 1 ]; then
  echo "hack/build_ee.sh: several tarballs in build/ (${tarballs[*]}); keep the one to ship." >&2
  exit 1
fi
exec ansible-builder "${EE_BUILDER_COMMAND:-build}" --file execution-environment.yml "$@"
