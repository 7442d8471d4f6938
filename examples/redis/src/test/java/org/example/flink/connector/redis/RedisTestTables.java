// Owned: created by cargo-flink-connector, yours to edit; `cargo flink-connector generate` never rewrites it.
package org.example.flink.connector.redis;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.RowKind;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the client tests share: a table's options and schema, an open client, rows, replies. */
final class RedisTestTables {

    private RedisTestTables() {}

    /** The table options {@code key, value, …} of connector 'redis'. */
    static Configuration config(String... keyValues) {
        Map<String, String> map = new HashMap<>();
        map.put("connector", "redis");
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return Configuration.fromMap(map);
    }

    /** Options of a table on the test server at 127.0.0.1:{@code port}, then {@code keyValues} (which may override them). */
    static Configuration options(int port, String... keyValues) {
        List<String> all = new ArrayList<>();
        for (String s : new String[] {"hostname", "127.0.0.1", "port", String.valueOf(port), "password", RedisTestServer.PASSWORD}) {
            all.add(s);
        }
        for (String s : keyValues) {
            all.add(s);
        }
        return config(all.toArray(new String[0]));
    }

    static RedisSchema schema(DataType row, int... primaryKey) {
        return new RedisSchema("default_catalog.default_database.t", (RowType) row.getLogicalType(), primaryKey);
    }

    /** A client of the table, opened (connected and authenticated). */
    static RedisClient open(RedisSchema schema, Configuration options) throws Exception {
        RedisClient client = new RedisClient(schema, options);
        try {
            client.open();
        } catch (Exception e) {
            client.close();
            throw e;
        }
        return client;
    }

    /** Every row of every split, reading each split page by page as the source does. */
    static List<RowData> scanAll(RedisClient client) throws Exception {
        List<RowData> rows = new ArrayList<>();
        for (RedisSplit split : client.listSplits()) {
            RedisSplit current = split;
            while (true) {
                RedisClient.Page page = client.readPage(current);
                rows.addAll(page.rows);
                if (page.nextCursor == null) {
                    break;
                }
                current = current.withCursor(page.nextCursor);
            }
        }
        return rows;
    }

    static GenericRowData row(RowKind kind, Object... values) {
        return GenericRowData.ofKind(kind, values);
    }

    static StringData s(String v) {
        return StringData.fromString(v);
    }

    /** A bulk-string reply as text (null stays null). */
    static String str(Object reply) {
        return reply == null ? null : new String((byte[]) reply, StandardCharsets.UTF_8);
    }
}
