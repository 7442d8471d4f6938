// Managed: generated from connector.toml by cargo-flink-connector; `cargo flink-connector generate` re-renders it (hand edits are merged).
package org.example.flink.connector.redis;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.connector.source.lookup.LookupOptions;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.LookupFunction;

import java.io.IOException;
import java.util.Collection;

/**
 * Synchronous lookups for lookup joins: one {@link RedisClient#lookup} per probe row.
 * A failed lookup reconnects and is retried up to {@code lookup.max-retries} times.
 */
@Internal
public class RedisLookupFunction extends LookupFunction {

    private static final long serialVersionUID = 1L;
    private static final long MAX_BACKOFF_MILLIS = 5_000L;

    private final RedisSchema schema;
    private final Configuration options;
    private final int[] lookupKeys;
    private final int maxRetries;

    private transient RedisClient client;

    public RedisLookupFunction(RedisSchema schema, Configuration options, int[] lookupKeys) {
        this.schema = schema;
        this.options = options;
        this.lookupKeys = lookupKeys.clone();
        this.maxRetries = Math.max(0, options.get(LookupOptions.MAX_RETRIES));
    }

    @Override
    public void open(FunctionContext context) throws Exception {
        client = openClient();
    }

    /** {@code keyRow} holds the values of the lookup keys, in the order of the join condition. */
    @Override
    public Collection<RowData> lookup(RowData keyRow) throws IOException {
        IOException failure = null;
        for (int attempt = 1; attempt <= maxRetries + 1; attempt++) {
            try {
                if (client == null) {
                    client = openClient();
                }
                return client.lookup(lookupKeys, keyRow);
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
                closeClient(failure);
                if (attempt <= maxRetries) {
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
