#!/usr/bin/env bash
# The queue-tail consumer. Builds first.
# Options: --queue-url URL [--region R] [--endpoint URL] [--receivers 4] [--follow] [--count N] [--idle S] [--no-delete] [--stats] [--quiet]
exec "$(dirname "$0")/samples/run-main.sh" io.github.sqsappender.samples.Tail "$@"
