#!/usr/bin/env bash
# Builds the Java SDK benchmark peer: target/classes and target/classpath.txt (Maven, as the compat
# fixture). Idempotent; FORCE=1 rebuilds. Exit 127 names a missing toolchain (java, mvn).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
STAMP=target/build.stamp
CPF=target/classpath.txt
if [[ "${FORCE:-0}" != 1 && -f $STAMP && -s $CPF && -z "$(find pom.xml src -newer "$STAMP" -print -quit)" ]]; then
  exit 0
fi
for tool in java mvn; do
  if ! command -v $tool >/dev/null 2>&1; then
    echo "java peer: toolchain '$tool' not found on PATH: install a JDK 11+ and Maven 3.8+" >&2
    exit 127
  fi
done
mvn -B -q -DskipTests compile dependency:build-classpath -Dmdep.outputFile="$PWD/$CPF" >&2
touch "$STAMP"
echo "java peer: built target/classes" >&2
