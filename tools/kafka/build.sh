#!/usr/bin/env bash
# Builds tools/kafka: target/kafka-broker-0.1.0.jar and target/classpath.txt (Apache Kafka 4 from
# Maven Central), when pom.xml or src/ changed (tools/scripts/maven-build.sh; FORCE=1 rebuilds).
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec bash "$HERE/../scripts/maven-build.sh" kafka "$HERE" target/kafka-broker-0.1.0.jar "17+"
