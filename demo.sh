#!/usr/bin/env bash
# The demo: Log4j2 + Logback -> embedded SQS -> tail. Builds first (the first run downloads dependencies).
# Options: --events N --threads N --receivers N --queue-url URL --region R   (see README)
echo "Building (the first run downloads dependencies; log in target/build.log)..." >&2
exec "$(dirname "$0")/samples/run-main.sh" io.github.sqsappender.samples.Demo "$@"
