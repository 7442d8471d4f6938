// Managed: generated from connector.toml by cargo-flink-connector; `cargo flink-connector generate` re-renders it (hand edits are merged).
package org.example.flink.connector.redis;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.types.RowKind;

/**
 * The table sink of the 'redis' connector: an upsert sink (INSERT and UPDATE_AFTER write
 * the row under its key, DELETE removes it) running {@link RedisSink} (Sink V2).
 */
public class RedisDynamicTableSink implements DynamicTableSink {

    private final RedisSchema schema;
    private final Configuration options;

    public RedisDynamicTableSink(RedisSchema schema, Configuration options) {
        this.schema = schema;
        this.options = options;
    }

    @Override
    public ChangelogMode getChangelogMode(ChangelogMode requestedMode) {
        return ChangelogMode.newBuilder()
                .addContainedKind(RowKind.INSERT)
                .addContainedKind(RowKind.UPDATE_AFTER)
                .addContainedKind(RowKind.DELETE)
                .build();
    }

    @Override
    public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
        return SinkV2Provider.of(
                new RedisSink(schema, options),
                options.getOptional(FactoryUtil.SINK_PARALLELISM).orElse(null));
    }

    @Override
    public DynamicTableSink copy() {
        return new RedisDynamicTableSink(schema, options);
    }

    @Override
    public String asSummaryString() {
        return "Redis";
    }
}
