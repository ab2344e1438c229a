#!/usr/bin/env bash
# A local SQS server (ElasticMQ on 127.0.0.1) with one queue, until Ctrl-C: to try the appenders and
# the command without AWS. Builds first. Options: --port 9324 --queue logs
exec "$(dirname "$0")/samples/run-main.sh" io.github.sqsappender.samples.LocalSqs "$@"
