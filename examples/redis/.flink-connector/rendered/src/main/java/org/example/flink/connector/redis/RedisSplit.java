// Managed: generated from connector.toml by cargo-flink-connector; `cargo flink-connector generate` re-renders it (hand edits are merged).
package org.example.flink.connector.redis;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceSplit;

import javax.annotation.Nullable;

import java.util.Objects;

/**
 * One independently readable part of a 'redis' table, and how far it has been read.
 *
 * <p>{@link #cursor()} is where the next {@link RedisClient#readPage} starts: {@code null}
 * at the beginning of the split, afterwards the {@code nextCursor} of the last page read. A split
 * whose last page has been emitted is {@linkplain #isFinished() finished} (kept only until Flink
 * drops it, so a checkpoint taken in between does not read it again). Immutable.
 */
@Internal
public final class RedisSplit implements SourceSplit {

    private final String splitId;
    @Nullable private final String cursor;
    private final boolean finished;

    public RedisSplit(String splitId, @Nullable String cursor) {
        this(splitId, cursor, false);
    }

    private RedisSplit(String splitId, @Nullable String cursor, boolean finished) {
        this.splitId = Objects.requireNonNull(splitId, "splitId");
        this.cursor = cursor;
        this.finished = finished;
    }

    /** A split that has not been read yet. */
    public static RedisSplit of(String splitId) {
        return new RedisSplit(splitId, null, false);
    }

    @Override
    public String splitId() {
        return splitId;
    }

    @Nullable
    public String cursor() {
        return cursor;
    }

    public boolean isFinished() {
        return finished;
    }

    /** This split continuing at {@code nextCursor}. */
    public RedisSplit withCursor(@Nullable String nextCursor) {
        return new RedisSplit(splitId, nextCursor, false);
    }

    /** This split with every row read. */
    public RedisSplit asFinished() {
        return new RedisSplit(splitId, cursor, true);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RedisSplit)) {
            return false;
        }
        RedisSplit that = (RedisSplit) o;
        return finished == that.finished && splitId.equals(that.splitId) && Objects.equals(cursor, that.cursor);
    }

    @Override
    public int hashCode() {
        return Objects.hash(splitId, cursor, finished);
    }

    @Override
    public String toString() {
        return "RedisSplit{" + splitId + (finished ? ", finished" : ", cursor=" + cursor) + "}";
    }
}
