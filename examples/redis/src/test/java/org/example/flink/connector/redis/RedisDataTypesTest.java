// Owned: created by cargo-flink-connector, yours to edit; `cargo flink-connector generate` never rewrites it.
package org.example.flink.connector.redis;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.types.RowKind;
import org.example.flink.connector.redis.resp.RespConnection;
import org.example.flink.connector.redis.resp.RespException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.example.flink.connector.redis.RedisTestTables.open;
import static org.example.flink.connector.redis.RedisTestTables.row;
import static org.example.flink.connector.redis.RedisTestTables.s;
import static org.example.flink.connector.redis.RedisTestTables.schema;
import static org.example.flink.connector.redis.RedisTestTables.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every {@code value.layout} and {@code sink.write-mode} against a real redis-server: the
 * commands' effect on Redis for INSERT, UPDATE_AFTER and DELETE, lookups and scans of what was
 * written, per-row TTL and {@code ttl.mode}, and options rejected when the table is created.
 */
class RedisDataTypesTest {

    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    private static Configuration options(String... keyValues) {
        return RedisTestTables.options(redis.port, keyValues);
    }

    static List<String> strings(Object reply) {
        List<String> out = new ArrayList<>();
        for (Object o : (Object[]) reply) {
            out.add(str(o));
        }
        return out;
    }

    static List<String> sorted(List<String> list) {
        List<String> copy = new ArrayList<>(list);
        Collections.sort(copy);
        return copy;
    }

    /** The scanned rows as sorted text. */
    private static List<String> scanAll(RedisClient client) throws Exception {
        List<String> rows = new ArrayList<>();
        for (RowData r : RedisTestTables.scanAll(client)) {
            rows.add(r.toString());
        }
        Collections.sort(rows);
        return rows;
    }

    private static final DataType PAIR = DataTypes.ROW(DataTypes.FIELD("k", DataTypes.STRING()), DataTypes.FIELD("m", DataTypes.STRING()));

    @Test
    void setAddsMembersAndADeleteRemovesOne() throws Exception {
        try (RedisClient client = open(schema(PAIR, 0, 1), options("value.layout", "set", "ttl", "60"))) {
            client.write(Arrays.<RowData>asList(
                    row(RowKind.INSERT, s("team"), s("ann")),
                    row(RowKind.INSERT, s("team"), s("bob")),
                    row(RowKind.INSERT, s("team"), s("cy")),
                    row(RowKind.DELETE, s("team"), s("bob"))));
            assertThat(sorted(strings(redis.call("SMEMBERS", "team")))).isEqualTo(Arrays.asList("ann", "cy"));
            long ttl = (Long) redis.call("TTL", "team");
            assertThat(ttl > 0 && ttl <= 60).as("ttl " + ttl).isTrue();
            int[] keys = {0, 1};
            assertThat(client.lookup(keys, GenericRowData.of(s("team"), s("ann"))).size()).isEqualTo(1); // SISMEMBER
            assertThat(client.lookup(keys, GenericRowData.of(s("team"), s("bob"))).isEmpty()).isTrue();
            assertThat(scanAll(client)).isEqualTo(Arrays.asList("+I(team,ann)", "+I(team,cy)"));
        }
    }

    @Test
    void listPushesRightOrLeftAndADeleteRemovesOneOccurrence() throws Exception {
        try (RedisClient right = open(schema(PAIR), options("value.layout", "list"));
                RedisClient left = open(schema(PAIR), options("value.layout", "list", "list.push-side", "left"))) {
            List<RowData> rows = Arrays.<RowData>asList(
                    row(RowKind.INSERT, s("q"), s("a")),
                    row(RowKind.INSERT, s("q"), s("b")),
                    row(RowKind.INSERT, s("q"), s("a")));
            right.write(rows);
            assertThat(strings(redis.call("LRANGE", "q", 0, -1))).isEqualTo(Arrays.asList("a", "b", "a"));
            right.write(Collections.<RowData>singletonList(row(RowKind.DELETE, s("q"), s("a"))));
            assertThat(strings(redis.call("LRANGE", "q", 0, -1))).isEqualTo(Arrays.asList("b", "a"));
            redis.call("DEL", "q");
            left.write(rows);
            assertThat(strings(redis.call("LRANGE", "q", 0, -1))).isEqualTo(Arrays.asList("a", "b", "a"));
            left.write(Collections.<RowData>singletonList(row(RowKind.INSERT, s("q"), s("c"))));
            assertThat(str(redis.call("LINDEX", "q", 0))).isEqualTo("c");
            assertThat(scanAll(left)).isEqualTo(Arrays.asList("+I(q,a)", "+I(q,a)", "+I(q,b)", "+I(q,c)"));
        }
    }

