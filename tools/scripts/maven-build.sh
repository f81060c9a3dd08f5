#!/usr/bin/env bash
# Builds one of this repository's Maven tools (tools/flink-runtime, tools/kafka): <dir>/<jar> and
# <dir>/target/classpath.txt. Idempotent: does nothing when both are newer than pom.xml and every
# file under src/. FORCE=1 rebuilds anyway. Needs 'java' and 'mvn' (Maven Central reachable on the
# first build); exits 127 naming the missing one.
# Usage: maven-build.sh <name> <dir> <jar relative to dir> <JDK versions, for the message>
set -euo pipefail
NAME=$1
HERE=$2
JAR=$3
JDK=$4
cd "$HERE"
CPF=target/classpath.txt

up_to_date() {
  [[ -f $JAR && -s $CPF ]] || return 1
  [[ -z "$(find pom.xml src -newer "$JAR" -print -quit)" ]] || return 1
  [[ -z "$(find pom.xml -newer "$CPF" -print -quit)" ]] || return 1
  # every jar on the classpath must still exist (e.g. ~/.m2 wiped)
  local IFS=':' j
  for j in $(cat "$CPF"); do [[ -f $j ]] || return 1; done
  return 0
}

if [[ "${FORCE:-0}" != 1 ]] && up_to_date; then
  echo "$NAME: build up to date ($JAR)"
  exit 0
fi

# Concurrent callers (parallel test files) build once: take a lock, then look again.
mkdir -p target
if command -v flock >/dev/null 2>&1; then
  exec 9>target/.build.lock
  flock 9
  if [[ "${FORCE:-0}" != 1 ]] && up_to_date; then
    echo "$NAME: build up to date ($JAR, built by a concurrent caller)"
    exit 0
  fi
fi

if ! command -v java >/dev/null 2>&1; then
  echo "$NAME: 'java' not found on PATH: install a JDK $JDK (e.g. apt-get install openjdk-17-jdk-headless)" >&2
  exit 127
fi
if ! command -v mvn >/dev/null 2>&1; then
  echo "$NAME: 'mvn' (Maven) not found on PATH: install Maven 3.8+ (e.g. apt-get install maven)" >&2
  exit 127
fi

start=$(date +%s%N)
echo "$NAME: building with Maven..."
mvn -B -q -Dstyle.color=never -DskipTests package dependency:build-classpath -Dmdep.outputFile="$HERE/$CPF"
touch "$CPF" "$JAR"
echo "$NAME: built $JAR in $(( ($(date +%s%N) - start) / 1000000 )) ms"
