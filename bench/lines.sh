#!/usr/bin/env bash
# Benchmark (not a test): wall time of `cargo flink-connector package` on a multi-line project
# (build, generated tests, shade, audit per line) beside plain `mvn -B -Pflink-<line> package` run
# once per line by hand, in the same run, with a warm Maven repository (~/.m2) and, with
# COLD=1, with an empty one (-Dmaven.repo.local=<fresh dir>: everything downloaded again).
# Usage: bench/lines.sh [PRESET] [LINES]     e.g. bench/lines.sh acme 1.17,1.18,1.19,1.20,2.0,2.1,2.2,2.3
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-acme}
lines=${2:-1.17,1.18,1.19,1.20,2.0,2.1,2.2,2.3}
cargo build --release -q
bin=$PWD/target/release/cargo-flink-connector
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
seconds() { local s; s=$(date +%s.%N); "$@" >"$work/last.log" 2>&1 || { tail -30 "$work/last.log" >&2; return 1; }; echo "$(date +%s.%N) - $s" | bc; }

echo "bench/lines.sh $preset $lines — $(date -u +%FT%TZ), load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
(cd "$work" && "$bin" flink-connector new "$preset" --dir p --flink "$lines" >/dev/null)
cd "$work/p"
repo=()
if [ "${COLD:-0}" = 1 ]; then
  repo=("-Dmaven.repo.local=$work/m2-package")
fi
t=$(seconds "$bin" flink-connector package -- "${repo[@]}")
echo "package, every line ($lines)$([ "${COLD:-0}" = 1 ] && echo ', cold'): $t s"
grep -E '^(line|[12]\.)' "$work/last.log" || true
rm -rf target
if [ "${COLD:-0}" = 1 ]; then
  repo=("-Dmaven.repo.local=$work/m2-mvn")
fi
total=0
for line in ${lines//,/ }; do
  line=$(echo "$line" | cut -d. -f1-2)
  t=$(seconds mvn -B -ntp "${repo[@]}" "-Pflink-$line" package)
  echo "mvn -Pflink-$line package: $t s"
  total=$(echo "$total + $t" | bc)
done
echo "mvn by hand, once per line: $total s"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
