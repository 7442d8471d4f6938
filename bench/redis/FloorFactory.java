import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.LookupTableSource;
import org.apache.flink.table.connector.source.lookup.AsyncLookupFunctionProvider;
import org.apache.flink.table.connector.source.lookup.LookupFunctionProvider;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.functions.AsyncLookupFunction;
import org.apache.flink.table.functions.LookupFunction;
import org.apache.flink.types.RowKind;

import org.example.flink.connector.redis.resp.RespWriter;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Flink's floors for the Redis connector (benchmark code, not a test): connector 'floor', planned
 * exactly like the Redis connector — the same factory discovery, {@code SinkV2Provider.of(sink)}
 * without a parallelism, the same changelog mode, {@code LookupFunctionProvider}/{@code
 * AsyncLookupFunctionProvider} under the same async lookup settings — but without any I/O:
 *
 * <ul>
 *   <li>{@code 'sink' = 'discard'}: a Sink V2 writer that drops each row;
 *   <li>{@code 'sink' = 'encode'}: one that encodes each row as the connector's {@code SET key
 *       value} (its own RespWriter, key = {@code key.prefix} + digits) into a reused buffer, reset
 *       every 2000 rows as the connector's batch is;
 *   <li>lookups answered from memory: {@code 'lookup.hit' = 'true'} returns the row (k, k), else
 *       nothing; {@code 'lookup.async' = 'true'} completes each future at once.
 * </ul>
 *
 * Tables: {@code (k BIGINT, v BIGINT)}. Registered through META-INF/services by bench/redis.sh.
 * bench/redis.sh rewrites the one {@code createWriter(InitContext …)} line for Flink 2.x.
 */
public class FloorFactory implements DynamicTableSinkFactory, DynamicTableSourceFactory {

    static final ConfigOption<String> SINK = ConfigOptions.key("sink").stringType().defaultValue("discard");
    static final ConfigOption<String> PREFIX = ConfigOptions.key("key.prefix").stringType().defaultValue("");
    static final ConfigOption<Boolean> ASYNC = ConfigOptions.key("lookup.async").booleanType().defaultValue(false);
    static final ConfigOption<Boolean> HIT = ConfigOptions.key("lookup.hit").booleanType().defaultValue(false);

    @Override
    public String factoryIdentifier() {
        return "floor";
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Collections.emptySet();
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return new HashSet<>(Arrays.asList(SINK, PREFIX, ASYNC, HIT));
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validate();
        ReadableConfig o = helper.getOptions();
        return new FloorTableSink("encode".equals(o.get(SINK)), o.get(PREFIX));
    }

    @Override
    public DynamicTableSource createDynamicTableSource(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validate();
        ReadableConfig o = helper.getOptions();
        return new FloorLookupSource(o.get(ASYNC), o.get(HIT));
    }

    static final class FloorTableSink implements DynamicTableSink {
        final boolean encode;
        final String prefix;

        FloorTableSink(boolean encode, String prefix) {
            this.encode = encode;
            this.prefix = prefix;
        }

        @Override
        public ChangelogMode getChangelogMode(ChangelogMode requestedMode) {
            // as the Redis connector answers
            if (requestedMode.containsOnly(RowKind.INSERT)) {
                return ChangelogMode.insertOnly();
            }
            return ChangelogMode.newBuilder().addContainedKind(RowKind.INSERT).addContainedKind(RowKind.UPDATE_AFTER)
                    .addContainedKind(RowKind.DELETE).build();
        }

        @Override
        public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
            return SinkV2Provider.of(new FloorSink(encode, prefix), null);
        }

        @Override
        public DynamicTableSink copy() {
            return new FloorTableSink(encode, prefix);
        }

        @Override
        public String asSummaryString() {
            return "Floor";
        }
    }

    static final class FloorSink implements Sink<RowData> {
        private static final long serialVersionUID = 1L;
        final boolean encode;
        final String prefix;

        FloorSink(boolean encode, String prefix) {
            this.encode = encode;
            this.prefix = prefix;
        }

        @Override
        public SinkWriter<RowData> createWriter(InitContext context) { // FLINK-2.X: WriterInitContext
            return encode ? new EncodingWriter(prefix) : new DiscardingWriter();
        }
    }

    static final class DiscardingWriter implements SinkWriter<RowData> {
        @Override
        public void write(RowData row, Context context) {}

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
    }

    static final class EncodingWriter implements SinkWriter<RowData> {
        private static final byte[] SET = RespWriter.encodeArg("SET");
        private final RespWriter out = new RespWriter(64 * 1024);
        private final byte[] key = new byte[64];
        private final int prefixLength;
        private int rows;

        EncodingWriter(String prefix) {
            byte[] p = prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            System.arraycopy(p, 0, key, 0, p.length);
            prefixLength = p.length;
        }

        @Override
        public void write(RowData row, Context context) {
            int keyLength = RespWriter.writeLong(key, prefixLength, row.getLong(0));
            out.command(3).encodedArg(SET).arg(key, 0, keyLength).arg(row.getLong(1));
            if (++rows == 2000) {
                out.reset();
                rows = 0;
            }
        }

        @Override
        public void flush(boolean endOfInput) {
            out.reset();
            rows = 0;
        }

        @Override
        public void close() {}
    }

    static final class FloorLookupSource implements LookupTableSource {
        final boolean async;
        final boolean hit;

        FloorLookupSource(boolean async, boolean hit) {
            this.async = async;
            this.hit = hit;
        }

        @Override
        public LookupRuntimeProvider getLookupRuntimeProvider(LookupContext context) {
            return async ? AsyncLookupFunctionProvider.of(new AsyncFloor(hit)) : LookupFunctionProvider.of(new SyncFloor(hit));
        }

        @Override
        public DynamicTableSource copy() {
            return new FloorLookupSource(async, hit);
        }

        @Override
        public String asSummaryString() {
            return "Floor";
        }
    }

    static Collection<RowData> answer(boolean hit, RowData keyRow) {
        if (!hit) {
            return Collections.emptyList();
        }
        long k = keyRow.getLong(0);
        return Collections.singletonList(GenericRowData.of(k, k));
    }

    public static final class SyncFloor extends LookupFunction {
        private static final long serialVersionUID = 1L;
        final boolean hit;

        SyncFloor(boolean hit) {
            this.hit = hit;
        }

        @Override
        public Collection<RowData> lookup(RowData keyRow) {
            return answer(hit, keyRow);
        }
    }

    public static final class AsyncFloor extends AsyncLookupFunction {
        private static final long serialVersionUID = 1L;
        final boolean hit;

        AsyncFloor(boolean hit) {
            this.hit = hit;
        }

        @Override
        public CompletableFuture<Collection<RowData>> asyncLookup(RowData keyRow) {
            return CompletableFuture.completedFuture(answer(hit, keyRow));
        }
    }
}
