#!/usr/bin/env bash
# Builds the Go SDK benchmark peer (official Go SDK 3.3.0) into bin/peer, as the compat fixture
# apps/compat/fixtures/go is built. Idempotent; FORCE=1 rebuilds. Exit 127 names a missing toolchain.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
BIN=bin/peer
if [[ "${FORCE:-0}" != 1 && -x $BIN && -z "$(find . -path ./bin -prune -o \( -name '*.go' -o -name go.mod -o -name go.sum \) -newer "$BIN" -print -quit)" ]]; then
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "go peer: toolchain 'go' not found on PATH: install Go 1.21+ (https://go.dev/doc/install)" >&2
  exit 127
fi
go mod download
go build -o "$BIN" .
touch "$BIN"
echo "go peer: built $BIN" >&2
