#!/usr/bin/env bash
# Creates the Python SDK benchmark peer's virtualenv (.venv: official Python SDK + aiohttp).
# Idempotent; FORCE=1 rebuilds. Exit 127 names a missing toolchain (python3 with venv).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
STAMP=.venv/build.stamp
if [[ "${FORCE:-0}" != 1 && -f $STAMP && -x .venv/bin/python && -z "$(find requirements.txt -newer "$STAMP" -print -quit)" ]]; then
  exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "python peer: toolchain 'python3' not found on PATH: install Python 3.8+ with venv" >&2
  exit 127
fi
[[ -x .venv/bin/python ]] || python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -r requirements.txt >&2
touch "$STAMP"
echo "python peer: built .venv" >&2
