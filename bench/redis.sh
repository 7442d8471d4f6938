#!/usr/bin/env bash
# Benchmark (not a test): the generated Redis connector against Flink's own floors, redis-benchmark
# and its peers, on one Flink line, against the same redis-server in the same run, interleaved:
#   - Flink's floors (bench/redis/FloorFactory.java, connector 'floor', planned like the Redis
#     connector): datagen -> blackhole; a Sink V2 writer that discards; one that encodes the
#     connector's RESP SET into a reused buffer; an AsyncLookupFunction answering from memory
#     (misses and hits); none does I/O;
#   - ours (cargo flink-connector new redis): sink (at-least-once, and exactly-once: its cost),
#     async lookups (no cache; misses and hits);
#   - jeff-zou/flink-connector-redis (compiled from a checkout given as JEFF_ZOU_SRC: it is not
#     on Maven Central; its lookup needs flink-table-planner_2.12 instead of the planner loader)
#     and Apache Bahir's RedisSink 1.1.0 (Maven Central; sink only) — on Flink 1.17 only, the
#     newest line both run on;
#   - redis-benchmark -P 64 -t set / -P 16 -t get;
# then the sink on a 3-master cluster beside redis-benchmark --cluster. Each round runs every
# measurement once, in turn, so load changes hit all of them alike. Every measurement is a fresh
# JVM that runs its job twice (-Druns=2: the first run warms the JVM up) and keeps the better run:
#   "job": rows / the job's net runtime (includes deployment, code generation, JIT warm-up);
#   "server": the steady-state rate Redis saw (commands/s between 2 % and 98 % of the job's
#   commands, INFO stats polled every 10 ms; every measured job sends one command per row).
# Prints medians with min – max per figure, every Redis figure as a ratio to its floor, to
# redis-benchmark and to the best peer, and the load average before, during and after.
# Take figures on a quiet machine (load average < 0.5 at the start); the defaults take ~15 min.
#
# Usage: [JEFF_ZOU_SRC=dir] [FLINK_VERSION=1.17.2] bench/redis.sh [ROWS (default 500000)] [ROUNDS (default 5)]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-500000}
rounds=${2:-5}
version=${FLINK_VERSION:-1.17.2}
release=8; [[ $version == 2.* ]] && release=11
peers=; [[ $version == 1.17.* ]] && peers=1
cache=$HOME/.cache/cargo-flink-connector
lib=$cache/flink/$version/lib
m2=$cache/m2
for c in cargo java javac mvn redis-server redis-benchmark redis-cli python3; do
  command -v $c >/dev/null || { echo "bench/redis.sh needs $c" >&2; exit 2; }
done
[ -d "$lib" ] || { echo "no Flink $version jars in $lib (run scripts/provision)" >&2; exit 2; }

