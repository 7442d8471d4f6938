#!/usr/bin/env bash
# Benchmark of the audit on Flink's flink-dist jar (BENCHMARKS.md, section "Audit").
# Every ratio compares medians measured in this same run, on this machine (issue 9's goals):
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
provisioned() { FLINK_CONNECTOR_CACHE=$CACHE "$BIN" check --format json --target flink-2.2 "$@"; }
fresh() { FLINK_CONNECTOR_CACHE=$EMPTY "$BIN" check --format json --target flink-2.2 "$@"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

cat "$JAR" "$SMALL" "$CACHE"/flink/2.2.1/lib/*.jar > /dev/null # page cache warm for every contender
entries=$(unzip -Z1 "$JAR" | wc -l)
size=$(du -m "$JAR" | cut -f1)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
jar_tf=$(median jar tf "$JAR")
layout_p=$(median provisioned --layout-only "$JAR")
layout_f=$(median fresh --layout-only "$JAR")
unzip_t=$(median unzip -tqq "$JAR")
deep_p=$(median provisioned "$JAR")
deep_f=$(median fresh "$JAR")
small_p=$(median provisioned --layout-only "$SMALL")
small_f=$(median fresh --layout-only "$SMALL")
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo "jar: $JAR ($size MB, $entries entries), $(nproc) cores, median of $RUNS runs"
echo "load average before: $load_before, after: $load_after"
echo "| what | runtime | seconds | ratio | goal |"
echo "|---|---|---|---|---|"
echo "| layout audit (\`check --layout-only\`) | provisioned lib/ | $layout_p | $(ratio "$layout_p" "$jar_tf")× jar tf | ≤ 0.5× |"
echo "| layout audit (\`check --layout-only\`) | built-in index | $layout_f | $(ratio "$layout_f" "$jar_tf")× jar tf | ≤ 0.5× |"
echo "| baseline \`jar tf\` | | $jar_tf | | |"
echo "| deep audit (\`check\`) | provisioned lib/ | $deep_p | $(ratio "$deep_p" "$unzip_t")× unzip -t | ≤ 0.25× |"
echo "| deep audit (\`check\`) | built-in index | $deep_f | $(ratio "$deep_f" "$unzip_t")× unzip -t | ≤ 0.25× |"
echo "| baseline \`unzip -tqq\` | | $unzip_t | | |"
echo "| fixed cost: layout audit of $(basename "$SMALL") | provisioned lib/ | $small_p | | |"
echo "| fixed cost: layout audit of $(basename "$SMALL") | built-in index | $small_f | | |"
