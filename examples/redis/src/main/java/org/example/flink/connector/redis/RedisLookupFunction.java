// Managed: generated from connector.toml by cargo-flink-connector; `cargo flink-connector generate` re-renders it (hand edits are merged).
package org.example.flink.connector.redis;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.table.connector.source.lookup.LookupOptions;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.LookupFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Collection;

/**
 * Synchronous lookups for lookup joins: one {@link RedisClient#lookup} per probe row.
 * A failed lookup reconnects and is retried up to {@code lookup.max-retries} times.
 *
 * <p>A synchronous lookup holds the task thread until it returns, retries included: Flink calls
 * it from the join operator and waits for its rows, so there is no mailbox to yield to. The wait is
 * bounded (50 ms doubling, at most 5 s a retry, {@code lookup.max-retries} retries); set
 * {@code 'lookup.async' = 'true'} to retry off the task thread.
 *
 * <p>Metrics, in the operator's group: {@code numLookupRequests} (probe rows asked for) and
 * {@code numLookupFailures} (failed attempts, retried or not); Flink's FLIP-221 cache adds its
 * hit/miss/load metrics when a cache is configured.
 */
@Internal
public class RedisLookupFunction extends LookupFunction {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RedisLookupFunction.class);
    private static final long MAX_BACKOFF_MILLIS = 5_000L;

    private final RedisSchema schema;
    private final Configuration options;
    private final int[] lookupKeys;
    private final int maxRetries;

    private transient RedisClient client;
    private transient Counter numLookupRequests;
    private transient Counter numLookupFailures;

    public RedisLookupFunction(RedisSchema schema, Configuration options, int[] lookupKeys) {
        this.schema = schema;
        this.options = options;
        this.lookupKeys = lookupKeys.clone();
        this.maxRetries = Math.max(0, options.get(LookupOptions.MAX_RETRIES));
    }

    @Override
    public void open(FunctionContext context) throws Exception {
        numLookupRequests = context.getMetricGroup().counter("numLookupRequests");
        numLookupFailures = context.getMetricGroup().counter("numLookupFailures");
        client = openClient();
    }

    /** {@code keyRow} holds the values of the lookup keys, in the order of the join condition. */
    @Override
    public Collection<RowData> lookup(RowData keyRow) throws IOException {
        numLookupRequests.inc();
        IOException failure = null;
        for (int attempt = 1; attempt <= maxRetries + 1; attempt++) {
            try {
                if (client == null) {
                    client = openClient();
                }
                return client.lookup(lookupKeys, keyRow);
            } catch (IOException e) {
                numLookupFailures.inc();
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
                closeClient(failure);
                if (attempt <= maxRetries) {
                    LOG.warn("Lookup in {} failed (attempt {} of {}); retrying",
                            schema.tableName(), attempt, maxRetries + 1, e);
                    backOff(attempt, failure);
                }
            }
        }
        throw new IOException(
                "Lookup of " + keyRow + " in " + schema.tableName() + " failed after " + (maxRetries + 1)
                        + " attempts ('" + LookupOptions.MAX_RETRIES.key() + "' = " + maxRetries + ")",
                failure);
    }

    private static void backOff(int attempt, IOException failure) throws IOException {
        try {
            Thread.sleep(Math.min(MAX_BACKOFF_MILLIS, 50L << Math.min(attempt - 1, 16)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure;
        }
    }

    private RedisClient openClient() throws IOException {
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

    private void closeClient(Exception cause) {
        if (client != null) {
            try {
                client.close();
            } catch (Exception e) {
                cause.addSuppressed(e);
            }
            client = null;
        }
    }

    @Override
    public void close() throws Exception {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
