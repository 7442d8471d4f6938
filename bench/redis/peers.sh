#!/usr/bin/env bash
# The peers (jeff-zou, Bahir) now run in bench/redis.sh, beside Flink's floors: same arguments.
exec "$(dirname "$0")/../redis.sh" "$@"
