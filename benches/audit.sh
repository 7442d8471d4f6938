#!/usr/bin/env bash
# Benchmark of the audit on Flink's flink-dist jar (BENCHMARKS.md, section "Audit").
# Every ratio compares medians measured in this same run, on this machine:
#   layout audit (check --layout-only)  vs  `jar tf`    (goal: ≤ 1.0×)
#   deep audit   (check, every class)   vs  `unzip -t`  (goal: ≤ 0.5×, both cores)
# Usage: benches/audit.sh [JAR]   (RUNS=5 by default; needs scripts/provision's Flink cache)
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${FLINK_CONNECTOR_CACHE:-$HOME/.cache/cargo-flink-connector}
JAR=${1:-$(ls "$CACHE"/flink/2.2.1/lib/flink-dist-*.jar)}
RUNS=${RUNS:-5}
cargo build --release --quiet
BIN=target/release/cargo-flink-connector

# Median wall-clock seconds of $RUNS runs; exit codes are ignored (the audit of flink-dist as a
# connector has findings, so it exits 1).
median() {
  local times=()
  for _ in $(seq "$RUNS"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    times+=("$(( (end - start) / 1000000 ))")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{t[NR]=$1} END {printf "%.3f", t[int((NR+1)/2)]/1000}'
}

cat "$JAR" > /dev/null # page cache warm for every contender
entries=$(unzip -Z1 "$JAR" | wc -l)
size=$(du -m "$JAR" | cut -f1)
jar_tf=$(median jar tf "$JAR")
layout=$(median "$BIN" check --layout-only --format json --target flink-2.2 "$JAR")
unzip_t=$(median unzip -tqq "$JAR")
deep=$(median "$BIN" check --format json --target flink-2.2 "$JAR")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

echo "jar: $JAR ($size MB, $entries entries), $(nproc) cores, median of $RUNS runs"
echo "| what | command | seconds | ratio | goal |"
echo "|---|---|---|---|---|"
echo "| layout audit | \`check --layout-only\` | $layout | $(ratio "$layout" "$jar_tf")× jar tf | ≤ 1.0× |"
echo "| baseline | \`jar tf\` | $jar_tf | | |"
echo "| deep audit | \`check\` | $deep | $(ratio "$deep" "$unzip_t")× unzip -t | ≤ 0.5× |"
echo "| baseline | \`unzip -t\` | $unzip_t | | |"
