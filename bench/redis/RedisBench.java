import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Throughput of the generated Redis connector in an embedded MiniCluster (run by bench/redis.sh and
 * bench/redis/peers.sh). Two figures per job: "RESULT" = rows / the job's net runtime
 * (JobExecutionResult#getNetRuntime: without MiniCluster start-up, but with the job's deployment,
 * code generation and JIT warm-up), and "SERVER" = the steady-state rate Redis itself saw:
 * commands executed per second (INFO stats total_commands_processed, polled every 10 ms on every
 * monitored server, our own INFO calls subtracted) between the moments 2 % and 98 % of the job's
 * commands had arrived. Usage: RedisBench PORT PASSWORD ROWS [PARALLELISM]
 */
public class RedisBench {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String password = args[1];
        long rows = Long.parseLong(args[2]);
        int parallelism = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        monitored = "127.0.0.1:" + port;
        monitorPassword = password;
        String redis = "'connector'='redis','hostname'='127.0.0.1','port'='" + port + "','password'='" + password + "'"
                + System.getProperty("redisOptions", "");

        // the probe/source side: a sequence, and random keys in 1..1000 for cache hits
        String gen = "'connector'='datagen','rows-per-second'='1000000000','number-of-rows'='" + rows + "',"
                + "'fields.id.kind'='sequence','fields.id.start'='1','fields.id.end'='" + rows + "'";

        bench("datagen -> blackhole (source floor)", rows, parallelism,
                "CREATE TABLE src (id BIGINT) WITH (" + gen + ")",
                "CREATE TABLE bh (k BIGINT, v BIGINT) WITH ('connector'='blackhole')",
                "INSERT INTO bh SELECT id, id FROM src");

        // Flink's floors: the same job into connector 'floor' (FloorFactory), wired like the Redis sink
        bench("floor sink, discard (Sink V2 writer, no I/O)", rows, parallelism,
                "CREATE TABLE src (id BIGINT) WITH (" + gen + ")",
                "CREATE TABLE kv (k BIGINT, v BIGINT, PRIMARY KEY (k) NOT ENFORCED) WITH ('connector'='floor','sink'='discard')",
                "INSERT INTO kv SELECT id, id FROM src");

        bench("floor sink, encode RESP SET into a reused buffer (no I/O)", rows, parallelism,
                "CREATE TABLE src (id BIGINT) WITH (" + gen + ")",
                "CREATE TABLE kv (k BIGINT, v BIGINT, PRIMARY KEY (k) NOT ENFORCED) WITH ('connector'='floor','sink'='encode','key.prefix'='s:')",
                "INSERT INTO kv SELECT id, id FROM src");

        bench("sink, exactly-once, value.layout=string (SET k v in scripts)", rows, parallelism,
                "SET 'execution.checkpointing.interval' = '1 s'",
                "CREATE TABLE src (id BIGINT) WITH (" + gen + ")",
                "CREATE TABLE kv (k BIGINT, v BIGINT, PRIMARY KEY (k) NOT ENFORCED) WITH (" + redis
                        + ",'value.layout'='string','key.prefix'='e:','sink.delivery-guarantee'='exactly-once')",
                "INSERT INTO kv SELECT id, id FROM src");

        bench("sink, value.layout=string (SET k v)", rows, parallelism,
                "CREATE TABLE src (id BIGINT) WITH (" + gen + ")",
                "CREATE TABLE kv (k BIGINT, v BIGINT, PRIMARY KEY (k) NOT ENFORCED) WITH (" + redis
                        + ",'value.layout'='string','key.prefix'='s:')",
                "INSERT INTO kv SELECT id, id FROM src");

