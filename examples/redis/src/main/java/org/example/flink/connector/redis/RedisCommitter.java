// Managed: generated from connector.toml by cargo-flink-connector; `cargo flink-connector generate` re-renders it (hand edits are merged).
package org.example.flink.connector.redis;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.configuration.Configuration;
import org.example.flink.connector.redis.resp.RespException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Commits the batches of the exactly-once sink ({@code sink.delivery-guarantee} =
 * {@code exactly-once}) once their checkpoint completed: {@link RedisClient#commit} applies
 * each with its marker in one script, so a commit replayed after a restore, or retried here after a
 * connection failure ({@code sink.max-retries} times, reconnecting), applies nothing twice.
 */
@Internal
public class RedisCommitter implements Committer<RedisClient.Staged> {

    private final RedisSchema schema;
    private final Configuration options;
    private final int maxRetries;
    private RedisClient client;

    public RedisCommitter(RedisSchema schema, Configuration options) {
        this.schema = schema;
        this.options = options;
        this.maxRetries = Math.max(0, options.get(RedisOptions.SINK_MAX_RETRIES));
    }

    @Override
    public void commit(Collection<CommitRequest<RedisClient.Staged>> requests) throws IOException, InterruptedException {
        List<RedisClient.Staged> staged = new ArrayList<>(requests.size());
        for (CommitRequest<RedisClient.Staged> request : requests) {
            staged.add(request.getCommittable());
        }
        if (staged.isEmpty()) {
            return;
        }
        IOException failure = null;
        for (int attempt = 1; attempt <= maxRetries + 1; attempt++) {
            try {
                if (client == null) {
                    client = RedisSinkWriter.openClient(schema, options);
                }
                client.commit(staged);
                return;
            } catch (IOException e) {
                if (e instanceof RespException && !((RespException) e).isConnectionFailure()) {
                    throw e; // a command failed inside a batch: its marker records it, a retry reports it again
                }
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
                client = RedisSinkWriter.closeAfter(failure, client);
                if (attempt <= maxRetries) {
                    RedisSinkWriter.backOff(attempt);
                }
            }
        }
        // the job fails over; the restored committer commits these batches again (applied ones are skipped)
        throw new IOException("Committing " + staged.size() + " batches to " + schema.tableName() + " failed after "
                + (maxRetries + 1) + " attempts ('sink.max-retries' = " + maxRetries + ")", failure);
    }

    @Override
    public void close() throws Exception {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
