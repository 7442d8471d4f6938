// Managed: generated from connector.toml by cargo-flink-connector; `cargo flink-connector generate` re-renders it (hand edits are merged).
package org.example.flink.connector.redis;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.table.data.RowData;

import java.io.IOException;

/**
 * Sink V2 of the 'redis' connector; each parallel writer is a {@link RedisSinkWriter}.
 * Built against Flink 1.20.3: both {@code createWriter} forms (InitContext is still abstract on 1.19/1.20, WriterInitContext is the one Flink calls).
 */
@PublicEvolving
public class RedisSink implements Sink<RowData> {

    private static final long serialVersionUID = 1L;

    private final RedisSchema schema;
    private final Configuration options;

    public RedisSink(RedisSchema schema, Configuration options) {
        this.schema = schema;
        this.options = options;
    }

    /**
     * The sink for DataStream jobs:
     * {@code stream.sinkTo(RedisSink.builder().setRowType(rowType).setPrimaryKey("id").build())},
     * the stream's elements being {@link RowData} of that type.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link RedisSink}; see {@link RedisConnectorBuilder}. */
    @PublicEvolving
    public static final class Builder extends RedisConnectorBuilder<Builder, RedisSink> {

        private Builder() {}

        @Override
        public RedisSink build() {
            return new RedisSink(schema(), options());
        }
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<RowData> createWriter(InitContext context) throws IOException {
        return writer(context.getProcessingTimeService(), context.getMailboxExecutor(), context.metricGroup());
    }

    @Override
    public SinkWriter<RowData> createWriter(WriterInitContext context) throws IOException {
        return writer(context.getProcessingTimeService(), context.getMailboxExecutor(), context.metricGroup());
    }

    private SinkWriter<RowData> writer(
            ProcessingTimeService timeService, MailboxExecutor mailbox, SinkWriterMetricGroup metrics)
            throws IOException {
        // The redis preset's own writer (issue 23) reads no mailbox or metric group yet.
        return new RedisSinkWriter(schema, options, timeService);
    }
}
