// Managed: generated from connector.toml by cargo-flink-connector; `cargo flink-connector generate` re-renders it (hand edits are merged).
package org.example.flink.connector.redis;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.table.data.RowData;

/**
 * A bounded FLIP-27 source reading a whole 'redis' table: the enumerator lists the
 * splits once ({@link RedisClient#listSplits()}), readers page through each split
 * ({@link RedisClient#readPage}) until it is exhausted.
 */
@PublicEvolving
public class RedisSource implements Source<RowData, RedisSplit, RedisEnumeratorState> {

    private static final long serialVersionUID = 1L;

    private final RedisSchema schema;
    private final Configuration options;

    public RedisSource(RedisSchema schema, Configuration options) {
        this.schema = schema;
        this.options = options;
    }

    /**
     * The source for DataStream jobs: {@code env.fromSource(RedisSource.builder().setRowType(rowType).build(),
     * WatermarkStrategy.noWatermarks(), "redis", InternalTypeInfo.of(rowType))} — a
     * stream of {@link RowData} of that type.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link RedisSource}; see {@link RedisConnectorBuilder}. */
    @PublicEvolving
    public static final class Builder extends RedisConnectorBuilder<Builder, RedisSource> {

        private Builder() {}

        @Override
        public RedisSource build() {
            return new RedisSource(schema(), options());
        }
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<RowData, RedisSplit> createReader(SourceReaderContext readerContext) {
        return new RedisSourceReader(schema, options, readerContext);
    }

    @Override
    public SplitEnumerator<RedisSplit, RedisEnumeratorState> createEnumerator(
            SplitEnumeratorContext<RedisSplit> enumContext) {
        return new RedisSplitEnumerator(schema, options, enumContext, RedisEnumeratorState.initial());
    }

    @Override
    public SplitEnumerator<RedisSplit, RedisEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<RedisSplit> enumContext, RedisEnumeratorState checkpoint) {
        return new RedisSplitEnumerator(schema, options, enumContext, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<RedisSplit> getSplitSerializer() {
        return new RedisSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<RedisEnumeratorState> getEnumeratorCheckpointSerializer() {
        return new RedisEnumeratorStateSerializer();
    }
}
