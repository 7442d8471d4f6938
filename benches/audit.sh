#!/usr/bin/env bash
# Benchmark of the audit on Flink's flink-dist jar (BENCHMARKS.md, section "Audit").
# Every ratio compares medians of interleaved rounds in this same run, on this machine (issue 9's goals):
#   layout audit (check --layout-only)  vs  `jar tf`    (goal: ≤ 0.5×)
#   deep audit   (check, every class)   vs  `unzip -t`  (goal: ≤ 0.25×, both cores)
# in both modes: provisioned (the cached lib/ of 2.2.1 is the runtime) and fresh install
# (FLINK_CONNECTOR_CACHE points at an empty directory: the built-in class index is the runtime).
# Plus the fixed cost: a layout audit of a small connector jar (flink-json, 180 KB), both modes.
# Usage: benches/audit.sh [JAR [SMALL_JAR]]   (RUNS=5 by default; needs scripts/provision's cache)
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${FLINK_CONNECTOR_CACHE:-$HOME/.cache/cargo-flink-connector}
JAR=${1:-$(ls "$CACHE"/flink/2.2.1/lib/flink-dist-*.jar)}
SMALL=${2:-$(ls "$CACHE"/flink/2.2.1/lib/flink-json-*.jar)}
RUNS=${RUNS:-5}
cargo build --release --quiet
BIN=target/release/cargo-flink-connector
EMPTY=$(mktemp -d)
trap 'rmdir "$EMPTY"' EXIT

# Median wall-clock seconds of $RUNS runs; exit codes are ignored (the audit of flink-dist as a
# connector has findings, so it exits 1).
# Wall-clock milliseconds of one run; exit codes are ignored (the audit of flink-dist as a
# connector has findings, so it exits 1).
millis() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}
# "median (min–max)" in seconds of the space-separated milliseconds in $1.
summary() {
  printf '%s\n' $1 | sort -n | awk '{t[NR]=$1} END {printf "%.3f (%.3f–%.3f)", t[int((NR+1)/2)]/1000, t[1]/1000, t[NR]/1000}'
}
median_of() { summary "$1" | cut -d' ' -f1; }
provisioned() { FLINK_CONNECTOR_CACHE=$CACHE "$BIN" check --format json --target flink-2.2 "$@"; }
fresh() { FLINK_CONNECTOR_CACHE=$EMPTY "$BIN" check --format json --target flink-2.2 "$@"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

cat "$JAR" "$SMALL" "$CACHE"/flink/2.2.1/lib/*.jar > /dev/null # page cache warm for every contender
entries=$(unzip -Z1 "$JAR" | wc -l)
size=$(du -m "$JAR" | cut -f1)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# Interleaved: every round runs each contender once, so a change of load hits all alike.
declare -A t
for _ in $(seq "$RUNS"); do
  t[jar_tf]+="$(millis jar tf "$JAR") "
  t[layout_p]+="$(millis provisioned --layout-only "$JAR") "
  t[layout_f]+="$(millis fresh --layout-only "$JAR") "
  t[unzip_t]+="$(millis unzip -tqq "$JAR") "
  t[deep_p]+="$(millis provisioned "$JAR") "
  t[deep_f]+="$(millis fresh "$JAR") "
  t[small_p]+="$(millis provisioned --layout-only "$SMALL") "
  t[small_f]+="$(millis fresh --layout-only "$SMALL") "
done
for k in "${!t[@]}"; do declare "$k=$(median_of "${t[$k]}")"; done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo "jar: $JAR ($size MB, $entries entries), $(nproc) cores, median (min–max) of $RUNS interleaved rounds"
echo "load average before: $load_before, after: $load_after"
echo "| what | runtime | seconds | ratio | goal |"
echo "|---|---|---|---|---|"
echo "| layout audit (\`check --layout-only\`) | provisioned lib/ | $(summary "${t[layout_p]}") | $(ratio "$layout_p" "$jar_tf")× jar tf | ≤ 0.5× |"
echo "| layout audit (\`check --layout-only\`) | built-in index | $(summary "${t[layout_f]}") | $(ratio "$layout_f" "$jar_tf")× jar tf | ≤ 0.5× |"
echo "| baseline \`jar tf\` | | $(summary "${t[jar_tf]}") | | |"
echo "| deep audit (\`check\`) | provisioned lib/ | $(summary "${t[deep_p]}") | $(ratio "$deep_p" "$unzip_t")× unzip -t | ≤ 0.25× |"
echo "| deep audit (\`check\`) | built-in index | $(summary "${t[deep_f]}") | $(ratio "$deep_f" "$unzip_t")× unzip -t | ≤ 0.25× |"
echo "| baseline \`unzip -tqq\` | | $(summary "${t[unzip_t]}") | | |"
echo "| fixed cost: layout audit of $(basename "$SMALL") | provisioned lib/ | $(summary "${t[small_p]}") | | |"
echo "| fixed cost: layout audit of $(basename "$SMALL") | built-in index | $(summary "${t[small_f]}") | | |"
