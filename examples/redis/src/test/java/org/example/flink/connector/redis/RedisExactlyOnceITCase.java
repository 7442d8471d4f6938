// Owned: created by cargo-flink-connector, yours to edit; `cargo flink-connector generate` never rewrites it.
package org.example.flink.connector.redis;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.example.flink.connector.redis.RedisTestTables.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code sink.delivery-guarantee} = {@code exactly-once} through failures: a job with checkpoints
 * every 100 ms writes N generated rows as INCRBY counters, HINCRBY hash counters, ZINCRBY scores and
 * RPUSH lists while the task fails at random moments (a map that throws once a random delay has
 * passed, so failures hit writing, checkpointing and committing alike) and the job restarts from
 * its last checkpoint; afterwards every counter, score and list equals what the rows add up to —
 * no row lost, none applied twice. The same harness with the default at-least-once counts replayed
 * rows twice, which is why the option exists. The jobs run on the class's shared MiniCluster; each
 * brings its own checkpointing and restart strategy.
 *
 * <p>{@code -Dredis.exactly-once.kills=50} runs the full count (default 5, kept short for {@code mvn
 * verify}); the rows grow with it so every failure happens before the input ends.
 */
class RedisExactlyOnceITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = RedisTestEnvironment.miniCluster();

    static final int KILLS = Integer.getInteger("redis.exactly-once.kills", 5);
    static final int ROWS = Math.max(4000, KILLS * 400);
    static final int KEYS = 10;

    /** Failures still to inject, and when the next one is due (shared by the map's subtasks: one JVM). */
    static final AtomicInteger KILLS_LEFT = new AtomicInteger();
    static final AtomicLong NEXT_KILL = new AtomicLong();
    static final long RESTARTING = Long.MAX_VALUE;

    /** Reads a key of the deployment under test. */
    interface Redis {
        Object call(String key, Object... args) throws Exception;
    }

    @Test
    void standaloneAppliesEveryRowOnceThroughFailures() throws Exception {
        try (RedisTestServer server = RedisTestServer.start()) {
            if (!exactlyOnceSupported()) {
                assertRefused(standalone(server));
                return;
            }
            runJob(standalone(server), "exactly-once");
            assertExact((key, args) -> server.call(args));
            assertMarkersExpire(server);
        }
    }

    @Test
    void clusterAppliesEveryRowOnceThroughFailures() throws Exception {
        if (!exactlyOnceSupported()) {
            return; // standaloneAppliesEveryRowOnceThroughFailures checks the refusal
        }
        try (RedisTestDeployment cluster = RedisTestDeployment.cluster()) {
            runJob("'connector'='redis','mode'='cluster','cluster.nodes'='" + cluster.seeds() + "','password'='"
                    + RedisTestServer.PASSWORD + "'", "exactly-once");
            assertExact((key, args) -> cluster.ownerOf(key).call(args));
            for (RedisTestServer m : cluster.masters()) {
                assertMarkersExpire(m);
            }
        }
    }

    /** The reason for the option: the same failures with the default guarantee apply replayed rows again. */
    @Test
    void atLeastOnceCountsReplayedRowsTwice() throws Exception {
        try (RedisTestServer server = RedisTestServer.start()) {
            runJob(standalone(server), "at-least-once");
            long counted = 0;
            long pushed = 0;
            for (int i = 0; i < KEYS; i++) {
                long c = Long.parseLong(str(server.call("GET", "c" + i)));
                long l = (Long) server.call("LLEN", "l" + i);
                assertThat(c >= ROWS / KEYS && l >= ROWS / KEYS).as("at-least-once lost no row of key " + i + ": " + c + ", " + l).isTrue();
                counted += c;
                pushed += l;
            }
            assertThat(counted).as("replayed increments were counted twice: " + counted + " for " + ROWS + " rows").isGreaterThan(ROWS);
            assertThat(pushed).as("replayed pushes were pushed twice: " + pushed + " for " + ROWS + " rows").isGreaterThan(ROWS);
        }
    }

    /** Flink 1.17 and 1.18 refuse the option (FLINK-25920: a committing sink fails a bounded job at its end). */
    private static boolean exactlyOnceSupported() {
        String version = EnvironmentInformation.getVersion();
        return !(version.startsWith("1.17") || version.startsWith("1.18"));
    }

    private static void assertRefused(String with) {
        TableEnvironment tEnv = RedisTestEnvironment.tableEnvironment();
        tEnv.executeSql("CREATE TABLE counters (k STRING, v BIGINT) WITH (" + with
                + ",'value.layout'='string','sink.write-mode'='increment','sink.delivery-guarantee'='exactly-once')");
        Throwable error = catchThrowable(() -> tEnv.executeSql("INSERT INTO counters VALUES ('c', CAST(1 AS BIGINT))").await());
        assertThat(error).as("Flink 1.17/1.18 refuse 'sink.delivery-guarantee' = 'exactly-once'").isNotNull();
        RedisTestEnvironment.assertMessageContains(error, "needs Flink 1.19 or later");
    }

    private static String standalone(RedisTestServer server) {
        return "'connector'='redis','hostname'='127.0.0.1','port'='" + server.clientPort() + "','password'='"
                + RedisTestServer.PASSWORD + "'";
    }

    /**
     * Rows n = 0 … ROWS-1, key i = n mod KEYS: counter c&lt;i&gt; += 1, hash h&lt;i&gt; a += 1 and b += 2,
     * zset z member m&lt;i&gt; += 1, list l&lt;i&gt; gets n; {@link #KILLS} injected failures. The job
     * checkpoints every 100 ms and restarts (fixed delay) after each failure: settings of the job's
     * own, so they hold on the shared cluster.
     */
    private static void runJob(String with, String guarantee) throws Exception {
        Map<String, String> job = new HashMap<>();
        job.put("restart-strategy", "fixed-delay"); // the key of 1.17 - 1.19; later lines read the next one
        job.put("restart-strategy.type", "fixed-delay");
        job.put("restart-strategy.fixed-delay.attempts", String.valueOf(KILLS + 20));
        job.put("restart-strategy.fixed-delay.delay", "10 ms");
        StreamExecutionEnvironment env = RedisTestEnvironment.streamEnvironment(2, Configuration.fromMap(job));
        env.enableCheckpointing(100);
        StreamTableEnvironment tEnv = RedisTestEnvironment.tableEnvironment(env);

        KILLS_LEFT.set(KILLS);
        NEXT_KILL.set(RESTARTING);
        DataStream<Long> rows = env.fromSequence(0, ROWS - 1).map(new FailAtRandomMoments());
        tEnv.createTemporaryView("src", tEnv.fromDataStream(rows).as("n"));
        // small batches: an at-least-once writer sends rows between checkpoints, so a replay repeats them
        String common = with + ",'sink.delivery-guarantee'='" + guarantee + "','sink.buffer-flush.max-rows'='10'";
        tEnv.executeSql("CREATE TABLE counters (k STRING, v BIGINT) WITH (" + common
                + ",'value.layout'='string','sink.write-mode'='increment')");
        tEnv.executeSql("CREATE TABLE hcounters (k STRING, a INT, b BIGINT) WITH (" + common
                + ",'value.layout'='hash','sink.write-mode'='increment')");
        tEnv.executeSql("CREATE TABLE scores (k STRING, m STRING, s BIGINT) WITH (" + common
                + ",'value.layout'='zset','zset.score-column'='s','sink.write-mode'='increment')");
        tEnv.executeSql("CREATE TABLE lists (k STRING, e STRING) WITH (" + common + ",'value.layout'='list')");
        StatementSet inserts = tEnv.createStatementSet();
        inserts.addInsertSql("INSERT INTO counters SELECT CONCAT('c', CAST(MOD(n, " + KEYS + ") AS STRING)), CAST(1 AS BIGINT) FROM src");
        inserts.addInsertSql("INSERT INTO hcounters SELECT CONCAT('h', CAST(MOD(n, " + KEYS + ") AS STRING)), 1, CAST(2 AS BIGINT) FROM src");
        inserts.addInsertSql("INSERT INTO scores SELECT 'z', CONCAT('m', CAST(MOD(n, " + KEYS + ") AS STRING)), CAST(1 AS BIGINT) FROM src");
        inserts.addInsertSql("INSERT INTO lists SELECT CONCAT('l', CAST(MOD(n, " + KEYS + ") AS STRING)), CAST(n AS STRING) FROM src");
        inserts.execute().await(10, TimeUnit.MINUTES);
        assertThat(KILLS_LEFT.get()).as("every injected failure happened before the input ended (" + ROWS + " rows)").isEqualTo(0);
    }

    /** Every counter, score and list is what the generated rows add up to. */
    private static void assertExact(Redis redis) throws Exception {
        int perKey = ROWS / KEYS;
        for (int i = 0; i < KEYS; i++) {
            assertThat(str(redis.call("c" + i, "GET", "c" + i))).as("INCRBY counter c" + i).isEqualTo(String.valueOf(perKey));
            assertThat(str(redis.call("h" + i, "HGET", "h" + i, "a"))).as("HINCRBY h" + i + " a").isEqualTo(String.valueOf(perKey));
            assertThat(str(redis.call("h" + i, "HGET", "h" + i, "b"))).as("HINCRBY h" + i + " b").isEqualTo(String.valueOf(2 * perKey));
            assertThat(str(redis.call("z", "ZSCORE", "z", "m" + i))).as("ZINCRBY z m" + i).isEqualTo(String.valueOf(perKey));
            Object[] list = (Object[]) redis.call("l" + i, "LRANGE", "l" + i, 0, -1);
            List<Long> elements = new ArrayList<>();
            for (Object e : list) {
                elements.add(Long.parseLong(str(e)));
            }
            Collections.sort(elements);
            List<Long> expected = new ArrayList<>();
            for (long n = i; n < ROWS; n += KEYS) {
                expected.add(n);
            }
            assertThat(elements).as("RPUSH list l" + i + ": each row's element once").isEqualTo(expected);
        }
    }

    /** The batches left markers, and each expires (nothing piles up). */
    private static void assertMarkersExpire(RedisTestServer server) throws Exception {
        Object[] markers = (Object[]) server.call("KEYS", RedisClient.MARKER_PREFIX + "*");
        for (Object m : markers) {
            long ttl = (Long) server.call("TTL", m);
            assertThat(ttl > 0 && ttl <= RedisClient.MARKER_TTL_SECONDS).as("marker " + str(m) + " expires: TTL " + ttl).isTrue();
        }
    }

    private static long randomDelay() {
        return ThreadLocalRandom.current().nextLong(50, 400);
    }

    /**
     * Passes rows on (about 1 ms each, so checkpoints fall between them); throws when a failure is
     * due: a random time after the last restart, or (every other time) 0-20 ms after a checkpoint
     * completed, i.e. while or just after the committer applies its batches, so a restore replays a
     * commit that was (partly) applied.
     */
    static final class FailAtRandomMoments implements MapFunction<Long, Long>, CheckpointListener {
        private static final long serialVersionUID = 1L;

        @Override
        public Long map(Long n) throws Exception {
            long now = System.currentTimeMillis();
            long due = NEXT_KILL.get();
            if (due == RESTARTING) {
                NEXT_KILL.compareAndSet(RESTARTING, now + randomDelay()); // the next failure: a random time after the restart
            } else if (now >= due && KILLS_LEFT.get() > 0 && NEXT_KILL.compareAndSet(due, RESTARTING)) {
                KILLS_LEFT.decrementAndGet();
                throw new IllegalStateException("injected failure at row " + n);
            }
            Thread.sleep(1);
            return n;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            long due = NEXT_KILL.get();
            if (due != RESTARTING && ThreadLocalRandom.current().nextBoolean()) {
                NEXT_KILL.compareAndSet(due, System.currentTimeMillis() + ThreadLocalRandom.current().nextLong(20));
            }
        }
    }
}
