// Owned: created by cargo-flink-connector, yours to edit; `cargo flink-connector generate` never rewrites it.
package org.example.flink.connector.redis;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.RowKind;
import org.example.flink.connector.redis.resp.RespException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.example.flink.connector.redis.RedisTestTables.open;
import static org.example.flink.connector.redis.RedisTestTables.row;
import static org.example.flink.connector.redis.RedisTestTables.s;
import static org.example.flink.connector.redis.RedisTestTables.scanAll;
import static org.example.flink.connector.redis.RedisTestTables.schema;
import static org.example.flink.connector.redis.RedisTestTables.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The client against a real redis-server: encoding, NULLs, deletes, async lookups, faults. */
class RedisClientTest {

    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    private static Configuration options(String... keyValues) {
        return RedisTestTables.options(redis.port, keyValues);
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    void everyTypeRoundTripsThroughWriteLookupAndScan() throws Exception {
        DataType type =
                DataTypes.ROW(
                        DataTypes.FIELD("id", DataTypes.INT().notNull()),
                        DataTypes.FIELD("s", DataTypes.STRING()),
                        DataTypes.FIELD("b", DataTypes.BOOLEAN()),
                        DataTypes.FIELD("ti", DataTypes.TINYINT()),
                        DataTypes.FIELD("si", DataTypes.SMALLINT()),
                        DataTypes.FIELD("bi", DataTypes.BIGINT()),
                        DataTypes.FIELD("f", DataTypes.FLOAT()),
                        DataTypes.FIELD("d", DataTypes.DOUBLE()),
                        DataTypes.FIELD("dec", DataTypes.DECIMAL(10, 2)),
                        DataTypes.FIELD("dt", DataTypes.DATE()),
                        DataTypes.FIELD("tm", DataTypes.TIME(3)),
                        DataTypes.FIELD("ts", DataTypes.TIMESTAMP(6)),
                        DataTypes.FIELD("ltz", DataTypes.TIMESTAMP_LTZ(3)),
                        DataTypes.FIELD("bin", DataTypes.BYTES()),
                        DataTypes.FIELD("arr", DataTypes.ARRAY(DataTypes.INT())),
                        DataTypes.FIELD("m", DataTypes.MAP(DataTypes.STRING(), DataTypes.DOUBLE())),
                        DataTypes.FIELD("r", DataTypes.ROW(DataTypes.FIELD("city", DataTypes.STRING()), DataTypes.FIELD("n", DataTypes.BIGINT()))));
        RedisSchema schema = schema(type, 0);
        Map<StringData, Double> map = new HashMap<>();
        map.put(StringData.fromString("x\"y"), 1.5);
        GenericRowData full =
                row(
                        RowKind.INSERT,
                        7,
                        StringData.fromString("héllo, wörld"),
                        true,
                        (byte) -3,
                        (short) 300,
                        Long.MIN_VALUE,
                        1.25f,
                        Double.NaN,
                        DecimalData.fromBigDecimal(new BigDecimal("-12345678.90"), 10, 2),
                        19782,
                        (10 * 3600 + 15 * 60 + 30) * 1000 + 123,
                        TimestampData.fromLocalDateTime(LocalDateTime.parse("2024-02-29T10:15:30.123456")),
                        TimestampData.fromInstant(Instant.parse("2024-02-29T09:15:30.5Z")),
                        new byte[] {0, (byte) 0xff, '\r', '\n'},
                        new GenericArrayData(new Integer[] {1, null, 3}),
                        new GenericMapData(map),
                        GenericRowData.of(StringData.fromString("Oslo"), null));
        GenericRowData nulls = new GenericRowData(RowKind.INSERT, 17);
        nulls.setField(0, 8);
        try (RedisClient client = open(schema, options())) {
            client.write(Arrays.<RowData>asList(full, nulls));
            assertThat(str(redis.call("HGET", "7", "s"))).isEqualTo("héllo, wörld");
            assertThat(str(redis.call("HGET", "7", "dec"))).isEqualTo("-12345678.90");
            assertThat(str(redis.call("HGET", "7", "ts"))).isEqualTo("2024-02-29T10:15:30.123456");
            assertThat(str(redis.call("HGET", "7", "arr"))).isEqualTo("[1,null,3]");
            assertThat(str(redis.call("HGET", "7", "r"))).isEqualTo("{\"city\":\"Oslo\",\"n\":null}");
            // a row of NULLs keeps its key with the presence field only
            assertThat(hashFields("8")).isEqualTo(Arrays.asList(""));

            int[] keys = {0};
            RowData found = only(client.lookup(keys, GenericRowData.of(7)));
            assertRowEquals(type, full, found);
            RowData foundNulls = only(client.lookup(keys, GenericRowData.of(8)));
            assertRowEquals(type, nulls, foundNulls);
            assertThat(client.lookup(keys, GenericRowData.of(9)).isEmpty()).isTrue();

            List<RowData> scanned = scanAll(client);
            assertThat(scanned.size()).isEqualTo(2);
            for (RowData r : scanned) {
                assertRowEquals(type, r.getInt(0) == 7 ? full : nulls, r);
            }
        }
    }

    private static List<String> hashFields(String key) throws Exception {
        Object[] fields = (Object[]) redis.call("HKEYS", key);
        List<String> names = new ArrayList<>();
        for (Object f : fields) {
            names.add(str(f));
        }
        Collections.sort(names);
        return names;
    }

    private static <T> T only(Collection<T> rows) {
        assertThat(rows.size()).as("rows: " + rows).isEqualTo(1);
        return rows.iterator().next();
    }

    /** Compares through the codec's text, which is exact for every type. */
    private static void assertRowEquals(DataType type, RowData expected, RowData actual) {
        RowType rowType = (RowType) type.getLogicalType();
        for (int i = 0; i < rowType.getFieldCount(); i++) {
            RedisCodec.FieldCodec codec = RedisCodec.forType(rowType.getTypeAt(i), rowType.getFieldNames().get(i));
            RowData.FieldGetter getter = RowData.createFieldGetter(rowType.getTypeAt(i), i);
            Object e = getter.getFieldOrNull(expected);
            Object a = getter.getFieldOrNull(actual);
            String name = rowType.getFieldNames().get(i);
            if (e == null) {
                assertThat(a).as(name).isNull();
            } else {
                assertThat(codec.encode(a)).as(name).isEqualTo(codec.encode(e));
            }
        }
    }

    @Test
    void upsertsOverwriteNullsRemoveFieldsAndDeletesDelete() throws Exception {
        DataType type =
                DataTypes.ROW(
                        DataTypes.FIELD("id", DataTypes.STRING()),
                        DataTypes.FIELD("name", DataTypes.STRING()),
                        DataTypes.FIELD("sex", DataTypes.STRING()));
        try (RedisClient client = open(schema(type, 0), options())) {
            client.write(Arrays.<RowData>asList(
                    row(RowKind.INSERT, s("1"), s("Alice"), s("f")),
                    row(RowKind.INSERT, s("2"), s("Bob"), s("m")),
                    row(RowKind.UPDATE_BEFORE, s("2"), s("Bob"), s("m")),
                    row(RowKind.UPDATE_AFTER, s("2"), s("Bobby"), null),
                    row(RowKind.INSERT, s("3"), s("Carol"), s("f")),
                    row(RowKind.DELETE, s("3"), s("Carol"), s("f"))));
            assertThat(hashFields("1")).isEqualTo(Arrays.asList("name", "sex"));
            assertThat(hashFields("2")).isEqualTo(Arrays.asList("name"));
            assertThat(str(redis.call("HGET", "2", "name"))).isEqualTo("Bobby");
            assertThat(redis.call("EXISTS", "3")).isEqualTo(0L);
            assertThat(scanAll(client).size()).isEqualTo(2);
        }
    }

    @Test
    void stringLayoutStoresTheValueAndDeletesOnNull() throws Exception {
        DataType type = DataTypes.ROW(DataTypes.FIELD("sex", DataTypes.STRING()), DataTypes.FIELD("desc", DataTypes.STRING()));
        try (RedisClient client = open(schema(type), options("value.layout", "string", "key.prefix", "dim:", "ttl", "60"))) {
            client.write(Arrays.<RowData>asList(
                    row(RowKind.INSERT, s("male"), s("M")),
                    row(RowKind.INSERT, s("female"), s("F")),
                    row(RowKind.INSERT, s("other"), null)));
            assertThat(str(redis.call("GET", "dim:male"))).isEqualTo("M");
            long ttl = (Long) redis.call("TTL", "dim:male");
            assertThat(ttl > 0 && ttl <= 60).as("ttl " + ttl).isTrue();
            assertThat(redis.call("EXISTS", "dim:other")).isEqualTo(0L);
            redis.call("SET", "unrelated", "x");
            redis.call("HSET", "dim:hash", "a", "b");
            assertThat(scanAll(client).size()).isEqualTo(2); // neither foreign keys nor other types
            assertThat(only(client.lookup(new int[] {0}, GenericRowData.of(s("female")))).getString(1).toString()).isEqualTo("F");
        }
    }

    @Test
    void compositeKeysAndExtraLookupColumns() throws Exception {
        DataType type =
                DataTypes.ROW(
                        DataTypes.FIELD("tenant", DataTypes.STRING().notNull()),
                        DataTypes.FIELD("id", DataTypes.BIGINT().notNull()),
                        DataTypes.FIELD("v", DataTypes.STRING()));
        RedisSchema schema = schema(type, 1, 0);
        try (RedisClient client = open(schema, options("key.prefix", "t:"))) {
            client.write(Collections.<RowData>singletonList(row(RowKind.INSERT, s("acme"), 42L, s("x:y"))));
            assertThat(str(redis.call("HGET", "t:42:acme", "v"))).isEqualTo("x:y");
            RowData r = only(scanAll(client));
            assertThat(r.getString(0).toString()).isEqualTo("acme");
            assertThat(r.getLong(1)).isEqualTo(42L);
            // join on tenant, id and v: the key finds the row, v is compared
            int[] keys = {0, 1, 2};
            assertThat(client.lookup(keys, GenericRowData.of(s("acme"), 42L, s("x:y"))).size()).isEqualTo(1);
            assertThat(client.lookup(keys, GenericRowData.of(s("acme"), 42L, s("other"))).isEmpty()).isTrue();
            assertThatExceptionOfType(ValidationException.class).isThrownBy(() -> RedisClient.validateLookupKeys(schema, new int[] {0, 2}));
            RedisClient.validateLookupKeys(schema, new int[] {1, 0});
        }
    }

    @Test
    void badConfigurationIsAValidationError() {
        DataType three =
                DataTypes.ROW(
                        DataTypes.FIELD("id", DataTypes.STRING()),
                        DataTypes.FIELD("a", DataTypes.STRING()),
                        DataTypes.FIELD("b", DataTypes.STRING()));
        ValidationException e =
                assertThatExceptionOfType(ValidationException.class).isThrownBy(() -> new RedisClient(schema(three, 0), options("value.layout", "string"))).actual();
        assertThat(e.getMessage().contains("[a, b]")).as(e.getMessage()).isTrue();
        assertThatExceptionOfType(ValidationException.class).isThrownBy(() -> new RedisClient(schema(three, 0), options("value.layout", "list")));
        DataType raw = DataTypes.ROW(DataTypes.FIELD("id", DataTypes.STRING()), DataTypes.FIELD("t", DataTypes.TIMESTAMP_WITH_TIME_ZONE(3)));
        e = assertThatExceptionOfType(ValidationException.class).isThrownBy(() -> new RedisClient(schema(raw, 0), options())).actual();
        assertThat(e.getMessage().contains("'t'")).as(e.getMessage()).isTrue();
    }

    @Test
    void asyncLookupsPipelineManyRequestsAndReconnect() throws Exception {
        DataType type = DataTypes.ROW(DataTypes.FIELD("k", DataTypes.BIGINT()), DataTypes.FIELD("v", DataTypes.STRING()));
        RedisSchema schema = schema(type, 0);
        try (RedisClient client = open(schema, options())) {
            List<RowData> rows = new ArrayList<>();
            for (long i = 0; i < 2000; i++) {
                rows.add(row(RowKind.INSERT, i, s("v" + i)));
            }
            client.write(rows);
            int[] keys = {0};
            List<CompletableFuture<Collection<RowData>>> futures = new ArrayList<>();
            for (long i = 0; i < 4000; i++) {
                futures.add(client.lookupAsync(keys, GenericRowData.of(i)));
            }
            for (int i = 0; i < futures.size(); i++) {
                Collection<RowData> found = futures.get(i).get(30, TimeUnit.SECONDS);
                if (i < 2000) {
                    assertThat(only(found).getString(1).toString()).isEqualTo("v" + i);
                } else {
                    assertThat(found.isEmpty()).isTrue();
                }
            }
            // the server drops every client connection: the next calls reconnect
            redis.call("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
            boolean recovered = false;
            for (int attempt = 0; attempt < 5 && !recovered; attempt++) {
                try {
                    recovered = only(client.lookupAsync(keys, GenericRowData.of(5L)).get(30, TimeUnit.SECONDS)).getString(1).toString().equals("v5");
                } catch (java.util.concurrent.ExecutionException expected) {
                    assertThat(expected.getCause() instanceof RespException).as(String.valueOf(expected.getCause())).isTrue();
                }
            }
            assertThat(recovered).isTrue();
            // the blocking connection was dropped too: one failure (the callers retry), then it reconnects
            RespException dropped = assertThatExceptionOfType(RespException.class).isThrownBy(() -> client.lookup(keys, GenericRowData.of(6L))).actual();
            assertThat(dropped.isConnectionFailure()).as(dropped.getMessage()).isTrue();
            assertThat(only(client.lookup(keys, GenericRowData.of(6L))).getString(1).toString()).isEqualTo("v6");
        }
    }

    @Test
    void wrongPasswordFailsAtOpenNamingTheAuthFailureButNotThePassword() throws Exception {
        DataType type = DataTypes.ROW(DataTypes.FIELD("k", DataTypes.STRING()), DataTypes.FIELD("v", DataTypes.STRING()));
        String wrong = "not-the-password-4711";
        RedisClient client = new RedisClient(schema(type), options("password", wrong));
        RespException e = assertThatExceptionOfType(RespException.class).isThrownBy(client::open).actual();
        client.close();
        assertThat(e instanceof RespException.AuthenticationFailed).as(e.toString()).isTrue();
        assertThat(e.getMessage().contains("authentication failed")).as(e.getMessage()).isTrue();
        assertThat(e.getMessage().contains("127.0.0.1:" + redis.port)).as(e.getMessage()).isTrue();
        assertThat(stackTraceText(e).contains(wrong)).as("the password leaked: " + stackTraceText(e)).isFalse();

        RedisClient noPassword = new RedisClient(schema(type), options("password", ""));
        e = assertThatExceptionOfType(RespException.class).isThrownBy(noPassword::open).actual();
        noPassword.close();
        assertThat(e.getMessage().contains("requires authentication")).as(e.getMessage()).isTrue();

        RedisClient wrongUser = new RedisClient(schema(type), options("username", "nobody"));
        e = assertThatExceptionOfType(RespException.class).isThrownBy(wrongUser::open).actual();
        wrongUser.close();
        assertThat(e.getMessage().contains("'nobody'")).as(e.getMessage()).isTrue();
        assertThat(stackTraceText(e).contains(RedisTestServer.PASSWORD)).as(stackTraceText(e)).isFalse();
    }

    @Test
    void aclUserDatabaseAndReadTimeout() throws Exception {
        DataType type = DataTypes.ROW(DataTypes.FIELD("k", DataTypes.STRING()), DataTypes.FIELD("v", DataTypes.STRING()));
        redis.call("ACL", "SETUSER", "flink", "reset", "on", ">flink-secret", "~*", "+@all");
        try {
            Configuration acl = options("username", "flink", "password", "flink-secret", "database", "3");
            try (RedisClient client = open(schema(type), acl)) {
                client.write(Collections.<RowData>singletonList(row(RowKind.INSERT, s("in-db-3"), s("x"))));
            }
            assertThat(redis.call("EXISTS", "in-db-3")).isEqualTo(0L); // not in database 0
            try (org.example.flink.connector.redis.resp.RespConnection c = redis.connect()) {
                c.call("SELECT", 3);
                assertThat(str(c.call("HGET", "in-db-3", "v"))).isEqualTo("x");
            }
            // a reply that does not come within 'read.timeout' fails the call, naming the option
            try (RedisClient client = open(schema(type), options("read.timeout", "300 ms"))) {
                redis.call("CLIENT", "PAUSE", "1500", "ALL");
                RespException e = assertThatExceptionOfType(RespException.class)
                        .isThrownBy(() -> client.write(Collections.<RowData>singletonList(row(RowKind.INSERT, s("late"), s("y"))))).actual();
                assertThat(e.getMessage().contains("'read.timeout'") && e.getMessage().contains("127.0.0.1:" + redis.port)).as(e.getMessage()).isTrue();
                assertThat(e.isConnectionFailure()).isTrue();
            }
        } finally {
            Thread.sleep(1600); // let the pause end before the next test
            redis.call("ACL", "DELUSER", "flink");
        }
    }

    private static String stackTraceText(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }

    @Test
    void unreachableServerFailsNamingHostAndPort() throws Exception {
        int closedPort = RedisTestServer.freePort();
        DataType type = DataTypes.ROW(DataTypes.FIELD("k", DataTypes.STRING()), DataTypes.FIELD("v", DataTypes.STRING()));
        RedisClient client = new RedisClient(schema(type), options("port", String.valueOf(closedPort)));
        RespException e = assertThatExceptionOfType(RespException.class).isThrownBy(client::open).actual();
        client.close();
        assertThat(e.getMessage().contains("127.0.0.1:" + closedPort)).as(e.getMessage()).isTrue();
        assertThat(e.isConnectionFailure()).isTrue();
        // async lookups report it through the future
        RedisClient async = new RedisClient(schema(type), options("port", String.valueOf(closedPort)));
        CompletableFuture<Collection<RowData>> f = async.lookupAsync(new int[] {0}, GenericRowData.of(s("x")));
        java.util.concurrent.ExecutionException failed =
                assertThatExceptionOfType(java.util.concurrent.ExecutionException.class).isThrownBy(() -> f.get(30, TimeUnit.SECONDS)).actual();
        assertThat(failed.getCause().getMessage().contains("127.0.0.1:" + closedPort)).as(failed.getCause().getMessage()).isTrue();
        async.close();
    }

    @Test
    void writeFailsWhenTheConnectionDropsAndTheNextWriteReconnects() throws Exception {
        DataType type = DataTypes.ROW(DataTypes.FIELD("k", DataTypes.STRING()), DataTypes.FIELD("v", DataTypes.STRING()));
        try (RedisClient client = open(schema(type), options())) {
            client.write(Collections.<RowData>singletonList(row(RowKind.INSERT, s("a"), s("1"))));
            redis.call("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
            RespException e =
                    assertThatExceptionOfType(RespException.class).isThrownBy(() -> client.write(Collections.<RowData>singletonList(row(RowKind.INSERT, s("b"), s("2"))))).actual();
            assertThat(e.isConnectionFailure()).as(e.getMessage()).isTrue();
            assertThat(e.getMessage().contains("127.0.0.1:" + redis.port)).as(e.getMessage()).isTrue();
            client.write(Collections.<RowData>singletonList(row(RowKind.INSERT, s("b"), s("2"))));
            assertThat(str(redis.call("HGET", "b", "v"))).isEqualTo("2");
        }
    }

    @Test
    void aScanSurvivesAConnectionTheServerClosedBetweenPages() throws Exception {
        DataType type = DataTypes.ROW(DataTypes.FIELD("k", DataTypes.BIGINT()), DataTypes.FIELD("v", DataTypes.STRING()));
        try (RedisClient client = open(schema(type, 0), options("scan.count", "10"))) {
            List<RowData> rows = new ArrayList<>();
            for (long i = 0; i < 100; i++) {
                rows.add(row(RowKind.INSERT, i, s("v" + i)));
            }
            client.write(rows);
            RedisSplit split = only(client.listSplits());
            RedisClient.Page first = client.readPage(split);
            assertThat(first.nextCursor != null).isTrue();
            redis.call("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
            java.util.Set<Long> seen = new java.util.HashSet<>();
            for (RowData r : first.rows) {
                seen.add(r.getLong(0));
            }
            RedisSplit current = split.withCursor(first.nextCursor);
            while (true) {
                RedisClient.Page page = client.readPage(current);
                for (RowData r : page.rows) {
                    seen.add(r.getLong(0));
                }
                if (page.nextCursor == null) {
                    break;
                }
                current = current.withCursor(page.nextCursor);
            }
            assertThat(seen.size()).isEqualTo(100);
        }
    }

    @Test
    void serverErrorsNameTheKeyAndAreReportedAfterReadingEveryReply() throws Exception {
        DataType type = DataTypes.ROW(DataTypes.FIELD("k", DataTypes.STRING()), DataTypes.FIELD("v", DataTypes.STRING()));
        redis.call("SET", "plain", "x");
        try (RedisClient client = open(schema(type), options())) {
            RespException e =
                    assertThatExceptionOfType(RespException.class)
                            .isThrownBy(() -> client.write(Arrays.<RowData>asList(
                            row(RowKind.INSERT, s("plain"), s("1")), row(RowKind.INSERT, s("ok"), s("2"))))).actual();
            assertThat(e.getMessage().contains("WRONGTYPE") && e.getMessage().contains("'plain'")).as(e.getMessage()).isTrue();
            assertThat(e.isConnectionFailure()).isFalse();
            assertThat(str(redis.call("HGET", "ok", "v"))).isEqualTo("2");
            // the connection is still in sync
            client.write(Collections.<RowData>singletonList(row(RowKind.INSERT, s("ok2"), s("3"))));
            assertThat(str(redis.call("HGET", "ok2", "v"))).isEqualTo("3");
        }
    }

    @Test
    void tlsGoesThroughTheJdkAndVerifiesTheServerName() throws Exception {
        // the server has a certificate for 'localhost' only, which TestServer's trust store trusts
        try (RedisTestServer tls = RedisTestServer.startTls()) {
            DataType type = DataTypes.ROW(DataTypes.FIELD("k", DataTypes.STRING()), DataTypes.FIELD("v", DataTypes.STRING()));
            RedisSchema schema = schema(type);
            String port = String.valueOf(tls.tlsPort);
            RedisClient client = open(schema, options("hostname", "localhost", "port", port, "ssl", "true"));
            try {
                client.write(Collections.<RowData>singletonList(row(RowKind.INSERT, s("secure"), s("yes"))));
                assertThat(only(client.lookup(new int[] {0}, GenericRowData.of(s("secure")))).getString(1).toString()).isEqualTo("yes");
                assertThat(only(client.lookupAsync(new int[] {0}, GenericRowData.of(s("secure"))).get(30, TimeUnit.SECONDS))
                        .getString(1).toString())
                        .isEqualTo("yes");
            } finally {
                client.close();
            }
            // the certificate is for 'localhost': connecting as 127.0.0.1 fails the host name check
            RedisClient wrongName = new RedisClient(schema, options("hostname", "127.0.0.1", "port", port, "ssl", "true"));
            RespException e = assertThatExceptionOfType(RespException.class).isThrownBy(wrongName::open).actual();
            wrongName.close();
            assertThat(e.getMessage().contains("127.0.0.1:" + port)).as(e.getMessage()).isTrue();
            // plain text against the TLS port fails too, naming the server
            RedisClient plain = new RedisClient(schema, options("hostname", "localhost", "port", port, "read.timeout", "2 s"));
            e = assertThatExceptionOfType(RespException.class).isThrownBy(plain::open).actual();
            plain.close();
            assertThat(e.getMessage().contains("localhost:" + port)).as(e.getMessage()).isTrue();
        }
    }

}
