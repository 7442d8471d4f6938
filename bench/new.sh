#!/usr/bin/env bash
# Benchmark (not a test): wall time of `cargo flink-connector new` (goal ≤ 50 ms), against a
# reference measured in the same run: `cp -r` of the very tree `new` writes (the I/O floor).
# Usage: bench/new.sh [PRESET]   (needs hyperfine: apt-get install hyperfine)
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-redis}
command -v hyperfine >/dev/null || { echo "bench/new.sh needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }
cargo build --release -q
bin=$PWD/target/release/cargo-flink-connector
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
(cd "$work" && "$bin" flink-connector new "$preset" --dir reference >/dev/null 2>&1)
hyperfine -N --warmup 5 --runs 50 --export-json "$work/result.json" \
  --prepare "rm -rf $work/out" \
  -n "new $preset" "$bin flink-connector new $preset --dir $work/out" \
  -n "cp -r (reference)" "cp -r $work/reference $work/out" >&2
python3 - "$work/result.json" "$preset" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
new, ref = r[f"new {sys.argv[2]}"], r["cp -r (reference)"]
print(f"new {sys.argv[2]}: mean {new['mean']*1e3:.1f} ms (±{new['stddev']*1e3:.1f}), "
      f"cp -r reference: {ref['mean']*1e3:.1f} ms, ratio {new['mean']/ref['mean']:.2f}x; goal <= 50 ms: "
      f"{'met' if new['mean'] <= 0.050 else 'MISSED'}")
PY
