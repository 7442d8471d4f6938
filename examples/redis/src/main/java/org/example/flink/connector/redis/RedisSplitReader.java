// Managed: generated from connector.toml by cargo-flink-connector; `cargo flink-connector generate` re-renders it (hand edits are merged).
package org.example.flink.connector.redis;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * Runs on the source reader's fetcher thread: reads the assigned splits one after another, one
 * {@link RedisClient#readPage page} per {@link #fetch()}, until a page has no next cursor.
 * The client is opened on the first fetch and closed with the reader.
 */
@Internal
public class RedisSplitReader implements SplitReader<RedisClient.Page, RedisSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(RedisSplitReader.class);

    private final RedisSchema schema;
    private final Configuration options;
    private final ArrayDeque<RedisSplit> splits = new ArrayDeque<>();
    private RedisClient client;

    public RedisSplitReader(RedisSchema schema, Configuration options) {
        this.schema = schema;
        this.options = options;
    }

    @Override
    public RecordsWithSplitIds<RedisClient.Page> fetch() throws IOException {
        RecordsBySplits.Builder<RedisClient.Page> records = new RecordsBySplits.Builder<>();
        RedisSplit split = splits.poll();
        if (split == null) {
            return records.build();
        }
        if (split.isFinished()) { // restored after its last page was emitted
            records.addFinishedSplit(split.splitId());
            return records.build();
        }
        RedisClient.Page page = client().readPage(split);
        records.add(split.splitId(), page);
        if (page.nextCursor == null) {
            LOG.debug("Finished split {} of {}", split.splitId(), schema.tableName());
            records.addFinishedSplit(split.splitId());
        } else {
            splits.addFirst(split.withCursor(page.nextCursor));
        }
        return records.build();
    }

    private RedisClient client() throws IOException {
        if (client == null) {
            RedisClient newClient = new RedisClient(schema, options);
            try {
                newClient.open();
            } catch (IOException | RuntimeException e) {
                closeQuietly(newClient, e);
                throw e;
            }
            client = newClient;
        }
        return client;
    }

    @Override
    public void handleSplitsChanges(SplitsChange<RedisSplit> splitsChanges) {
        if (!(splitsChanges instanceof SplitsAddition)) {
            throw new UnsupportedOperationException(
                    "Unsupported splits change: " + splitsChanges.getClass().getName());
        }
        splits.addAll(splitsChanges.splits());
    }

    @Override
    public void wakeUp() {
        // fetch() reads one page and returns; nothing blocks long enough to interrupt.
    }

    @Override
    public void close() throws Exception {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    private static void closeQuietly(RedisClient client, Exception cause) {
        try {
            client.close();
        } catch (Exception e) {
            cause.addSuppressed(e);
        }
    }
}
