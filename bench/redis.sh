#!/usr/bin/env bash
# Benchmark (not a test): throughput of the generated Redis connector in an embedded MiniCluster —
# sink rows/s, lookup rows/s (cache hits; async misses) — against `redis-benchmark -P 64 -t set`
# and `-P 16 -t get` on the same redis-server in the same run. Two figures per job (RedisBench):
# rows / the job's net runtime, and the steady-state commands/s Redis saw (INFO stats, 2 %..98 %).
# Goals (issue 3): sink >= 50% of SET -P 64; cache hits >= 1 M rows/s; async misses >= 30% of GET -P 16.
#
# Usage: bench/redis.sh [ROWS (default 2000000)] [FLINK_VERSION (default 1.20.5)] [PARALLELISM (default 1)]
# Needs: cargo, java, mvn, redis-server, redis-benchmark, redis-cli and Flink's jars for the version
# under ~/.cache/cargo-flink-connector/flink/VERSION/lib (scripts/provision). Uses only 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-2000000}
version=${2:-1.20.5}
parallelism=${3:-1}
cache=$HOME/.cache/cargo-flink-connector
lib=$cache/flink/$version/lib
for c in cargo java javac mvn redis-server redis-benchmark redis-cli; do
  command -v $c >/dev/null || { echo "bench/redis.sh needs $c" >&2; exit 2; }
done
[ -d "$lib" ] || { echo "no Flink $version jars in $lib (run scripts/provision)" >&2; exit 2; }
release=8; [[ $version == 2.* ]] && release=11

work=$(mktemp -d)
pidfile=$work/redis.pid
cleanup() {
  # stop only the redis-server started here, by its PID
  if [ -s "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null || true; sleep 0.3; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== generating and building the connector (Flink $version)" >&2
cargo build -q
# Built as a user builds it (plain Maven, Central) against the line's newest patch that Central
# serves completely (1.20.5's table artifacts are not there); it runs on VERSION's lib/.
./target/debug/cargo-flink-connector flink-connector new redis --dir "$work/project" --flink "${version%.*}" \
  --templates "$PWD/templates" >/dev/null
(cd "$work/project" && mvn -B -q -Dstyle.color=never -DskipTests package)
jar=$(ls "$work"/project/target/flink-connector-redis-*.jar | grep -v original | head -1)
mkdir -p "$work/classes"
javac -nowarn --release $release -cp "$lib/*" -d "$work/classes" bench/redis/RedisBench.java

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --pidfile "$pidfile" --requirepass 123456 --dir "$work" --logfile "$work/redis.log"
for _ in $(seq 100); do
  redis-cli -h 127.0.0.1 -p "$port" -a 123456 --no-auth-warning ping >/dev/null 2>&1 && break; sleep 0.1
done
rcli() { redis-cli -h 127.0.0.1 -p "$port" -a 123456 --no-auth-warning "$@"; }

echo "== redis-benchmark on 127.0.0.1:$port ($rows requests each)" >&2
set_rps=$(redis-benchmark -h 127.0.0.1 -p "$port" -a 123456 -P 64 -t set -n "$rows" -q 2>/dev/null | tr '\r' '\n' | grep -oE 'SET: [0-9.]+' | tail -1 | awk '{print $2}')
get_rps=$(redis-benchmark -h 127.0.0.1 -p "$port" -a 123456 -P 16 -t get -n "$rows" -q 2>/dev/null | tr '\r' '\n' | grep -oE 'GET: [0-9.]+' | tail -1 | awk '{print $2}')
rcli flushall >/dev/null

echo "== connector in a MiniCluster (parallelism $parallelism)" >&2
java -Xmx2g -cp "$lib/*:$jar:$work/classes" RedisBench "$port" 123456 "$rows" "$parallelism" 2>"$work/bench.err" \
  | tee "$work/bench.out" | grep -E '^(RESULT|SERVER|RUNS)' >&2 || { tail -40 "$work/bench.err" >&2; exit 1; }
keys=$(rcli dbsize)

python3 - "$work/bench.out" "$set_rps" "$get_rps" "$rows" "$version" "$parallelism" "$keys" <<'PY'
import re, sys
out, set_rps, get_rps, rows, version, par, keys = sys.argv[1:]
set_rps, get_rps = float(set_rps), float(get_rps)
r, srv = {}, {}
for line in open(out):
    m = re.match(r'RESULT (.+?)\s+(\d+) rows\s+(\d+) ms\s+(\d+) rows/s', line)
    if m:
        r[m.group(1).strip()] = int(m.group(4))
    m = re.match(r'SERVER (.+?)\s+([0-9.]+) commands/s', line)
    if m:
        srv[m.group(1).strip()] = float(m.group(2))
def pick(prefix):
    return next(v for k, v in r.items() if k.startswith(prefix))
sink = pick('sink, value.layout=string')
hits = pick('lookup, cache hits')
miss = pick('lookup, misses, async')
print(f"Flink {version}, parallelism {par}, {rows} rows per job, keys in Redis afterwards: {keys}")
print(f"redis-benchmark -P 64 -t set: {set_rps:,.0f} req/s; -P 16 -t get: {get_rps:,.0f} req/s")
print()
print("| measurement | job rows/s | server commands/s | reference | ratio (job) | ratio (server) | goal |")
print("|---|---:|---:|---|---:|---:|---|")
for k, v in r.items():
    ref, ratio, goal = "", "", ""
    if k.startswith('sink'):
        ref, ratio = "SET -P 64", f"{v / set_rps:.0%}"
    if k.startswith('sink, value.layout=string'):
        sv = srv.get(k, 0)
        goal = ("≥ 50% of SET -P 64: job " + ("met" if v >= 0.5 * set_rps else "missed")
                + ", server " + ("met" if sv >= 0.5 * set_rps else "missed"))
    if k.startswith('lookup, cache hits'):
        goal = "≥ 1 M/s: " + ("met" if v >= 1e6 else "missed")
    if k.startswith('lookup') and 'cache hits' not in k:
        ref, ratio = "GET -P 16", f"{v / get_rps:.0%}"
    if k.startswith('lookup, misses, async'):
        goal = "≥ 30% of GET -P 16: " + ("met" if v >= 0.3 * get_rps else "missed")
    sv = srv.get(k, 0)
    sratio = ""
    if sv and ref:
        sratio = f"{sv / (set_rps if ref.startswith('SET') else get_rps):.0%}"
    print(f"| {k} | {v:,} | {f'{sv:,.0f}' if sv else '—'} | {ref} | {ratio} | {sratio} | {goal} |")
PY
