#!/usr/bin/env bash
# Builds the project (no tests) and runs the demo: Log4j2 + Logback -> embedded SQS -> tail.
# Options: --events N --threads N --receivers N --queue-url URL --region R   (see README)
set -euo pipefail
cd "$(dirname "$0")"
echo "Building (the first run downloads dependencies)..." >&2
mvn -q -B -ntp -Dstyle.color=never -DskipTests install
mvn -q -B -ntp -Dstyle.color=never -pl samples dependency:build-classpath -Dmdep.outputFile=target/samples.classpath
exec java -cp "samples/target/classes:$(cat samples/target/samples.classpath)" io.github.sqsappender.samples.Demo "$@"
