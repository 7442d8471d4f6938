// Managed: generated from connector.toml by cargo-flink-connector; `cargo flink-connector generate` re-renders it (hand edits are merged).
package org.example.flink.connector.redis;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.table.data.RowData;

/**
 * Emits a whole page at once, then moves the split's position past it: a checkpoint is never
 * taken in the middle of a page, so a restored split neither skips nor repeats rows.
 *
 * <p>Metrics (FLIP-33): {@code numRecordsIn} counts rows — SourceReaderBase counts one record per
 * page, so the emitter adds the page's other rows — and {@code numBytesIn} their size (see
 * {@link RedisSchema#sizeInBytes}).
 */
@Internal
public class RedisRecordEmitter
        implements RecordEmitter<RedisClient.Page, RowData, RedisSplitState> {

    private final RedisSchema schema;
    private final Counter numRecordsIn;
    private final Counter numBytesIn;

    public RedisRecordEmitter(RedisSchema schema, SourceReaderMetricGroup metrics) {
        this.schema = schema;
        this.numRecordsIn = metrics.getIOMetricGroup().getNumRecordsInCounter();
        this.numBytesIn = metrics.getIOMetricGroup().getNumBytesInCounter();
    }

    @Override
    public void emitRecord(
            RedisClient.Page page, SourceOutput<RowData> output, RedisSplitState splitState) {
        long bytes = 0;
        for (RowData row : page.rows) {
            output.collect(row);
            bytes += schema.sizeInBytes(row);
        }
        numRecordsIn.inc(page.rows.size() - 1L); // SourceReaderBase counted the page as one
        numBytesIn.inc(bytes);
        splitState.advance(page.nextCursor);
    }
}
