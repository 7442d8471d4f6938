// Managed: generated from connector.toml by cargo-flink-connector; `cargo flink-connector generate` re-renders it (hand edits are merged).
package org.example.flink.connector.redis;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.RowKind;

import java.io.IOException;
import java.util.concurrent.ScheduledFuture;

/**
 * Encodes each row into a {@link RedisClient.Batch} as it arrives (no copy of the row is
 * kept: Flink may reuse it) and writes the batch with {@link RedisClient#write}: when
 * {@code sink.buffer-flush.max-rows} rows are buffered, {@code sink.buffer-flush.interval} after
 * the first buffered row (a processing-time timer, run in the task's mailbox thread like every
 * other method here), and on {@link #flush} (every checkpoint and the end of input) — which
 * returns only after the client acknowledged every row, so a completed checkpoint never loses one.
 *
 * <p>A failed write closes the client, waits, reconnects and sends the same encoded batch again
 * (writes are idempotent upserts/deletes), up to {@code sink.max-retries} times.
 */
@Internal
public class RedisSinkWriter implements SinkWriter<RowData> {

    private static final long MAX_BACKOFF_MILLIS = 10_000L;

    private final RedisSchema schema;
    private final Configuration options;
    private final ProcessingTimeService timeService;
    private final int maxRows;
    private final long flushIntervalMillis;
    private final int maxRetries;
    private final RedisClient.Batch batch = new RedisClient.Batch();

    private RedisClient client;
    private ScheduledFuture<?> flushTimer;

    public RedisSinkWriter(
            RedisSchema schema, Configuration options, ProcessingTimeService timeService)
            throws IOException {
        this.schema = schema;
        this.options = options;
        this.timeService = timeService;
        this.maxRows = Math.max(1, options.get(RedisOptions.SINK_BUFFER_FLUSH_MAX_ROWS));
        this.flushIntervalMillis =
                options.get(RedisOptions.SINK_BUFFER_FLUSH_INTERVAL).toMillis();
        this.maxRetries = Math.max(0, options.get(RedisOptions.SINK_MAX_RETRIES));
        this.client = openClient(schema, options); // fail fast on bad connection settings
    }

    @Override
    public void write(RowData row, Context context) throws IOException, InterruptedException {
        if (row.getRowKind() == RowKind.UPDATE_BEFORE) {
            return; // an upsert sink only needs the new version of a row
        }
        if (client == null) {
            client = openClient(schema, options); // closed after a failed write
        }
        client.add(batch, row);
        if (batch.rows() >= maxRows) {
            flushBuffer();
        } else if (flushTimer == null && flushIntervalMillis > 0) {
            long at = timeService.getCurrentProcessingTime() + flushIntervalMillis;
            flushTimer = timeService.registerTimer(at, time -> {
                flushTimer = null;
                flushBuffer();
            });
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        flushBuffer();
    }

    private void flushBuffer() throws IOException, InterruptedException {
        if (batch.isEmpty()) {
            return;
        }
        IOException failure = null;
        for (int attempt = 1; attempt <= maxRetries + 1; attempt++) {
            try {
                if (client == null) {
                    client = openClient(schema, options);
                }
                client.write(batch);
                batch.clear();
                return;
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
                client = closeAfter(failure, client);
                if (attempt <= maxRetries) {
                    backOff(attempt);
                }
            }
        }
        throw new IOException(
                "Writing " + batch.rows() + " rows to " + schema.tableName() + " failed after "
                        + (maxRetries + 1) + " attempts ('sink.max-retries' = " + maxRetries + ")",
                failure);
    }

    /** Waits before retry {@code attempt} (1, 2, …): 100 ms, doubling, at most 10 s. */
    static void backOff(int attempt) throws InterruptedException {
        Thread.sleep(Math.min(MAX_BACKOFF_MILLIS, 100L << Math.min(attempt - 1, 16)));
    }

    /** A client of the table, connected; closed again when connecting fails. */
    static RedisClient openClient(RedisSchema schema, Configuration options) throws IOException {
        RedisClient newClient = new RedisClient(schema, options);
        try {
            newClient.open();
        } catch (IOException | RuntimeException e) {
            try {
                newClient.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return newClient;
    }

    /** Closes {@code client} (if any) after {@code cause}, which keeps what closing threw; returns null. */
    static RedisClient closeAfter(Exception cause, RedisClient client) {
        if (client != null) {
            try {
                client.close();
            } catch (Exception e) {
                cause.addSuppressed(e);
            }
        }
        return null;
    }

    @Override
    public void close() throws Exception {
        if (flushTimer != null) {
            flushTimer.cancel(false);
            flushTimer = null;
        }
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
