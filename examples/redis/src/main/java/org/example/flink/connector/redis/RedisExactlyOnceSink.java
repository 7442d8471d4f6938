// Managed: generated from connector.toml by cargo-flink-connector; `cargo flink-connector generate` re-renders it (hand edits are merged).
package org.example.flink.connector.redis;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.table.data.RowData;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Collection;

/**
 * The sink of {@code sink.delivery-guarantee} = {@code exactly-once}, a two-phase-commit Sink V2
 * ({@code SupportsCommitter}, Flink 1.19 and later): the writer only encodes rows; at each
 * checkpoint it hands them to Flink as {@link RedisClient.Staged} batches (one per hash slot,
 * at most {@code sink.buffer-flush.max-rows} rows each, under ids no other batch has), which Flink
 * keeps in the checkpoint; once the checkpoint completed {@link RedisCommitter} applies each
 * batch with a marker, in one script, so a batch is applied once even when Flink replays the commit.
 * Rows of an unfinished checkpoint are never sent: after a failure they come again from the source.
 */
@Internal
public class RedisExactlyOnceSink implements Sink<RowData>, SupportsCommitter<RedisClient.Staged> {

    private static final long serialVersionUID = 1L;

    private final RedisSchema schema;
    private final Configuration options;

    public RedisExactlyOnceSink(RedisSchema schema, Configuration options) {
        this.schema = schema;
        this.options = options;
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<RowData> createWriter(InitContext context) {
        return new Writer(schema, options);
    }

    @Override
    public Writer createWriter(WriterInitContext context) {
        return new Writer(schema, options);
    }

    @Override
    public Committer<RedisClient.Staged> createCommitter(CommitterInitContext context) {
        return new RedisCommitter(schema, options);
    }

    @Override
    public SimpleVersionedSerializer<RedisClient.Staged> getCommittableSerializer() {
        return new StagedSerializer();
    }

    /** Encodes rows as they come; {@link #prepareCommit} hands them over at each checkpoint. */
    @Internal
    public static final class Writer implements CommittingSinkWriter<RowData, RedisClient.Staged> {

        private static final SecureRandom RANDOM = new SecureRandom();

        private final RedisClient client;
        private final RedisClient.Batch batch = RedisClient.Batch.staged();
        private final int maxRows;
        /**
         * Random per writer: a restarted writer never reuses the id of a batch it made before the
         * failure (the restore may still commit that one), without depending on the job or the subtask.
         */
        private final String writerId = Long.toHexString(RANDOM.nextLong()) + Long.toHexString(RANDOM.nextLong());
        private long checkpoints;

        Writer(RedisSchema schema, Configuration options) {
            this.client = new RedisClient(schema, options); // no connection: the committer writes
            this.maxRows = Math.max(1, options.get(RedisOptions.SINK_BUFFER_FLUSH_MAX_ROWS));
        }

        @Override
        public void write(RowData row, Context context) {
            client.add(batch, row);
        }

        @Override
        public void flush(boolean endOfInput) {
            // rows wait for prepareCommit: writing them now would apply them before their checkpoint completes
        }

        @Override
        public Collection<RedisClient.Staged> prepareCommit() {
            return client.stage(batch, writerId + "-" + checkpoints++, maxRows);
        }

        @Override
        public void close() {}
    }

    /** Version 1: id, slot, commands. */
    static final class StagedSerializer implements SimpleVersionedSerializer<RedisClient.Staged> {

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(RedisClient.Staged staged) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(staged.commands.length + 64);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeUTF(staged.id);
            out.writeInt(staged.slot);
            out.writeInt(staged.commands.length);
            out.write(staged.commands);
            out.flush();
            return bytes.toByteArray();
        }

        @Override
        public RedisClient.Staged deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1) {
                throw new IOException("Unknown version " + version + " of a Redis exactly-once batch (this connector writes 1)");
            }
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized));
            String id = in.readUTF();
            int slot = in.readInt();
            byte[] commands = new byte[in.readInt()];
            in.readFully(commands);
            return new RedisClient.Staged(id, slot, commands);
        }
    }
}
