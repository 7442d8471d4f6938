#!/usr/bin/env bash
# Benchmark (not a test): wall time of a user's first and second `mvn -B package` of a generated
# project (tests included): cold = an empty local repository (every plugin and dependency downloaded
# from Maven Central or the settings.xml mirror), warm = the same repository again.
# Usage: bench/mvn-package.sh [PRESET (default redis)] [FLINK_LINE (default 1.20)]
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-redis}
line=${2:-1.20}
cargo build -q
bin=$PWD/target/debug/cargo-flink-connector
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
(cd "$work" && "$bin" flink-connector new "$preset" --flink "$line" --dir p >/dev/null 2>&1)
run() {
  local start end
  start=$(date +%s.%N)
  (cd "$work/p" && mvn -B -Dstyle.color=never -Dmaven.repo.local="$work/m2" package >"$work/$1.log" 2>&1) \
    || { echo "mvn package ($1) failed; see the tail:" >&2; tail -n 40 "$work/$1.log" >&2; exit 1; }
  end=$(date +%s.%N)
  python3 -c "print(f'{$end-$start:.0f}')"
}
cold=$(run cold)
size=$(du -sm "$work/m2" | cut -f1)
warm=$(run warm)
echo "mvn -B package, new $preset --flink $line: cold ${cold} s (empty local repository, ${size} MB downloaded), warm ${warm} s; load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