    @Test
    void sortedSetTakesTheScoreColumnAndLooksUpScores() throws Exception {
        DataType type = DataTypes.ROW(
                DataTypes.FIELD("board", DataTypes.STRING()),
                DataTypes.FIELD("player", DataTypes.STRING()),
                DataTypes.FIELD("score", DataTypes.DOUBLE()));
        try (RedisClient client = open(schema(type, 0, 1), options("value.layout", "zset", "zset.score-column", "score"))) {
            client.write(Arrays.<RowData>asList(
                    row(RowKind.INSERT, s("b"), s("ann"), 10.5),
                    row(RowKind.INSERT, s("b"), s("bob"), 7.0),
                    row(RowKind.UPDATE_AFTER, s("b"), s("bob"), 12.0),
                    row(RowKind.INSERT, s("b"), s("cy"), 1.0),
                    row(RowKind.DELETE, s("b"), s("cy"), 1.0)));
            assertThat(strings(redis.call("ZRANGE", "b", 0, -1, "WITHSCORES"))).isEqualTo(Arrays.asList("ann", "10.5", "bob", "12"));
            RowData found = client.lookup(new int[] {0, 1}, GenericRowData.of(s("b"), s("bob"))).iterator().next();
            assertThat(found.getDouble(2)).isEqualTo(12.0);
            assertThat(scanAll(client)).isEqualTo(Arrays.asList("+I(b,ann,10.5)", "+I(b,bob,12.0)"));
        }
    }

    @Test
    void hashFieldColumnWritesOneFieldPerRow() throws Exception {
        DataType type = DataTypes.ROW(
                DataTypes.FIELD("user", DataTypes.STRING()),
                DataTypes.FIELD("attr", DataTypes.STRING()),
                DataTypes.FIELD("val", DataTypes.STRING()));
        try (RedisClient client = open(schema(type, 0, 1), options("hash.field-column", "attr", "key.prefix", "u:"))) {
            client.write(Arrays.<RowData>asList(
                    row(RowKind.INSERT, s("1"), s("city"), s("Oslo")),
                    row(RowKind.INSERT, s("1"), s("lang"), s("no")),
                    row(RowKind.INSERT, s("1"), s("tmp"), s("x")),
                    row(RowKind.DELETE, s("1"), s("tmp"), s("x"))));
            assertThat(strings(redis.call("HGETALL", "u:1"))).isEqualTo(Arrays.asList("city", "Oslo", "lang", "no"));
            RowData found = client.lookup(new int[] {0, 1}, GenericRowData.of(s("1"), s("lang"))).iterator().next();
            assertThat(found.getString(2).toString()).isEqualTo("no");
            assertThat(client.lookup(new int[] {0, 1}, GenericRowData.of(s("1"), s("tmp"))).isEmpty()).isTrue();
            assertThat(scanAll(client)).isEqualTo(Arrays.asList("+I(1,city,Oslo)", "+I(1,lang,no)"));
        }
    }

