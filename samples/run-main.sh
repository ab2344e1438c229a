#!/usr/bin/env bash
# Builds the project (no tests) and runs one main class of the samples module with the given args.
# Used by ./demo.sh and ./tail.sh. Build output goes to target/build.log (shown only on failure).
set -euo pipefail
cd "$(dirname "$0")/.."
main=$1
shift
mkdir -p target
if ! mvn -B -ntp -Dstyle.color=never -DskipTests install > target/build.log 2>&1 \
   || ! mvn -B -ntp -Dstyle.color=never -pl samples dependency:build-classpath \
            -Dmdep.outputFile=target/samples.classpath >> target/build.log 2>&1; then
  tail -50 target/build.log >&2
  exit 1
fi
exec java -cp "samples/target/classes:$(cat samples/target/samples.classpath)" "$main" "$@"
