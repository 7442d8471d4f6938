// Managed: generated from connector.toml by cargo-flink-connector; `cargo flink-connector generate` re-renders it (hand edits are merged).
package org.example.flink.connector.redis;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.core.memory.DataOutputViewStreamWrapper;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Serializes the {@link RedisEnumeratorState} into checkpoints. */
@Internal
public class RedisEnumeratorStateSerializer
        implements SimpleVersionedSerializer<RedisEnumeratorState> {

    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(RedisEnumeratorState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        DataOutputViewStreamWrapper out = new DataOutputViewStreamWrapper(bytes);
        out.writeBoolean(state.splitsListed());
        out.writeInt(state.remainingSplits().size());
        for (RedisSplit split : state.remainingSplits()) {
            RedisSplitSerializer.write(split, out);
        }
        out.flush();
        return bytes.toByteArray();
    }

    @Override
    public RedisEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("Unknown RedisEnumeratorState serialization version " + version);
        }
        DataInputViewStreamWrapper in =
                new DataInputViewStreamWrapper(new ByteArrayInputStream(serialized));
        boolean listed = in.readBoolean();
        int count = in.readInt();
        List<RedisSplit> splits = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            splits.add(RedisSplitSerializer.read(in));
        }
        return new RedisEnumeratorState(listed, splits);
    }
}