    @Test
    void countersAddAndADeleteSubtracts() throws Exception {
        DataType longs = DataTypes.ROW(DataTypes.FIELD("k", DataTypes.STRING()), DataTypes.FIELD("n", DataTypes.BIGINT()));
        DataType doubles = DataTypes.ROW(DataTypes.FIELD("k", DataTypes.STRING()), DataTypes.FIELD("x", DataTypes.DOUBLE()));
        DataType decimals = DataTypes.ROW(DataTypes.FIELD("k", DataTypes.STRING()), DataTypes.FIELD("d", DataTypes.DECIMAL(10, 2)));
        try (RedisClient ints = open(schema(longs), options("value.layout", "string", "sink.write-mode", "increment", "key.prefix", "i:"));
                RedisClient floats = open(schema(doubles), options("value.layout", "string", "sink.write-mode", "increment", "key.prefix", "f:"));
                RedisClient decs = open(schema(decimals), options("value.layout", "string", "sink.write-mode", "increment", "key.prefix", "d:"))) {
            ints.write(Arrays.<RowData>asList(
                    row(RowKind.INSERT, s("a"), 5L), row(RowKind.INSERT, s("a"), 3L), row(RowKind.DELETE, s("a"), 2L),
                    row(RowKind.INSERT, s("b"), null)));
            assertThat(str(redis.call("GET", "i:a"))).isEqualTo("6");
            assertThat(redis.call("EXISTS", "i:b")).isEqualTo(0L); // NULL adds nothing
            assertThat(ints.lookup(new int[] {0}, GenericRowData.of(s("a"))).iterator().next().getLong(1)).isEqualTo(6L);
            floats.write(Arrays.<RowData>asList(
                    row(RowKind.INSERT, s("a"), 1.5), row(RowKind.INSERT, s("a"), 2.25), row(RowKind.DELETE, s("a"), 0.5)));
            assertThat(str(redis.call("GET", "f:a"))).isEqualTo("3.25");
            decs.write(Arrays.<RowData>asList(
                    row(RowKind.INSERT, s("a"), DecimalData.fromBigDecimal(new BigDecimal("10.10"), 10, 2)),
                    row(RowKind.DELETE, s("a"), DecimalData.fromBigDecimal(new BigDecimal("0.05"), 10, 2))));
            assertThat(str(redis.call("GET", "d:a"))).isEqualTo("10.05");
        }
        DataType hash = DataTypes.ROW(
                DataTypes.FIELD("k", DataTypes.STRING()), DataTypes.FIELD("clicks", DataTypes.INT()), DataTypes.FIELD("spend", DataTypes.DOUBLE()));
        try (RedisClient client = open(schema(hash), options("sink.write-mode", "increment", "key.prefix", "h:"))) {
            client.write(Arrays.<RowData>asList(
                    row(RowKind.INSERT, s("a"), 2, 0.5), row(RowKind.INSERT, s("a"), 3, null), row(RowKind.DELETE, s("a"), 1, 0.25)));
            assertThat(str(redis.call("HGET", "h:a", "clicks"))).isEqualTo("4");
            assertThat(str(redis.call("HGET", "h:a", "spend"))).isEqualTo("0.25");
        }
        DataType fields = DataTypes.ROW(
                DataTypes.FIELD("k", DataTypes.STRING()), DataTypes.FIELD("f", DataTypes.STRING()), DataTypes.FIELD("n", DataTypes.BIGINT()));
        try (RedisClient client = open(schema(fields, 0, 1), options("sink.write-mode", "increment", "hash.field-column", "f", "key.prefix", "hf:"))) {
            client.write(Arrays.<RowData>asList(
                    row(RowKind.INSERT, s("a"), s("x"), 7L), row(RowKind.INSERT, s("a"), s("x"), 1L), row(RowKind.DELETE, s("a"), s("y"), 4L)));
            assertThat(str(redis.call("HGET", "hf:a", "x"))).isEqualTo("8");
            assertThat(str(redis.call("HGET", "hf:a", "y"))).isEqualTo("-4");
        }
        DataType zset = DataTypes.ROW(
                DataTypes.FIELD("k", DataTypes.STRING()), DataTypes.FIELD("m", DataTypes.STRING()), DataTypes.FIELD("s", DataTypes.INT()));
        try (RedisClient client = open(schema(zset, 0, 1),
                options("value.layout", "zset", "zset.score-column", "s", "sink.write-mode", "increment", "key.prefix", "z:"))) {
            client.write(Arrays.<RowData>asList(
                    row(RowKind.INSERT, s("a"), s("x"), 5), row(RowKind.INSERT, s("a"), s("x"), 5), row(RowKind.DELETE, s("a"), s("x"), 3)));
            assertThat(str(redis.call("ZSCORE", "z:a", "x"))).isEqualTo("7");
        }
    }

    @Test
    void pubsubPublishesEveryInsertedRow() throws Exception {
        try (RespConnection subscriber = redis.connect();
                RedisClient client = open(schema(PAIR), options("value.layout", "pubsub"))) {
            subscriber.call("SUBSCRIBE", "news");
            client.write(Arrays.<RowData>asList(
                    row(RowKind.INSERT, s("news"), s("one")),
                    row(RowKind.DELETE, s("news"), s("ignored")),
                    row(RowKind.INSERT, s("news"), s("two"))));
            assertThat(strings(subscriber.read())).isEqualTo(Arrays.asList("message", "news", "one"));
            assertThat(strings(subscriber.read())).isEqualTo(Arrays.asList("message", "news", "two"));
        }
    }

