#!/usr/bin/env bash
# Builds tools/flink-runtime: target/flink-runtime-0.1.0.jar and target/classpath.txt, when
# pom.xml or src/ changed (tools/scripts/maven-build.sh; FORCE=1 rebuilds anyway).
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec bash "$HERE/../scripts/maven-build.sh" flink-runtime "$HERE" target/flink-runtime-0.1.0.jar "11 or 17"
