#!/usr/bin/env bash
# -*- coding: utf-8 -*-
# Copyright (c) hkpost.ecert contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
#
# hack/changelog.sh        - regenerate changelogs/changelog.yaml (+ .plugin-cache.yaml, CHANGELOG.rst)
#                            from the fragments, for the version in galaxy.yml
# hack/changelog.sh lint   - antsibull-changelog lint (fragments and changelog.yaml)
#
# changelogs/config.yaml has keep_fragments: true, so `release` never deletes fragments and a rerun
# for the same (unreleased) version adds the fragments written since: until galaxy.yml's version is
# bumped, every change lands in that version's entry. After a release, bump galaxy.yml's version; new
# fragments then start the next entry (fragments already listed under a release are not reused).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export PATH="${ROOT}/.venv/bin:${PATH}"
export ANSIBLE_CONFIG="${ROOT}/ansible.cfg"

if [[ "${1:-}" == lint ]]; then
  cd "${ROOT}"
  antsibull-changelog lint
  if [[ -f changelogs/changelog.yaml ]]; then
    antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml
  fi
  exit 0
fi

version="$(python -c 'import yaml, sys; print(yaml.safe_load(open(sys.argv[1]))["version"])' "${ROOT}/galaxy.yml")"
date="${CHANGELOG_DATE:-$(date -u +%Y-%m-%d)}"
work="$(mktemp -d "${TMPDIR:-/tmp}/hkpost-changelog.XXXXXX")"
trap 'rm -rf "${work}"' EXIT
# antsibull-changelog lists the collection's plugins with ansible-doc, which needs the collection at
# .../ansible_collections/hkpost/ecert: run on a copy and bring the generated files back.
dest="$("${ROOT}/hack/copy_tree.sh" "${work}")"
(cd "${dest}" && antsibull-changelog release --version "${version}" --date "${date}")
cp "${dest}/changelogs/changelog.yaml" "${ROOT}/changelogs/changelog.yaml"
cp "${dest}/changelogs/.plugin-cache.yaml" "${ROOT}/changelogs/.plugin-cache.yaml"
cp "${dest}/CHANGELOG.rst" "${ROOT}/CHANGELOG.rst"
echo "changelogs/changelog.yaml, changelogs/.plugin-cache.yaml and CHANGELOG.rst regenerated for ${version}"
