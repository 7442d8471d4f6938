// Managed: generated from connector.toml by cargo-flink-connector; `cargo flink-connector generate` re-renders it (hand edits are merged).
package org.example.flink.connector.redis;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.table.data.RowData;

import java.util.Map;

/**
 * Reads the splits assigned to one subtask, one page at a time on a single fetcher thread
 * ({@link RedisSplitReader}), and asks the enumerator for the next split whenever it
 * has none left.
 */
@Internal
public class RedisSourceReader
        extends SingleThreadMultiplexSourceReaderBase<
                RedisClient.Page, RowData, RedisSplit, RedisSplitState> {

    public RedisSourceReader(
            RedisSchema schema, Configuration options, SourceReaderContext readerContext) {
        super(
                () -> new RedisSplitReader(schema, options),
                new RedisRecordEmitter(schema, readerContext.metricGroup()),
                readerContext.getConfiguration(),
                readerContext);
    }

    @Override
    public void start() {
        // Splits restored from a checkpoint are already assigned; otherwise ask for one.
        if (getNumberOfCurrentlyAssignedSplits() == 0) {
            context.sendSplitRequest();
        }
    }

    @Override
    protected void onSplitFinished(Map<String, RedisSplitState> finishedSplitIds) {
        context.sendSplitRequest();
    }

    @Override
    protected RedisSplitState initializedState(RedisSplit split) {
        return new RedisSplitState(split);
    }

    @Override
    protected RedisSplit toSplitType(String splitId, RedisSplitState state) {
        return state.toSplit();
    }
}