    @Test
    void perRowTtlAndTtlSetOnlyWhenTheKeyIsCreated() throws Exception {
        DataType type = DataTypes.ROW(
                DataTypes.FIELD("k", DataTypes.STRING()), DataTypes.FIELD("v", DataTypes.STRING()), DataTypes.FIELD("life", DataTypes.INT()));
        for (String layout : Arrays.asList("string", "hash")) {
            redis.call("FLUSHALL");
            try (RedisClient refresh = open(schema(type), options("value.layout", layout, "ttl", "50", "ttl.column", "life"));
                    RedisClient onCreate = open(schema(type),
                            options("value.layout", layout, "ttl", "50", "ttl.column", "life", "ttl.mode", "on-create"))) {
                refresh.write(Arrays.<RowData>asList(row(RowKind.INSERT, s("a"), s("1"), 1000), row(RowKind.INSERT, s("b"), s("1"), null)));
                assertTtlBetween("a", 990, 1000, layout);
                assertTtlBetween("b", 40, 50, layout); // NULL: the table's ttl
                if ("hash".equals(layout)) {
                    assertThat(strings(redis.call("HKEYS", "a")).contains("life")).as("the TTL column is not stored").isFalse();
                }
                // refresh: a later write sets the new TTL
                refresh.write(Collections.<RowData>singletonList(row(RowKind.INSERT, s("a"), s("2"), 100)));
                assertTtlBetween("a", 90, 100, layout);
                // on-create: a later write keeps the TTL the key was created with
                onCreate.write(Collections.<RowData>singletonList(row(RowKind.INSERT, s("c"), s("1"), 100)));
                assertTtlBetween("c", 90, 100, layout);
                onCreate.write(Collections.<RowData>singletonList(row(RowKind.INSERT, s("c"), s("2"), 5000)));
                assertTtlBetween("c", 90, 100, layout);
                assertThat("string".equals(layout) ? str(redis.call("GET", "c")) : str(redis.call("HGET", "c", "v"))).isEqualTo("2");
            }
        }
        DataType counter = DataTypes.ROW(DataTypes.FIELD("k", DataTypes.STRING()), DataTypes.FIELD("n", DataTypes.BIGINT()));
        try (RedisClient client = open(schema(counter),
                options("value.layout", "string", "sink.write-mode", "increment", "ttl", "60", "ttl.mode", "on-create"))) {
            client.write(Collections.<RowData>singletonList(row(RowKind.INSERT, s("w"), 1L)));
            redis.call("EXPIRE", "w", 30); // as if 30 s had passed
            client.write(Collections.<RowData>singletonList(row(RowKind.INSERT, s("w"), 1L)));
            assertTtlBetween("w", 20, 30, "counter"); // a window counter: not extended by increments
            assertThat(str(redis.call("GET", "w"))).isEqualTo("2");
        }
    }

    private static void assertTtlBetween(String key, long low, long high, String what) throws Exception {
        long ttl = (Long) redis.call("TTL", key);
        assertThat(ttl >= low && ttl <= high).as(what + ": TTL of " + key + " is " + ttl + ", expected " + low + ".." + high).isTrue();
    }

