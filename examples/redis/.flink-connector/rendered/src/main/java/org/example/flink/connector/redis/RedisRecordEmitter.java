// Managed: generated from connector.toml by cargo-flink-connector; `cargo flink-connector generate` re-renders it (hand edits are merged).
package org.example.flink.connector.redis;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.table.data.RowData;

/**
 * Emits a whole page at once, then moves the split's position past it: a checkpoint is never
 * taken in the middle of a page, so a restored split neither skips nor repeats rows.
 */
@Internal
public class RedisRecordEmitter
        implements RecordEmitter<RedisClient.Page, RowData, RedisSplitState> {

    @Override
    public void emitRecord(
            RedisClient.Page page, SourceOutput<RowData> output, RedisSplitState splitState) {
        for (RowData row : page.rows) {
            output.collect(row);
        }
        splitState.advance(page.nextCursor);
    }
}
