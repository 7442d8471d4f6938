#!/usr/bin/env bash
# Benchmark (not a test): wall time of `cargo flink-connector package` beside plain Maven run by
# hand, in the same run, interleaved line by line so that changing load hits both alike:
#   1. a single-line project: `package` vs `mvn -B package`;
#   2. a multi-line project, per line: `package --line L` vs `mvn -B -Pflink-L package`, each
#      from an empty target/flink-L (nothing reused), then one `package` of every line at once.
# Warm: the shared ~/.m2. COLD=1: each side starts from its own empty -Dmaven.repo.local, so every
# plugin and Flink artifact is downloaded again (the first line pays for the plugins).
# Usage: bench/lines.sh [PRESET] [LINES]     e.g. bench/lines.sh acme 1.17,1.18,1.19,1.20,2.0,2.1,2.2,2.3
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-acme}
lines=${2:-1.17,1.18,1.19,1.20,2.0,2.1,2.2,2.3}
cold=${COLD:-0}
cargo build --release -q
bin=$PWD/target/release/cargo-flink-connector
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
seconds() { local s; s=$(date +%s.%N); "$@" >"$work/last.log" 2>&1 || { tail -30 "$work/last.log" >&2; return 1; }; printf '%.1f' "$(echo "$(date +%s.%N) - $s" | bc)"; }
ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }
tool_repo=(); hand_repo=()
if [ "$cold" = 1 ]; then
  tool_repo=("-Dmaven.repo.local=$work/m2-tool"); hand_repo=("-Dmaven.repo.local=$work/m2-hand")
fi

echo "bench/lines.sh $preset $lines$([ "$cold" = 1 ] && echo ' COLD=1') — $(date -u +%FT%TZ), load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
first=${lines%%,*}
(cd "$work" && "$bin" flink-connector new "$preset" --dir single --flink "$first" >/dev/null)
cd "$work/single"
t_tool=$(seconds "$bin" flink-connector package -- "${tool_repo[@]}")
rm -rf target
t_hand=$(seconds mvn -B -ntp "${hand_repo[@]}" package)
echo "single-line project (Flink $first): package $t_tool s, mvn package $t_hand s, ratio $(ratio "$t_tool" "$t_hand")"

(cd "$work" && "$bin" flink-connector new "$preset" --dir multi --flink "$lines" >/dev/null)
cd "$work/multi"
sum_tool=0; sum_hand=0
echo "line  package --line  mvn -Pflink-<line> package  ratio"
for line in ${lines//,/ }; do
  line=$(echo "$line" | cut -d. -f1-2)
  rm -rf "target/flink-$line"
  t_tool=$(seconds "$bin" flink-connector package --line "$line" -- "${tool_repo[@]}")
  rm -rf "target/flink-$line"
  t_hand=$(seconds mvn -B -ntp "${hand_repo[@]}" "-Pflink-$line" package)
  echo "$line  $t_tool s  $t_hand s  $(ratio "$t_tool" "$t_hand")"
  sum_tool=$(echo "$sum_tool + $t_tool" | bc); sum_hand=$(echo "$sum_hand + $t_hand" | bc)
done
echo "sum over lines: package --line $sum_tool s, mvn by hand $sum_hand s, ratio $(ratio "$sum_tool" "$sum_hand")"
rm -rf target
t_all=$(seconds "$bin" flink-connector package -- "${tool_repo[@]}")
echo "package, every line in one command (repository now warm for both sides): $t_all s"
grep -E '^(line|[12]\.)' "$work/last.log" || true
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
