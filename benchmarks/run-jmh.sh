#!/usr/bin/env bash
# JMH call-cost benchmarks at 1, 2 and 4 threads, with allocation per call (-prof gc).
# Results: benchmarks/results/jmh-t{1,2,4}.json. See docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target benchmarks/results
mvn -B -ntp -Dstyle.color=never -DskipTests install > target/bench-build.log 2>&1 || { tail -50 target/bench-build.log; exit 1; }
mvn -B -ntp -Dstyle.color=never -pl benchmarks dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >> target/bench-build.log 2>&1
cp="benchmarks/target/classes:$(cat benchmarks/target/bench.classpath)"
for t in ${THREADS:-1 2 4}; do
  java -cp "$cp" org.openjdk.jmh.Main -t "$t" -prof gc -rf json -rff "benchmarks/results/jmh-t$t.json" "$@" 'CallCost'
done