work=$(mktemp -d)
pids=()
cleanup() {
  # stop only the redis-servers started here, by their PIDs
  for f in "$work"/*.pid; do [ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  sleep 0.3
  [ -n "${KEEP:-}" ] && echo "kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT
# a free loopback port; at most 55535, since a cluster node also listens on its port + 10000
free_port() {
  python3 -c 'import socket
while True:
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close()
    if p <= 55535: print(p); break'
}
start_redis() { # NAME PORT [ARGS…]
  local name=$1 port=$2; shift 2
  mkdir -p "$work/$name"
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$work/$name.pid" --requirepass 123456 --masterauth 123456 --dir "$work/$name" \
    --logfile "$work/$name/redis.log" "$@"
  for _ in $(seq 100); do
    redis-cli -h 127.0.0.1 -p "$port" -a 123456 --no-auth-warning ping >/dev/null 2>&1 && return; sleep 0.1
  done
  echo "redis-server $name did not start: $(tail -1 "$work/$name/redis.log")" >&2; return 1
}

echo "== building: ours on Flink $version, the peers' libraries" >&2
cargo build -q
./target/debug/cargo-flink-connector flink-connector new redis --dir "$work/project" --flink "${version%.*}" --templates "$PWD/templates" >/dev/null
mvn_offline=()
if [ -d "$m2" ]; then
  mvn_offline=(-o -Dmaven.repo.local="$m2" -Dshade-plugin.version=3.4.1 -Dcompiler-plugin.version=3.10.1
    -Dsurefire-plugin.version=2.22.3 -Djar-plugin.version=3.3.0 -Dresources-plugin.version=3.3.0
    -Dclean-plugin.version=3.2.0 -Dinstall-plugin.version=3.1.0 -Djunit.version=5.9.2)
fi
(cd "$work/project" && mvn -B -q "${mvn_offline[@]}" -DskipTests package)
ours=$(ls "$work"/project/target/flink-connector-redis-*.jar | grep -v original | head -1)
mkdir -p "$work/classes/META-INF/services" "$work/src" "$work/peerlib"
# the floors, registered as a table factory as a connector jar registers its own
sed_2x=(); [[ $release == 11 ]] && sed_2x=(-e 's/createWriter(InitContext context)/createWriter(org.apache.flink.api.connector.sink2.WriterInitContext context)/')
sed "${sed_2x[@]}" -e '' bench/redis/FloorFactory.java >"$work/src/FloorFactory.java"
echo FloorFactory >"$work/classes/META-INF/services/org.apache.flink.table.factories.Factory"
javac -nowarn --release $release -cp "$lib/*:$ours" -d "$work/classes" bench/redis/RedisBench.java "$work/src/FloorFactory.java"
if [ -n "$peers" ]; then
  (cd bench/redis/peers && mvn -B -q dependency:copy-dependencies -DoutputDirectory="$work/peerlib")
  javac -nowarn --release 8 -cp "$lib/*:$work/peerlib/*:$work/classes" -d "$work/classes" bench/redis/PeerBench.java bench/redis/BahirBench.java
else
  echo "Flink $version: jeff-zou and Bahir run on 1.17 only; they are skipped" >&2
fi
jeff=""
if [ -n "$peers" ] && [ -n "${JEFF_ZOU_SRC:-}" ]; then
  mvn -B -q dependency:copy -Dartifact=org.apache.flink:flink-table-planner_2.12:$version -DoutputDirectory="$work/planner"
  mkdir -p "$work/lib-planner"
  for j in "$lib"/*.jar; do [[ $j == *planner-loader* ]] || ln -s "$j" "$work/lib-planner/"; done
  ln -s "$work"/planner/*.jar "$work/lib-planner/"
  mkdir -p "$work/jeff"
  javac -nowarn -Xlint:none -encoding UTF-8 --release 8 -cp "$work/lib-planner/*:$work/peerlib/*" -d "$work/jeff" \
    $(find "$JEFF_ZOU_SRC/src/main/java" -name '*.java') 2>&1 | grep -v '^Note' || true
  cp -r "$JEFF_ZOU_SRC"/src/main/resources/* "$work/jeff/"
  jeff="$work/jeff"
  echo "jeff-zou: $(git -C "$JEFF_ZOU_SRC" log -1 --format='%h %s' 2>/dev/null || echo "$JEFF_ZOU_SRC")" >&2
else
  echo "JEFF_ZOU_SRC unset: jeff-zou/flink-connector-redis is skipped" >&2
fi

port=$(free_port)
start_redis single "$port"
rcli() { redis-cli -h 127.0.0.1 -p "$port" -a 123456 --no-auth-warning "$@"; }
out=$work/results.txt
: >"$out"
load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "LOAD start $(load)" >>"$out"
bm() { # one redis-benchmark figure: TEST ARGS…
  local t=$1; shift
  redis-benchmark -h 127.0.0.1 "$@" -a 123456 -t "$t" -n "$rows" -q 2>/dev/null | tr '\r' '\n' \
    | grep -oE "^$(echo "$t" | tr a-z A-Z): [0-9.]+" | tail -1 | awk '{print $2}'
}
# Flink 1.17 on JDK 17 needs these opens (its env.java.opts.all default); a failed job is reported by record
opens=(--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED)
jvm() { java -Xmx1g "${opens[@]}" -Druns=2 "$@" 2>>"$work/bench.err" || true; }
java_ours() { jvm -cp "$lib/*:$ours:$work/classes" "$@"; }
java_jeff() { if [ -n "$jeff" ]; then jvm -cp "$work/lib-planner/*:$work/peerlib/*:$jeff:$work/classes" "$@"; fi; }
java_bahir() { if [ -n "$peers" ]; then jvm -cp "$lib/*:$work/peerlib/*:$work/classes" "$@"; fi; }
record() { grep -E "^(RESULT|SERVER)" | sed "s/^/ROUND $1 /" >>"$out" || echo "no RESULT: the job was skipped or failed (KEEP=1 keeps $work/bench.err)" >&2; }

for round in $(seq "$rounds"); do
  echo "== round $round of $rounds (load $(load))" >&2
  echo "ROUND $round REF SET-P64 $(bm set -p "$port" -P 64)" >>"$out"
  echo "ROUND $round REF GET-P16 $(bm get -p "$port" -P 16)" >>"$out"
  java_ours -Donly="datagen -> blackhole" RedisBench "$port" 123456 "$rows" | record "$round"
  java_ours -Donly="floor sink, discard" RedisBench "$port" 123456 "$rows" | record "$round"
  java_ours -Donly="floor sink, encode" RedisBench "$port" 123456 "$rows" | record "$round"
  java_ours -Donly="sink, value.layout=string" RedisBench "$port" 123456 "$rows" | record "$round"
  java_ours -Donly="sink, exactly-once" RedisBench "$port" 123456 "$rows" | record "$round"
  java_jeff -Donly="jeff-zou sink" PeerBench jeff "$port" 123456 "$rows" | record "$round"
  java_bahir BahirBench "$port" 123456 "$rows" | record "$round"
  java_ours -Donly="floor lookup, async, misses" RedisBench "$port" 123456 "$rows" | record "$round"
  java_ours -Donly="lookup, misses, async (GET" RedisBench "$port" 123456 "$rows" | record "$round"
  java_jeff -Donly="jeff-zou lookup, misses" PeerBench jeff "$port" 123456 "$rows" | record "$round"
  java_ours -Donly="floor lookup, async, hits" RedisBench "$port" 123456 "$rows" | record "$round"
  java_ours -Donly="lookup, hits, async" RedisBench "$port" 123456 "$rows" | record "$round"
  java_jeff -Donly="jeff-zou lookup, hits" PeerBench jeff "$port" 123456 "$rows" | record "$round"
done
echo "LOAD after-single $(load)" >>"$out"

cluster_rounds() {
echo "== cluster of 3 masters + 3 replicas" >&2
nodes=()
for i in 1 2 3 4 5 6; do
  p=$(free_port); start_redis "node$i" "$p" --cluster-enabled yes --cluster-config-file nodes.conf; nodes+=("127.0.0.1:$p")
done
redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes -a 123456 --no-auth-warning >/dev/null
for _ in $(seq 300); do
  redis-cli -h 127.0.0.1 -p "${nodes[0]#*:}" -a 123456 --no-auth-warning cluster info 2>/dev/null | grep -q 'cluster_state:ok' && break; sleep 0.1
done
sleep 2
seeds=$(IFS=,; echo "${nodes[*]}")
for round in $(seq "$rounds"); do
  echo "== cluster round $round of $rounds (load $(load))" >&2
  echo "ROUND $round REF SET-P64-cluster $(bm set -p "${nodes[0]#*:}" --cluster -P 64)" >>"$out"
  java_ours -Donly="sink, cluster" -DclusterNodes="$seeds" RedisBench "$port" 123456 "$rows" | record "$round"
done
}
# a failed cluster part still leaves the single-server figures to print
cluster_rounds || echo "the cluster part failed: its figures are missing" >&2
echo "LOAD end $(load)" >>"$out"

python3 - "$out" "$rows" "$version" <<'PY'
import re, statistics, sys
out, rows, version = sys.argv[1], sys.argv[2], sys.argv[3]
job, server, loads = {}, {}, []
for line in open(out):
    if line.startswith('LOAD'):
        loads.append(line.strip()[5:]); continue
    m = re.match(r'ROUND \d+ REF (\S+) ([0-9.]+)', line)
    if m:
        job.setdefault('redis-benchmark ' + m.group(1), []).append(float(m.group(2))); continue
    m = re.match(r'ROUND \d+ RESULT (.+?)\s+(\d+) rows\s+(\d+) ms\s+(\d+) rows/s', line)
    if m:
        job.setdefault(m.group(1).strip(), []).append(float(m.group(4))); continue
    m = re.match(r'ROUND \d+ SERVER (.+?)\s+([0-9.]+) commands/s', line)
    if m and float(m.group(2)) > 0:
        server.setdefault(m.group(1).strip(), []).append(float(m.group(2)))
print(f"Flink {version}, parallelism 1, {rows} rows per job, each job run twice per JVM (better run kept); "
      "load average (1/5/15 min): " + "; ".join(loads))
print()
print("| measurement | job: median rows/s | min – max | server: median commands/s | min – max | rounds |")
print("|---|---:|---|---:|---|---:|")
for k, v in job.items():
    sv = server.get(k, [])
    srv = f"{statistics.median(sv):,.0f} | {min(sv):,.0f} – {max(sv):,.0f}" if sv else "— | —"
    if k.startswith('redis-benchmark'):
        srv = "(its own figure) | —"
    print(f"| {k} | {statistics.median(v):,.0f} | {min(v):,.0f} – {max(v):,.0f} | {srv} | {len(v)} |")
def med(table, prefix):
    v = [x for k, x in table.items() if k.startswith(prefix)]
    return statistics.median(v[0]) if v else None
# figure, ours, its Flink floor, peers, redis-benchmark reference
pairs = [("sink", "sink, value.layout=string", "floor sink, encode", ["jeff-zou sink", "bahir sink"], "redis-benchmark SET-P64"),
         ("sink, exactly-once", "sink, exactly-once", "floor sink, encode", [], "redis-benchmark SET-P64"),
         ("async lookup misses", "lookup, misses, async", "floor lookup, async, misses", ["jeff-zou lookup, misses"], "redis-benchmark GET-P16"),
         ("async lookup hits", "lookup, hits, async", "floor lookup, async, hits", ["jeff-zou lookup, hits"], "redis-benchmark GET-P16"),
         ("cluster sink", "sink, cluster", "floor sink, encode", [], "redis-benchmark SET-P64-cluster")]
def spread(table, prefix):
    v = [x for k, x in table.items() if k.startswith(prefix)]
    return f"{min(v[0]):,.0f} – {max(v[0]):,.0f}" if v else "—"
for title, table in (("job (rows / net runtime)", job), ("server (steady state seen by Redis)", server)):
    print()
    print(f"Ratios of medians, {title}:")
    print()
    print("| figure | ours (min – max) | Flink floor | ours / floor | redis-benchmark | ours / redis-benchmark | best peer | ours / best peer |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, o, fl, peers, ref in pairs:
        # floors send nothing to Redis: they have a job figure only
        ours, r, f = med(table, o), med(job, ref), med(job, fl) if table is job else None
        ps = [p for p in (med(table, x) for x in peers) if p]
        best = max(ps) if ps else None
        if ours is None:
            continue
        print(f"| {name} | {ours:,.0f} ({spread(table, o)}) | {f'{f:,.0f}' if f else '—'} | {f'{ours / f:.0%}' if f else '—'} | "
              f"{f'{r:,.0f}' if r else '—'} | {f'{ours / r:.0%}' if r else '—'} | "
              f"{f'{best:,.0f}' if best else '—'} | {f'{ours / best:.2f}×' if best else '—'} |")
alo, eo = med(job, "sink, value.layout=string"), med(job, "sink, exactly-once")
if alo and eo:
    print()
    print(f"exactly-once cost (job): {eo:,.0f} rows/s = {eo / alo:.0%} of at-least-once ({alo:,.0f} rows/s)")
for name in ("datagen -> blackhole", "floor sink, discard", "floor sink, encode", "floor lookup, async, misses", "floor lookup, async, hits"):
    f, r = med(job, name), med(job, "redis-benchmark SET-P64")
    if f and r:
        print(f"Flink's floor '{name}': {f:,.0f} rows/s = {f / r:.0%} of SET -P 64")
PY
