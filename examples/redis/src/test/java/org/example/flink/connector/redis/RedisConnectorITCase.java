// Owned: created by cargo-flink-connector, yours to edit; `cargo flink-connector generate` never rewrites it.
package org.example.flink.connector.redis;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.example.flink.connector.redis.RedisTestEnvironment.assertMessageContains;
import static org.example.flink.connector.redis.RedisTestEnvironment.collectSorted;
import static org.example.flink.connector.redis.RedisTestTables.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.fail;

/**
 * SQL tests of the 'redis' connector on an embedded MiniCluster against a real redis-server
 * started with {@code --requirepass 123456} on a free port of 127.0.0.1.
 */
class RedisConnectorITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = RedisTestEnvironment.miniCluster();

    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    /** The example's DDL as users write it, with the test server's port (and a TTL a slow machine cannot outlive). */
    private static String[] exampleDdl(int port) {
        return new String[] {
            "CREATE TABLE redis_dim (sex STRING, `desc` STRING, rt AS PROCTIME())\n"
                    + "  WITH ('connector'='redis','hostname'='localhost','port'='" + port + "','password'='123456')",
            "CREATE TABLE redis (id STRING, name STRING, sex STRING, PRIMARY KEY (id) NOT ENFORCED)\n"
                    + "  WITH ('connector'='redis','hostname'='localhost','port'='" + port + "','password'='123456','ttl'='3600')"
        };
    }

    @Test
    void theExampleWritesWithTtlLooksUpAndScans() throws Exception {
        TableEnvironment tEnv = RedisTestEnvironment.tableEnvironment();
        for (String ddl : exampleDdl(redis.port)) {
            tEnv.executeSql(ddl);
        }
        String common = "'connector'='redis','hostname'='localhost','port'='" + redis.port + "','password'='123456'";
        tEnv.executeSql("CREATE TABLE redis_dim_cached (sex STRING, `desc` STRING) WITH (" + common
                + ",'lookup.cache'='PARTIAL','lookup.partial-cache.max-rows'='100')");
        tEnv.executeSql("CREATE TABLE redis_dim_async (sex STRING, `desc` STRING) WITH (" + common
                + ",'lookup.async'='true','lookup.cache'='PARTIAL','lookup.partial-cache.max-rows'='100')");

        StatementSet inserts = tEnv.createStatementSet();
        inserts.addInsertSql("INSERT INTO redis VALUES ('1','Alice','female'), ('2','Bob','male'), ('3','Carol','unknown')");
        inserts.addInsertSql("INSERT INTO redis_dim (sex, `desc`) VALUES ('female','Woman'), ('male','Man')");
        inserts.execute().await(2, TimeUnit.MINUTES);

        // rows are hashes under the primary key, with the expiry (3600 s, not the docs' 60: a busy machine may take a minute between the write and the scan)
        assertThat(str(redis.call("HGET", "1", "name"))).isEqualTo("Alice");
        assertThat(str(redis.call("HGET", "1", "sex"))).isEqualTo("female");
        for (String id : Arrays.asList("1", "2", "3")) {
            long ttl = (Long) redis.call("TTL", id);
            assertThat(ttl > 0 && ttl <= 3600).as("TTL of " + id + ": " + ttl).isTrue();
        }
        assertThat(str(redis.call("HGET", "male", "desc"))).isEqualTo("Man");
        assertThat(redis.call("TTL", "male")).isEqualTo(-1L); // redis_dim has no ttl

        // scan of `redis` as the probe side; lookups sync, sync+cache, async+cache; misses are NULL
        assertThat(collectSorted(tEnv.executeSql(
                        "SELECT r.id, r.name, r.sex, d.`desc`, c.`desc`, a.`desc`\n"
                                + "FROM (SELECT *, PROCTIME() AS pt FROM redis) AS r\n"
                                + "LEFT JOIN redis_dim FOR SYSTEM_TIME AS OF r.pt AS d ON r.sex = d.sex\n"
                                + "LEFT JOIN redis_dim_cached FOR SYSTEM_TIME AS OF r.pt AS c ON r.sex = c.sex\n"
                                + "LEFT JOIN redis_dim_async FOR SYSTEM_TIME AS OF r.pt AS a ON r.sex = a.sex")))
                .isEqualTo(Arrays.asList(
                        "+I[1, Alice, female, Woman, Woman, Woman]",
                        "+I[2, Bob, male, Man, Man, Man]",
                        "+I[3, Carol, unknown, null, null, null]"));

        // an inner join drops the miss
        assertThat(collectSorted(tEnv.executeSql(
                        "SELECT r.name, d.`desc` FROM (SELECT *, PROCTIME() AS pt FROM redis) AS r\n"
                                + "JOIN redis_dim FOR SYSTEM_TIME AS OF r.pt AS d ON r.sex = d.sex")))
                .isEqualTo(Arrays.asList("+I[Alice, Woman]", "+I[Bob, Man]"));

        // the partial cache answers repeated keys: 200 probe rows over 2 keys cost a few HMGETs
        tEnv.executeSql("CREATE TABLE probe (id BIGINT, pt AS PROCTIME()) WITH ('connector'='datagen',"
                + "'number-of-rows'='200','fields.id.kind'='sequence','fields.id.start'='1','fields.id.end'='200')");
        redis.call("CONFIG", "RESETSTAT");
        List<String> joined = collectSorted(tEnv.executeSql(
                "SELECT p.id, c.`desc` FROM probe AS p\n"
                        + "JOIN redis_dim_cached FOR SYSTEM_TIME AS OF p.pt AS c\n"
                        + "ON CASE WHEN MOD(p.id, 2) = 0 THEN 'male' ELSE 'female' END = c.sex"));
        assertThat(joined.size()).isEqualTo(200);
        assertThat(joined.contains("+I[1, Woman]") && joined.contains("+I[200, Man]")).as(joined.toString()).isTrue();
        long hmgets = redis.commandCalls("hmget");
        assertThat(hmgets >= 2 && hmgets <= 4).as("HMGET calls with the cache (2 keys, parallelism 2): " + hmgets).isTrue();

        // scanning redis_dim returns what was written to it (the `redis` rows have no `desc` field)
        assertThat(collectSorted(tEnv.executeSql("SELECT sex, `desc` FROM redis_dim")))
                .isEqualTo(Arrays.asList("+I[female, Woman]", "+I[male, Man]"));
    }

    @Test
    void badOptionsFailWhenTheStatementIsPlannedNamingTheProblem() {
        TableEnvironment tEnv = RedisTestEnvironment.tableEnvironment();
        String common = "'connector'='redis','hostname'='127.0.0.1','port'='" + redis.port + "','password'='123456'";
        tEnv.executeSql("CREATE TABLE two_values (k STRING, a STRING, b STRING) WITH (" + common + ",'value.layout'='string')");
        Exception e = assertThatExceptionOfType(Exception.class).isThrownBy(() -> tEnv.executeSql("INSERT INTO two_values VALUES ('k', 'a', 'b')")).actual();
        assertMessageContains(e, "stores one value column");
        // Flink lists the table's options in this error: the password is masked there too
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(!String.valueOf(t.getMessage()).contains("123456")).as("password in: " + t.getMessage()).isTrue();
        }
        tEnv.executeSql("CREATE TABLE bad_layout (k STRING, a STRING) WITH (" + common + ",'value.layout'='tree')");
        e = assertThatExceptionOfType(Exception.class).isThrownBy(() -> tEnv.executeSql("SELECT * FROM bad_layout")).actual();
        assertMessageContains(e, "'value.layout' must be hash, string");
    }

    @Test
    void aTtlMetadataColumnGivesEachRowItsOwnTtl() throws Exception {
        TableEnvironment tEnv = RedisTestEnvironment.tableEnvironment();
        String common = "'connector'='redis','hostname'='127.0.0.1','port'='" + redis.port + "','password'='123456'";
        tEnv.executeSql("CREATE TABLE timed (id STRING, v STRING, life BIGINT METADATA FROM 'ttl', PRIMARY KEY (id) NOT ENFORCED)"
                + " WITH (" + common + ",'value.layout'='string','ttl'='3600')");
        tEnv.executeSql("INSERT INTO timed VALUES ('m1', 'a', CAST(100 AS BIGINT)), ('m2', 'b', CAST(NULL AS BIGINT)),"
                + " ('m3', 'c', CAST(7000 AS BIGINT)), ('m4', 'd', CAST(0 AS BIGINT))").await(2, TimeUnit.MINUTES);
        assertThat(str(redis.call("GET", "m1"))).isEqualTo("a");
        assertThat(str(redis.call("GET", "m3"))).isEqualTo("c");
        long m1 = (Long) redis.call("TTL", "m1");
        long m2 = (Long) redis.call("TTL", "m2");
        long m3 = (Long) redis.call("TTL", "m3");
        long m4 = (Long) redis.call("TTL", "m4");
        assertThat(m1 > 0 && m1 <= 100).as("TTL from the metadata column: " + m1).isTrue();
        assertThat(m2 > 100 && m2 <= 3600).as("NULL metadata: the table's ttl: " + m2).isTrue();
        assertThat(m3 > 3600 && m3 <= 7000).as("TTL from the metadata column: " + m3).isTrue();
        assertThat(m4 > 100 && m4 <= 3600).as("0 in the metadata column: the table's ttl: " + m4).isTrue();

        tEnv.executeSql("CREATE TABLE timed_pubsub (ch STRING, msg STRING, life BIGINT METADATA FROM 'ttl')"
                + " WITH (" + common + ",'value.layout'='pubsub')");
        Exception e = assertThatExceptionOfType(Exception.class).isThrownBy(() -> tEnv.executeSql("INSERT INTO timed_pubsub VALUES ('c', 'm', CAST(5 AS BIGINT))")).actual();
        assertMessageContains(e, "which have no TTL");
    }

    @Test
    void aFinishedBoundedJobHasWrittenEveryRowAndEveryTtl() throws Exception {
        TableEnvironment tEnv = RedisTestEnvironment.tableEnvironment();
        tEnv.executeSql(exampleDdl(redis.port)[1]);
        tEnv.executeSql("CREATE TABLE gen (id BIGINT, name STRING, sex STRING) WITH ("
                + "'connector'='datagen','number-of-rows'='5000',"
                + "'fields.id.kind'='sequence','fields.id.start'='1','fields.id.end'='5000',"
                + "'fields.name.length'='8','fields.sex.length'='1')");
        tEnv.executeSql("INSERT INTO redis SELECT CAST(id AS STRING), name, sex FROM gen").await(2, TimeUnit.MINUTES);
        assertThat(redis.call("DBSIZE")).isEqualTo(5000L);
        // every key has its expiry: SCAN all keys, TTL each
        String cursor = "0";
        int checked = 0;
        do {
            Object[] page = (Object[]) redis.call("SCAN", cursor, "COUNT", 1000);
            cursor = str(page[0]);
            for (Object key : (Object[]) page[1]) {
                long ttl = (Long) redis.call("TTL", key);
                assertThat(ttl > 0 && ttl <= 3600).as("TTL of " + str(key) + ": " + ttl).isTrue();
                checked++;
            }
        } while (!"0".equals(cursor));
        assertThat(checked).isEqualTo(5000);
    }

    @Test
    void deletesInTheChangelogDeleteKeys() throws Exception {
        Configuration conf = new Configuration();
        Map<String, String> loopback = new HashMap<>();
        loopback.put("rest.bind-address", "127.0.0.1");
        loopback.put("rest.address", "127.0.0.1");
        loopback.put("rest.bind-port", "0");
        loopback.put("jobmanager.bind-host", "127.0.0.1");
        loopback.put("taskmanager.bind-host", "127.0.0.1");
        loopback.put("taskmanager.host", "127.0.0.1");
        conf.addAll(Configuration.fromMap(loopback));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
        tEnv.executeSql(exampleDdl(redis.port)[1]);
        TypeInformation<Row> type = Types.ROW_NAMED(new String[] {"id", "name", "sex"}, Types.STRING, Types.STRING, Types.STRING);
        Table changes = tEnv.fromChangelogStream(
                env.fromCollection(
                        Arrays.asList(
                                Row.ofKind(RowKind.INSERT, "1", "Alice", "female"),
                                Row.ofKind(RowKind.INSERT, "2", "Bob", "male"),
                                Row.ofKind(RowKind.UPDATE_AFTER, "2", "Robert", "male"),
                                Row.ofKind(RowKind.DELETE, "1", "Alice", "female")),
                        type),
                Schema.newBuilder().primaryKey("id").build(),
                ChangelogMode.upsert());
        changes.executeInsert("redis").await(2, TimeUnit.MINUTES);
        assertThat(redis.call("EXISTS", "1")).isEqualTo(0L);
        assertThat(str(redis.call("HGET", "2", "name"))).isEqualTo("Robert");
    }

    @Test
    void aRedisRestartMidJobIsRetriedAndAnOutageFailsTheJobClearly() throws Exception {
        try (RedisTestServer persistent = RedisTestServer.start(true)) {
            TableEnvironment tEnv = RedisTestEnvironment.tableEnvironment(1);
            tEnv.getConfig().getConfiguration().setString("restart-strategy.type", "none");
            tEnv.getConfig().getConfiguration().setString("execution.checkpointing.interval", "500 ms");
            String with = "'connector'='redis','hostname'='127.0.0.1','port'='" + persistent.port + "','password'='123456',"
                    + "'sink.buffer-flush.max-rows'='50','sink.buffer-flush.interval'='100 ms'";
            tEnv.executeSql("CREATE TABLE sink_restart (id BIGINT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                    + with + ",'sink.max-retries'='8')");
            tEnv.executeSql("CREATE TABLE sink_outage (id BIGINT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                    + with + ",'sink.max-retries'='2','key.prefix'='outage:')");
            tEnv.executeSql("CREATE TABLE slow_gen (id BIGINT, v STRING) WITH ('connector'='datagen',"
                    + "'rows-per-second'='1000','fields.id.kind'='sequence','fields.id.start'='1',"
                    + "'fields.id.end'='4000','fields.v.length'='4')");

            // Redis goes away for a second while rows are being written; the sink retries and loses nothing
            TableResult restarted = tEnv.executeSql("INSERT INTO sink_restart SELECT id, v FROM slow_gen");
            waitForKeys(persistent, 500);
            persistent.stop();
            Thread.sleep(1000);
            persistent.restart();
            restarted.await(2, TimeUnit.MINUTES);
            assertThat(persistent.call("DBSIZE")).isEqualTo(4000L);

            // Redis goes away for good: after 'sink.max-retries' retries the job fails, naming the server
            persistent.call("FLUSHALL");
            TableResult outage = tEnv.executeSql("INSERT INTO sink_outage SELECT id, v FROM slow_gen");
            waitForKeys(persistent, 200);
            persistent.stop();
            Exception failure = assertThatExceptionOfType(Exception.class)
                    .isThrownBy(() -> {
                try {
                    outage.await(2, TimeUnit.MINUTES);
                } catch (TimeoutException e) {
                    outage.getJobClient().get().cancel();
                    fail("the job did not fail while Redis was down");
                }
            }).actual();
            assertMessageContains(failure, "'sink.max-retries' = 2");
            assertMessageContains(failure, "Redis at 127.0.0.1:" + persistent.port);
        }
    }

    private static void waitForKeys(RedisTestServer server, long atLeast) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while ((Long) server.call("DBSIZE") < atLeast) {
            if (System.nanoTime() > deadline) {
                fail("no rows arrived in Redis");
            }
            Thread.sleep(20);
        }
    }
}