        String clusterNodes = System.getProperty("clusterNodes", "");
        if (!clusterNodes.isEmpty() && "sink, cluster".contains(System.getProperty("only", "sink, cluster"))) {
            monitored = clusterNodes; // the monitor keeps the masters among them
            bench("sink, cluster of 3 masters, value.layout=string (SET k v)", rows, parallelism,
                    "CREATE TABLE src (id BIGINT) WITH (" + gen + ")",
                    "CREATE TABLE kv (k BIGINT, v BIGINT, PRIMARY KEY (k) NOT ENFORCED) WITH ('connector'='redis','mode'='cluster',"
                            + "'cluster.nodes'='" + clusterNodes + "','password'='" + password + "','value.layout'='string','key.prefix'='c:')",
                    "INSERT INTO kv SELECT id, id FROM src");
            monitored = "127.0.0.1:" + port;
        }

        bench("sink, value.layout=hash, 2 fields (HSET k a x b y)", rows, parallelism,
                "CREATE TABLE src (id BIGINT) WITH (" + gen + ")",
                "CREATE TABLE h (k BIGINT, a BIGINT, b BIGINT, PRIMARY KEY (k) NOT ENFORCED) WITH (" + redis
                        + ",'key.prefix'='h:')",
                "INSERT INTO h SELECT id, id, id FROM src");

        bench("sink, value.layout=hash + ttl (HSET + EXPIRE)", rows, parallelism,
                "CREATE TABLE src (id BIGINT) WITH (" + gen + ")",
                "CREATE TABLE h (k BIGINT, a BIGINT, b BIGINT, PRIMARY KEY (k) NOT ENFORCED) WITH (" + redis
                        + ",'key.prefix'='t:','ttl'='600')",
                "INSERT INTO h SELECT id, id, id FROM src");

        String probe = "CREATE TABLE probe (id BIGINT, pt AS PROCTIME()) WITH (" + gen + ")";
        String randomProbe = "CREATE TABLE probe (id BIGINT, pt AS PROCTIME()) WITH ('connector'='datagen','rows-per-second'='1000000000',"
                + "'number-of-rows'='" + rows + "','fields.id.kind'='random','fields.id.min'='1','fields.id.max'='1000')";
        String bh = "CREATE TABLE bh (id BIGINT, v BIGINT) WITH ('connector'='blackhole')";
        String join = "INSERT INTO bh SELECT p.id, d.v FROM probe AS p "
                + "LEFT JOIN dim FOR SYSTEM_TIME AS OF p.pt AS d ON p.id = d.k";

        bench("lookup, cache hits (PARTIAL cache, 1000 hot keys, sync)", rows, parallelism,
                randomProbe, bh,
                "CREATE TABLE dim (k BIGINT, v BIGINT) WITH (" + redis + ",'value.layout'='string','key.prefix'='s:',"
                        + "'lookup.cache'='PARTIAL','lookup.partial-cache.max-rows'='10000')",
                join);

        bench("floor lookup, async, misses (AsyncLookupFunction from memory)", rows, parallelism,
                probe, bh, "CREATE TABLE dim (k BIGINT, v BIGINT) WITH ('connector'='floor','lookup.async'='true')", join);

        bench("floor lookup, async, hits (AsyncLookupFunction from memory)", rows, parallelism,
                probe, bh, "CREATE TABLE dim (k BIGINT, v BIGINT) WITH ('connector'='floor','lookup.async'='true','lookup.hit'='true')", join);

        bench("lookup, misses, async (GET of absent keys, no cache)", rows, parallelism,
                probe, bh,
                "CREATE TABLE dim (k BIGINT, v BIGINT) WITH (" + redis + ",'value.layout'='string','key.prefix'='absent:',"
                        + "'lookup.async'='true')",
                join);

        bench("lookup, hits, async (GET of present keys, no cache)", rows, parallelism,
                probe, bh,
                "CREATE TABLE dim (k BIGINT, v BIGINT) WITH (" + redis + ",'value.layout'='string','key.prefix'='s:',"
                        + "'lookup.async'='true')",
                join);

        bench("lookup, misses, async, table.exec.async-lookup.timeout=0", rows, parallelism,
                "SET 'table.exec.async-lookup.timeout' = '0 s'",
                probe, bh,
                "CREATE TABLE dim (k BIGINT, v BIGINT) WITH (" + redis + ",'value.layout'='string','key.prefix'='absent:',"
                        + "'lookup.async'='true')",
                join);