    @Test
    void eachModesOptionsAreCheckedNamingTheOption() {
        DataType three = DataTypes.ROW(
                DataTypes.FIELD("k", DataTypes.STRING()), DataTypes.FIELD("m", DataTypes.STRING()), DataTypes.FIELD("s", DataTypes.STRING()));
        assertInvalid(schema(PAIR), options("mode", "cluster"), "'cluster.nodes' is required with 'mode' = 'cluster'");
        assertInvalid(schema(PAIR), options("mode", "cluster", "cluster.nodes", "127.0.0.1:7000,127.0.0.1:99999"),
                "'cluster.nodes' entry '127.0.0.1:99999' has a bad port '99999'");
        assertInvalid(schema(PAIR), options("mode", "cluster", "cluster.nodes", "localhost"), "'cluster.nodes' entry 'localhost' is not host:port");
        assertInvalid(schema(PAIR), options("mode", "cluster", "cluster.nodes", "127.0.0.1:7000", "database", "2"), "'database' must be 0");
        assertInvalid(schema(PAIR), options("mode", "sentinel", "sentinel.nodes", "127.0.0.1:26379"), "'sentinel.master' is required");
        assertInvalid(schema(PAIR), options("mode", "sentinel", "sentinel.master", "m"), "'sentinel.nodes' is required");
        assertInvalid(schema(PAIR), options("mode", "replicated"), "'mode' must be one of [standalone, sentinel, cluster]");
        assertInvalid(schema(PAIR), options("value.layout", "tree"), "'value.layout' must be hash, string, list, set, zset or pubsub");
        assertInvalid(schema(three, 0, 1), options("value.layout", "zset"), "needs 'zset.score-column'");
        assertInvalid(schema(three, 0, 1), options("value.layout", "zset", "zset.score-column", "s"),
                "'zset.score-column' needs a numeric column, but 's'");
        assertInvalid(schema(three, 0, 1), options("value.layout", "zset", "zset.score-column", "points"), "names column 'points'");
        assertInvalid(schema(three), options("ttl.column", "s"), "'ttl.column' names column 's' of type STRING");
        assertInvalid(schema(three), options("value.layout", "set"), "stores one value per row ('s')");
        assertInvalid(schema(PAIR), options("value.layout", "set", "sink.write-mode", "increment"), "'sink.write-mode' = 'increment' works with");
        assertInvalid(schema(PAIR), options("sink.write-mode", "increment"), "needs a numeric column, but 'm'");
        assertInvalid(schema(PAIR), options("value.layout", "pubsub", "ttl", "5"), "no TTL");
        assertInvalid(schema(PAIR), options("ttl.mode", "sometimes"), "'ttl.mode' must be one of [refresh, on-create]");
        assertInvalid(schema(PAIR), options("list.push-side", "up"), "'list.push-side'");
        assertInvalid(schema(PAIR), options("value.layout", "list", "hash.field-column", "m"), "'hash.field-column' applies to");
    }

    private static void assertInvalid(RedisSchema schema, Configuration options, String message) {
        ValidationException e = assertThatExceptionOfType(ValidationException.class).isThrownBy(() -> new RedisClient(schema, options)).actual();
        assertThat(e.getMessage().contains(message)).as("expected '" + message + "' in: " + e.getMessage()).isTrue();
        assertThat(e.getMessage().contains(RedisTestServer.PASSWORD)).as(e.getMessage()).isFalse();
    }

    @Test
    void unreachableClusterSeedsAndSentinelsAreNamedWithoutThePassword() throws Exception {
        int dead1 = RedisTestServer.freePort();
        int dead2 = RedisTestServer.freePort();
        String seeds = "127.0.0.1:" + dead1 + ",127.0.0.1:" + dead2;
        RedisClient cluster = new RedisClient(schema(PAIR), options("mode", "cluster", "cluster.nodes", seeds, "connect.timeout", "1 s"));
        RespException e = assertThatExceptionOfType(RespException.class).isThrownBy(cluster::open).actual();
        assertThat(e.getMessage().contains("127.0.0.1:" + dead1) && e.getMessage().contains("127.0.0.1:" + dead2)).as(e.getMessage()).isTrue();
        assertThat(e.getMessage().contains(RedisTestServer.PASSWORD)).as(e.getMessage()).isFalse();
        cluster.close();
        RedisClient sentinel = new RedisClient(schema(PAIR), options("mode", "sentinel", "sentinel.nodes", seeds,
                "sentinel.master", "mymaster", "sentinel.password", "secret-sentinel", "connect.timeout", "1 s"));
        e = assertThatExceptionOfType(RespException.class).isThrownBy(sentinel::open).actual();
        assertThat(e.getMessage().contains("127.0.0.1:" + dead1) && e.getMessage().contains("'mymaster'")).as(e.getMessage()).isTrue();
        assertThat(e.getMessage().contains("secret-sentinel")).as(e.getMessage()).isFalse();
        sentinel.close();
        // a standalone server is not a cluster: the seed's error is reported
        RedisClient notACluster = new RedisClient(schema(PAIR), options("mode", "cluster", "cluster.nodes", "127.0.0.1:" + redis.port));
        e = assertThatExceptionOfType(RespException.class).isThrownBy(notACluster::open).actual();
        assertThat(e.getMessage().contains("127.0.0.1:" + redis.port) && e.getMessage().contains("cluster support disabled")).as(e.getMessage()).isTrue();
        notACluster.close();
    }
}
