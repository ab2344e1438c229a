#!/usr/bin/env bash
# Builds the project (no tests) and runs the queue-tail consumer.
# Options: --queue-url URL [--region R] [--endpoint URL] [--receivers 4] [--follow] [--count N] [--idle S] [--no-delete] [--stats] [--quiet]
set -euo pipefail
cd "$(dirname "$0")"
mvn -q -B -ntp -Dstyle.color=never -DskipTests install
mvn -q -B -ntp -Dstyle.color=never -pl samples dependency:build-classpath -Dmdep.outputFile=target/samples.classpath
exec java -cp "samples/target/classes:$(cat samples/target/samples.classpath)" io.github.sqsappender.samples.Tail "$@"
