#!/usr/bin/env bash
# Prints the path of a protoc: the one on PATH, else com.google.protobuf:protoc from Maven Central
# (fetched once into ~/.m2 with mvn). Exit 127 names what is missing.
set -euo pipefail
VERSION=3.21.12
if command -v protoc >/dev/null 2>&1; then command -v protoc; exit 0; fi
case "$(uname -m)" in
  x86_64) CLASSIFIER=linux-x86_64 ;;
  aarch64 | arm64) CLASSIFIER=linux-aarch_64 ;;
  *) echo "protoc: no Maven Central build for $(uname -m); install protoc (apt-get install protobuf-compiler)" >&2; exit 127 ;;
esac
JAR_DIR="$HOME/.m2/repository/com/google/protobuf/protoc/$VERSION"
EXE="$JAR_DIR/protoc-$VERSION-$CLASSIFIER.exe"
if [[ ! -f $EXE ]]; then
  if ! command -v mvn >/dev/null 2>&1; then
    echo "protoc: toolchain 'protoc' not found on PATH, and 'mvn' is missing to fetch it from Maven Central (apt-get install protobuf-compiler or maven)" >&2
    exit 127
  fi
  mvn -B -q dependency:get -Dartifact="com.google.protobuf:protoc:$VERSION:exe:$CLASSIFIER" -Dtransitive=false >&2
fi
[[ -x $EXE ]] || chmod +x "$EXE"
echo "$EXE"
