#!/usr/bin/env bash
# Builds the project (no tests) and runs the demo: Log4j2 + Logback -> embedded SQS -> tail.
# Options: --events N --threads N --receivers N --queue-url URL --region R   (see README)
set -euo pipefail
cd "$(dirname "$0")"
main=io.github.sqsappender.samples.Demo
mkdir -p target
echo "Building (the first run downloads dependencies; log in target/build.log)..." >&2
if ! mvn -B -ntp -Dstyle.color=never -DskipTests install > target/build.log 2>&1 \
   || ! mvn -B -ntp -Dstyle.color=never -pl samples dependency:build-classpath \
            -Dmdep.outputFile=target/samples.classpath >> target/build.log 2>&1; then
  tail -50 target/build.log >&2
  exit 1
fi
exec java -cp "samples/target/classes:$(cat samples/target/samples.classpath)" "$main" "$@"
