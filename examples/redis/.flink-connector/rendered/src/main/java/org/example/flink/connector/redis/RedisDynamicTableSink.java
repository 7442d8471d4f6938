// Managed: generated from connector.toml by cargo-flink-connector; `cargo flink-connector generate` re-renders it (hand edits are merged).
package org.example.flink.connector.redis;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.connector.sink.abilities.SupportsWritingMetadata;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.DataType;
import org.apache.flink.types.RowKind;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The table sink of the 'redis' connector: an upsert sink (INSERT and UPDATE_AFTER write
 * the row under its key, DELETE removes it) running {@link RedisSink} (Sink V2), or with
 * {@code sink.delivery-guarantee} = {@code exactly-once} {@code RedisExactlyOnceSink} (Flink 1.19 and later).
 *
 * <p>Writable metadata: {@code ttl} (BIGINT, seconds) — a per-row TTL, declared as
 * {@code life BIGINT METADATA FROM 'ttl'}; NULL or not positive falls back to 'ttl.column', then 'ttl'.
 */
@Internal
public class RedisDynamicTableSink implements DynamicTableSink, SupportsWritingMetadata {

    static final String TTL_METADATA = "ttl";


    private final RedisSchema schema;
    private final Configuration options;
    private List<String> metadataKeys = Collections.emptyList();

    public RedisDynamicTableSink(RedisSchema schema, Configuration options) {
        this.schema = schema;
        this.options = options;
    }

    @Override
    public Map<String, DataType> listWritableMetadata() {
        return Collections.singletonMap(TTL_METADATA, DataTypes.BIGINT());
    }

    @Override
    public void applyWritableMetadata(List<String> metadataKeys, DataType consumedDataType) {
        this.metadataKeys = metadataKeys;
    }

    @Override
    public ChangelogMode getChangelogMode(ChangelogMode requestedMode) {
        // An insert-only query is written as it comes (a key's last row wins), so the sink asks
        // for no more: Flink 2.3 then does not require the query to say ON CONFLICT.
        if (requestedMode.containsOnly(RowKind.INSERT)) {
            return ChangelogMode.insertOnly();
        }
        return ChangelogMode.newBuilder()
                .addContainedKind(RowKind.INSERT)
                .addContainedKind(RowKind.UPDATE_AFTER)
                .addContainedKind(RowKind.DELETE)
                .build();
    }

    @Override
    public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
        Configuration sinkOptions = options;
        int ttl = metadataKeys.indexOf(TTL_METADATA);
        if (ttl >= 0) {
            sinkOptions = new Configuration(options);
            sinkOptions.set(RedisClient.TTL_METADATA_POSITION, schema.fieldCount() + ttl);
            new RedisClient(schema, sinkOptions); // validates without I/O: a bad combination fails at planning time
        }
        Integer parallelism = options.getOptional(FactoryUtil.SINK_PARALLELISM).orElse(null);
        if (RedisClient.exactlyOnce(options)) {
            return SinkV2Provider.of(new RedisExactlyOnceSink(schema, sinkOptions), parallelism);
        }
        return SinkV2Provider.of(new RedisSink(schema, sinkOptions), parallelism);
    }

    @Override
    public DynamicTableSink copy() {
        RedisDynamicTableSink copy = new RedisDynamicTableSink(schema, options);
        copy.metadataKeys = metadataKeys;
        return copy;
    }

    @Override
    public String asSummaryString() {
        return "Redis";
    }
}
