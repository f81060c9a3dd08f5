#!/usr/bin/env bash
# Builds every compat fixture (or the ones named: build-fixtures.sh go python).
# Each build is idempotent and fast when nothing changed. A missing toolchain is reported by name
# and skipped (exit 0 unless STRICT=1); any other build failure fails the script.
set -uo pipefail
FIXTURES="$(cd "$(dirname "${BASH_SOURCE[0]}")/../fixtures" && pwd)"
langs=("$@")
[[ ${#langs[@]} -eq 0 ]] && langs=(go java python)
missing=() failed=()
for lang in "${langs[@]}"; do
  bash "$FIXTURES/$lang/build.sh"
  rc=$?
  if [[ $rc -eq 127 ]]; then missing+=("$lang"); elif [[ $rc -ne 0 ]]; then failed+=("$lang"); fi
done
[[ ${#missing[@]} -gt 0 ]] && echo "build-fixtures: skipped (toolchain missing): ${missing[*]}" >&2
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "build-fixtures: FAILED: ${failed[*]}" >&2
  exit 1
fi
[[ ${#missing[@]} -gt 0 && "${STRICT:-0}" == 1 ]] && exit 1
exit 0
