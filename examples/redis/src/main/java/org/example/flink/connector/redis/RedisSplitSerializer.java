// Managed: generated from connector.toml by cargo-flink-connector; `cargo flink-connector generate` re-renders it (hand edits are merged).
package org.example.flink.connector.redis;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.core.memory.DataOutputViewStreamWrapper;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Serializes {@link RedisSplit}s for checkpoints and for sending them to readers, through
 * Flink's public stream wrappers (DataOutputSerializer and DataInputDeserializer are internal API).
 */
@Internal
public class RedisSplitSerializer implements SimpleVersionedSerializer<RedisSplit> {

    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(RedisSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        DataOutputViewStreamWrapper out = new DataOutputViewStreamWrapper(bytes);
        write(split, out);
        out.flush();
        return bytes.toByteArray();
    }

    @Override
    public RedisSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("Unknown RedisSplit serialization version " + version);
        }
        return read(new DataInputViewStreamWrapper(new ByteArrayInputStream(serialized)));
    }

    static void write(RedisSplit split, DataOutputView out) throws IOException {
        writeString(split.splitId(), out);
        out.writeBoolean(split.cursor() != null);
        if (split.cursor() != null) {
            writeString(split.cursor(), out);
        }
        out.writeBoolean(split.isFinished());
    }

    static RedisSplit read(DataInputView in) throws IOException {
        String splitId = readString(in);
        String cursor = in.readBoolean() ? readString(in) : null;
        RedisSplit split = new RedisSplit(splitId, cursor);
        return in.readBoolean() ? split.asFinished() : split;
    }

    /** UTF-8 with an int length: unlike writeUTF, no 64 KiB limit for long cursors. */
    private static void writeString(String value, DataOutputView out) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputView in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
