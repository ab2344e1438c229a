#!/usr/bin/env bash
# Soak: N minutes of paced logging through outages, throttling and connection resets, sampled every
# period. Options: --minutes 10 --period 60 --rate 0 (0 = half the measured max) --producers 2
# --out benchmarks/results. See docs/RELIABILITY.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target
mvn -B -ntp -Dstyle.color=never -DskipTests install > target/bench-build.log 2>&1 || { tail -50 target/bench-build.log; exit 1; }
mvn -B -ntp -Dstyle.color=never -pl benchmarks dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >> target/bench-build.log 2>&1
exec java -Xmx512m -Dsun.net.httpserver.nodelay=true -Daws.accessKeyId=soak -Daws.secretAccessKey=soak -Daws.region=us-east-1 -cp "benchmarks/target/classes:$(cat benchmarks/target/bench.classpath)" io.github.sqsappender.benchmarks.Soak "$@"
