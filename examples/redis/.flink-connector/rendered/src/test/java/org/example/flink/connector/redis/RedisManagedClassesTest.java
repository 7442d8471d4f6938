// Managed: generated from connector.toml by cargo-flink-connector; `cargo flink-connector generate` re-renders it (hand edits are merged).
package org.example.flink.connector.redis;

import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarBinaryType;
import org.apache.flink.table.types.logical.VarCharType;
import org.apache.flink.types.RowKind;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Unit tests of the generated runtime classes that need neither a cluster nor the external system. */
class RedisManagedClassesTest {

    private static RedisSchema schema(int... primaryKey) {
        RowType rowType = RowType.of(
                new LogicalType[] {new IntType(), new VarCharType(VarCharType.MAX_LENGTH), new VarBinaryType(16)},
                new String[] {"id", "name", "payload"});
        return new RedisSchema("cat.db.t", rowType, primaryKey);
    }

    @Test
    void keyFieldsAreThePrimaryKeyOrTheFirstColumn() {
        assertThat(schema(1, 0).keyFields()).isEqualTo(new int[] {1, 0});
        assertThat(schema().keyFields()).isEqualTo(new int[] {0});
        assertThat(schema().hasPrimaryKey()).isFalse();
        assertThat(schema(0).fieldName(1)).isEqualTo("name");
    }

    @Test
    void copyIsDeepAndKeepsTheRowKind() {
        GenericRowData row = GenericRowData.ofKind(
                RowKind.UPDATE_AFTER, 7, StringData.fromString("seven"), new byte[] {1, 2});
        GenericRowData copy = schema(0).copy(row);

        assertThat(copy.getRowKind()).isEqualTo(RowKind.UPDATE_AFTER);
        assertThat(copy).isEqualTo(row);
        assertThat(copy.getString(1)).isNotSameAs(row.getString(1));
        assertThat(copy.getBinary(2)).isNotSameAs(row.getBinary(2));
        assertThat(schema(0).getFields(row, new int[] {0, 1})).isEqualTo(new Object[] {7, StringData.fromString("seven")});
    }

    /** Strings that wrap a buffer Flink reuses, at the top level and inside ROW, ARRAY and MAP. */
    @Test
    void copySharesNoBufferWithTheRowEvenInNestedValues() {
        VarCharType string = new VarCharType(VarCharType.MAX_LENGTH);
        RowType nested = RowType.of(new LogicalType[] {string}, new String[] {"s"});
        RowType rowType = RowType.of(
                new LogicalType[] {string, nested, new ArrayType(string), new MapType(string, new ArrayType(string))},
                new String[] {"top", "nested", "list", "map"});
        byte[] reused = "abcd".getBytes(StandardCharsets.UTF_8);
        StringData wrapped = StringData.fromBytes(reused); // wraps the array, as Flink's binary rows do
        GenericRowData row = GenericRowData.of(
                wrapped,
                GenericRowData.of(wrapped),
                new GenericArrayData(new Object[] {wrapped, null}),
                new GenericMapData(Collections.singletonMap(wrapped, new GenericArrayData(new Object[] {wrapped}))));

        GenericRowData copy = new RedisSchema("cat.db.t", rowType, new int[0]).copy(row);
        Arrays.fill(reused, (byte) 'x'); // Flink writes the next record into the same memory

        assertThat(row.getString(0).toString()).isEqualTo("xxxx");
        assertThat(copy.getString(0).toString()).isEqualTo("abcd");
        assertThat(copy.getRow(1, 1).getString(0).toString()).isEqualTo("abcd");
        assertThat(copy.getArray(2).getString(0).toString()).isEqualTo("abcd");
        assertThat(copy.getArray(2).isNullAt(1)).isTrue();
        Map<Object, Object> map = toJavaMap(copy.getMap(3));
        assertThat(map.keySet().iterator().next().toString()).isEqualTo("abcd");
        assertThat(((GenericArrayData) map.values().iterator().next()).getString(0).toString()).isEqualTo("abcd");
    }

    private static Map<Object, Object> toJavaMap(MapData map) {
        Map<Object, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < map.size(); i++) {
            out.put(map.keyArray().getString(i), map.valueArray().getArray(i));
        }
        return out;
    }

    @Test
    void splitsSurviveSerialization() throws Exception {
        RedisSplitSerializer serializer = new RedisSplitSerializer();
        char[] longCursor = new char[70_000]; // longer than DataOutput#writeUTF allows
        Arrays.fill(longCursor, '\u00e9');
        for (RedisSplit split : Arrays.asList(
                RedisSplit.of("a"),
                new RedisSplit("b", "cursor-1"),
                new RedisSplit("c", new String(longCursor)),
                new RedisSplit("d", "last").asFinished())) {
            assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(split))).isEqualTo(split);
        }
    }

    @Test
    void enumeratorStateSurvivesSerialization() throws Exception {
        RedisEnumeratorStateSerializer serializer = new RedisEnumeratorStateSerializer();
        RedisEnumeratorState state = new RedisEnumeratorState(
                true, Arrays.asList(RedisSplit.of("a"), new RedisSplit("b", "x")));

        RedisEnumeratorState restored = serializer.deserialize(serializer.getVersion(), serializer.serialize(state));
        assertThat(restored.splitsListed()).isTrue();
        assertThat(restored.remainingSplits()).isEqualTo(state.remainingSplits());

        RedisEnumeratorState initial =
                serializer.deserialize(serializer.getVersion(), serializer.serialize(RedisEnumeratorState.initial()));
        assertThat(initial.splitsListed()).isFalse();
        assertThat(initial.remainingSplits()).isEqualTo(Collections.emptyList());
    }

    @Test
    void splitStateMovesPastEmittedPagesAndFinishes() {
        RedisSplitState state = new RedisSplitState(RedisSplit.of("a"));
        assertThat(state.toSplit().cursor()).isNull();

        state.advance("page-2");
        assertThat(state.toSplit()).isEqualTo(new RedisSplit("a", "page-2"));

        state.advance(null);
        assertThat(state.toSplit().isFinished()).isTrue();
        assertThat(state.toSplit().cursor()).isEqualTo("page-2");
    }
}