        long syncRows = Math.min(rows, 200_000);
        String syncProbe = "CREATE TABLE probe (id BIGINT, pt AS PROCTIME()) WITH ('connector'='datagen','rows-per-second'='1000000000','number-of-rows'='"
                + syncRows + "','fields.id.kind'='sequence','fields.id.start'='1','fields.id.end'='" + syncRows + "')";
        bench("lookup, misses, sync (one round trip each, no cache)", syncRows, parallelism,
                syncProbe, bh,
                "CREATE TABLE dim (k BIGINT, v BIGINT) WITH (" + redis + ",'value.layout'='string','key.prefix'='absent:')",
                join);
    }

    /**
     * Runs the statements (the last one is the job) -Druns=N times (default 3) and reports the best
     * run, unless -Donly=TEXT names another measurement. The machine may be shared: the best run is
     * the one least disturbed.
     */
    static void bench(String what, long rows, int parallelism, String... statements) throws Exception {
        if (!what.contains(System.getProperty("only", ""))) {
            return;
        }
        int runs = Integer.getInteger("runs", 3);
        long best = Long.MAX_VALUE;
        double bestServer = 0;
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < runs; i++) {
            Monitor m = new Monitor();
            long millis = run(parallelism, statements);
            double server = m.stop();
            best = Math.min(best, millis);
            bestServer = Math.max(bestServer, server);
            all.append(i == 0 ? "" : ", ").append(String.format("%.0f (server %.0f)", rows * 1000.0 / Math.max(1, millis), server));
        }
        report(what, rows, best);
        reportServer(what, bestServer);
        System.out.println("RUNS " + what + ": " + all + " rows/s");
    }

    /** The servers the next jobs write to or read from, host:port[,host:port…] (replicas are skipped). */
    static String monitored = "";
    static String monitorPassword = "";

    static void reportServer(String what, double commandsPerSecond) {
        System.out.printf("SERVER %-58s %12.0f commands/s%n", what, commandsPerSecond);
    }

    /**
     * Polls INFO stats of every monitored master every 10 ms while a job runs; {@link #stop()}
     * returns the commands/s between the samples at which 2 % and 98 % of the job's commands had
     * been executed (the steady state: job start-up and the tail are outside that window).
     */
    static final class Monitor implements Runnable {
        private final List<Socket> sockets = new ArrayList<>();
        private final List<long[]> samples = new ArrayList<>(); // {nanoTime, commands since start}
        private final Thread thread = new Thread(this, "bench-monitor");
        private volatile boolean stopped;

        Monitor() throws IOException {
            for (String hp : monitored.split(",")) {
                String[] parts = hp.trim().split(":");
                Socket s = new Socket(parts[0], Integer.parseInt(parts[1]));
                s.setTcpNoDelay(true);
                call(s, "AUTH", monitorPassword);
                if (call(s, "INFO", "replication").contains("role:master")) {
                    sockets.add(s);
                } else {
                    s.close();
                }
            }
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void run() {
            try {
                long base = -1;
                for (long polls = 0; !stopped; polls++) {
                    long total = 0;
                    for (Socket s : sockets) {
                        String info = call(s, "INFO", "stats");
                        int at = info.indexOf("total_commands_processed:") + "total_commands_processed:".length();
                        total += Long.parseLong(info.substring(at, info.indexOf('\r', at)));
                    }
                    // each poll is one INFO command per server: subtract them
                    long commands = total - polls * sockets.size();
                    if (base < 0) {
                        base = commands;
                    }
                    synchronized (samples) {
                        samples.add(new long[] {System.nanoTime(), commands - base});
                    }
                    Thread.sleep(10);
                }
            } catch (Exception e) {
                System.err.println("monitor: " + e);
            }
        }

        double stop() throws Exception {
            stopped = true;
            thread.join();
            for (Socket s : sockets) {
                s.close();
            }
            long last = samples.get(samples.size() - 1)[1];
            long[] from = null;
            long[] to = null;
            for (long[] sample : samples) {
                if (from == null && sample[1] >= last * 0.02) {
                    from = sample;
                }
                if (to == null && sample[1] >= last * 0.98) {
                    to = sample;
                }
            }
            if (from == null || to == null || to[0] <= from[0]) {
                return 0;
            }
            return (to[1] - from[1]) * 1e9 / (to[0] - from[0]);
        }

        /** One command as a RESP array; its reply as text (a bulk string's content, or the status line). */
        private static String call(Socket s, String... args) throws IOException {
            StringBuilder cmd = new StringBuilder("*" + args.length + "\r\n");
            for (String a : args) {
                cmd.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(cmd.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            String line = readLine(in);
            if (line.startsWith("$")) {
                int n = Integer.parseInt(line.substring(1));
                byte[] body = new byte[n + 2];
                for (int off = 0; off < body.length; ) {
                    int r = in.read(body, off, body.length - off);
                    if (r < 0) {
                        throw new IOException("closed");
                    }
                    off += r;
                }
                return new String(body, 0, n, StandardCharsets.UTF_8);
            }
            if (line.startsWith("-")) {
                throw new IOException(line);
            }
            return line;
        }

        private static String readLine(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) {
                    throw new IOException("closed");
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }
    }

    /** A MiniCluster that binds to 127.0.0.1 only. */
    static Map<String, String> loopback() {
        Map<String, String> settings = new HashMap<>();
        settings.put("rest.bind-address", "127.0.0.1");
        settings.put("rest.address", "127.0.0.1");
        settings.put("rest.bind-port", "0");
        settings.put("jobmanager.bind-host", "127.0.0.1");
        settings.put("taskmanager.bind-host", "127.0.0.1");
        settings.put("taskmanager.host", "127.0.0.1");
        return settings;
    }

    static TableEnvironment env(int parallelism) {
        Map<String, String> settings = loopback();
        settings.put("parallelism.default", String.valueOf(parallelism));
        settings.put("table.exec.async-lookup.buffer-capacity", System.getProperty("asyncCapacity", "1000"));
        settings.put("table.exec.async-lookup.output-mode", "ALLOW_UNORDERED");
        // -Dconf=key=value;key=value: further settings (e.g. table.exec.async-lookup.timeout=0)
        for (String kv : System.getProperty("conf", "").split(";")) {
            if (kv.contains("=")) {
                settings.put(kv.substring(0, kv.indexOf('=')).trim(), kv.substring(kv.indexOf('=') + 1).trim());
            }
        }
        return TableEnvironment.create(
                EnvironmentSettings.newInstance().inStreamingMode().withConfiguration(Configuration.fromMap(settings)).build());
    }

    static long run(int parallelism, String... statements) throws Exception {
        TableEnvironment tEnv = env(parallelism);
        TableResult result = null;
        for (String s : statements) {
            java.util.regex.Matcher set = java.util.regex.Pattern.compile("SET '(.+)' = '(.*)'").matcher(s);
            if (set.matches()) {
                tEnv.getConfig().getConfiguration().setString(set.group(1), set.group(2));
            } else if (s.startsWith("INSERT") && Boolean.getBoolean("explain")) {
                // -Dexplain=true: the operators and the ship strategy of every edge (FORWARD = chainable)
                System.out.println("PLAN " + tEnv.explainSql(s, org.apache.flink.table.api.ExplainDetail.JSON_EXECUTION_PLAN));
                result = tEnv.executeSql(s);
            } else {
                result = tEnv.executeSql(s);
            }
        }
        long start = System.nanoTime();
        JobExecutionResult done = result.getJobClient().get().getJobExecutionResult().get();
        long wall = (System.nanoTime() - start) / 1_000_000L;
        System.err.println("net runtime " + done.getNetRuntime() + " ms, waited " + wall + " ms");
        return done.getNetRuntime();
    }

    static void report(String what, long rows, long millis) {
        System.out.printf("RESULT %-58s %10d rows %8d ms %12.0f rows/s%n", what, rows, millis, rows * 1000.0 / Math.max(1, millis));
    }
}
