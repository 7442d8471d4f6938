// Managed: generated from connector.toml by cargo-flink-connector; `cargo flink-connector generate` re-renders it (hand edits are merged).
package org.example.flink.connector.redis;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.table.connector.source.lookup.LookupOptions;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.AsyncLookupFunction;
import org.apache.flink.table.functions.FunctionContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Asynchronous lookups for lookup joins ({@code 'lookup.async' = 'true'}): many
 * {@link RedisClient#lookupAsync} calls in flight on one client. A failed lookup is
 * retried after a back-off, up to {@code lookup.max-retries} times; the back-off runs on a timer
 * thread of its own, never on the task thread.
 *
 * <p>Metrics, in the operator's group: {@code numLookupRequests} (probe rows asked for) and
 * {@code numLookupFailures} (failed attempts, retried or not); thread-safe, since lookups complete
 * on the client's threads.
 */
@Internal
public class RedisAsyncLookupFunction extends AsyncLookupFunction {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RedisAsyncLookupFunction.class);
    private static final long MAX_BACKOFF_MILLIS = 5_000L;

    private final RedisSchema schema;
    private final Configuration options;
    private final int[] lookupKeys;
    private final int maxRetries;

    private transient RedisClient client;
    private transient ScheduledExecutorService retryTimer;
    private transient Counter numLookupRequests;
    private transient Counter numLookupFailures;

    public RedisAsyncLookupFunction(RedisSchema schema, Configuration options, int[] lookupKeys) {
        this.schema = schema;
        this.options = options;
        this.lookupKeys = lookupKeys.clone();
        this.maxRetries = Math.max(0, options.get(LookupOptions.MAX_RETRIES));
    }

    @Override
    public void open(FunctionContext context) throws Exception {
        numLookupRequests = context.getMetricGroup().counter("numLookupRequests", new ConcurrentCounter());
        numLookupFailures = context.getMetricGroup().counter("numLookupFailures", new ConcurrentCounter());
        retryTimer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "RedisAsyncLookupFunction-retry");
            thread.setDaemon(true);
            return thread;
        });
        RedisClient newClient = new RedisClient(schema, options);
        try {
            newClient.open();
        } catch (IOException | RuntimeException e) {
            newClient.close();
            throw e;
        }
        client = newClient;
    }

    /** {@code keyRow} holds the values of the lookup keys, in the order of the join condition. */
    @Override
    public CompletableFuture<Collection<RowData>> asyncLookup(RowData keyRow) {
        numLookupRequests.inc();
        CompletableFuture<Collection<RowData>> result = new CompletableFuture<>();
        attempt(keyRow, 1, result);
        return result;
    }

    private void attempt(RowData keyRow, int attempt, CompletableFuture<Collection<RowData>> result) {
        CompletableFuture<Collection<RowData>> lookup;
        try {
            RedisClient current = client;
            if (current == null) {
                throw new IllegalStateException("The lookup function is closed");
            }
            lookup = current.lookupAsync(lookupKeys, keyRow);
        } catch (RuntimeException e) {
            lookup = new CompletableFuture<>();
            lookup.completeExceptionally(e);
        }
        lookup.whenComplete((rows, error) -> {
            if (error == null) {
                result.complete(rows);
                return;
            }
            numLookupFailures.inc();
            if (attempt > maxRetries) {
                result.completeExceptionally(new IOException(
                        "Lookup of " + keyRow + " in " + schema.tableName() + " failed after " + attempt
                                + " attempts ('" + LookupOptions.MAX_RETRIES.key() + "' = " + maxRetries + ")",
                        error));
            } else {
                long delay = Math.min(MAX_BACKOFF_MILLIS, 50L << Math.min(attempt - 1, 16));
                LOG.warn("Lookup in {} failed (attempt {} of {}); retrying in {} ms",
                        schema.tableName(), attempt, maxRetries + 1, delay, error);
                ScheduledExecutorService timer = retryTimer;
                try {
                    if (timer == null) {
                        throw new IllegalStateException("The lookup function is closed");
                    }
                    timer.schedule(() -> attempt(keyRow, attempt + 1, result), delay, TimeUnit.MILLISECONDS);
                } catch (RuntimeException closed) {
                    closed.addSuppressed(error);
                    result.completeExceptionally(closed);
                }
            }
        });
    }

    /** A counter incremented from the client's threads (Flink's own thread-safe one is @Internal). */
    private static final class ConcurrentCounter implements Counter {
        private final LongAdder count = new LongAdder();

        @Override
        public void inc() {
            count.increment();
        }

        @Override
        public void inc(long n) {
            count.add(n);
        }

        @Override
        public void dec() {
            count.decrement();
        }

        @Override
        public void dec(long n) {
            count.add(-n);
        }

        @Override
        public long getCount() {
            return count.sum();
        }
    }

    @Override
    public void close() throws Exception {
        if (retryTimer != null) {
            retryTimer.shutdownNow();
            retryTimer = null;
        }
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
