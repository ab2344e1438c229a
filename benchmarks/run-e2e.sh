#!/usr/bin/env bash
# End-to-end harness: ElasticMQ in its own JVM, each contender in a fresh JVM. See docs/BENCHMARKS.md.
# Options: --scale 1.0 --bodies 200,2048 --threads 8 --contenders naive,seed-batcher,... --out benchmarks/results
#          --strict-characters true (the server checks every body character, as ElasticMQ does by default)
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target
mvn -B -ntp -Dstyle.color=never -DskipTests install > target/bench-build.log 2>&1 || { tail -50 target/bench-build.log; exit 1; }
mvn -B -ntp -Dstyle.color=never -pl benchmarks dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >> target/bench-build.log 2>&1
exec java -cp "benchmarks/target/classes:$(cat benchmarks/target/bench.classpath)" io.github.sqsappender.benchmarks.Harness "$@"
