// Managed: generated from connector.toml by cargo-flink-connector; `cargo flink-connector generate` re-renders it (hand edits are merged).
package org.example.flink.connector.redis;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.FlinkRuntimeException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Lists the table's splits once, with a short-lived {@link RedisClient} on a worker
 * thread, then hands them out one at a time to readers that ask; a reader asking when none are
 * left is told there will be no more (the scan is bounded).
 */
@Internal
public class RedisSplitEnumerator
        implements SplitEnumerator<RedisSplit, RedisEnumeratorState> {

    private static final Logger LOG = LoggerFactory.getLogger(RedisSplitEnumerator.class);

    private final RedisSchema schema;
    private final Configuration options;
    private final SplitEnumeratorContext<RedisSplit> context;
    private final ArrayDeque<RedisSplit> remaining;
    /** Readers that asked for a split, answered once the splits are listed. */
    private final Set<Integer> waitingReaders = new LinkedHashSet<>();
    private boolean splitsListed;

    public RedisSplitEnumerator(
            RedisSchema schema,
            Configuration options,
            SplitEnumeratorContext<RedisSplit> context,
            RedisEnumeratorState state) {
        this.schema = schema;
        this.options = options;
        this.context = context;
        this.remaining = new ArrayDeque<>(state.remainingSplits());
        this.splitsListed = state.splitsListed();
    }

    @Override
    public void start() {
        if (!splitsListed) {
            context.callAsync(this::listSplits, this::onSplitsListed);
        }
    }

    private List<RedisSplit> listSplits() throws IOException {
        try (RedisClient client = new RedisClient(schema, options)) {
            client.open();
            return new ArrayList<>(client.listSplits());
        }
    }

    private void onSplitsListed(List<RedisSplit> splits, @Nullable Throwable error) {
        if (error != null) {
            throw new FlinkRuntimeException("Could not list the splits of " + schema.tableName(), error);
        }
        LOG.info("Listed {} splits of {}", splits.size(), schema.tableName());
        remaining.addAll(splits);
        splitsListed = true;
        answerWaitingReaders();
    }

    @Override
    public void handleSplitRequest(int subtaskId, @Nullable String requesterHostname) {
        waitingReaders.add(subtaskId);
        answerWaitingReaders();
    }

    private void answerWaitingReaders() {
        if (!splitsListed) {
            return;
        }
        Iterator<Integer> readers = waitingReaders.iterator();
        while (readers.hasNext()) {
            int subtaskId = readers.next();
            readers.remove();
            if (!context.registeredReaders().containsKey(subtaskId)) {
                continue; // the reader failed meanwhile; it asks again when it is back
            }
            RedisSplit split = remaining.poll();
            if (split != null) {
                LOG.debug("Assigning split {} to subtask {}", split.splitId(), subtaskId);
                context.assignSplit(split, subtaskId);
            } else {
                LOG.debug("No splits left for subtask {}", subtaskId);
                context.signalNoMoreSplits(subtaskId);
            }
        }
    }

    @Override
    public void addSplitsBack(List<RedisSplit> splits, int subtaskId) {
        // Splits of a failed reader since its last checkpoint: hand them out again.
        LOG.info("Subtask {} failed: {} of its splits are handed out again", subtaskId, splits.size());
        remaining.addAll(splits);
    }

    @Override
    public void addReader(int subtaskId) {
        // Readers ask for splits themselves (see RedisSourceReader#start).
    }

    @Override
    public RedisEnumeratorState snapshotState(long checkpointId) {
        return new RedisEnumeratorState(splitsListed, new ArrayList<>(remaining));
    }

    @Override
    public void close() {}
}
