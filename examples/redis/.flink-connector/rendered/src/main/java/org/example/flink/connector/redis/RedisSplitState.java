// Managed: generated from connector.toml by cargo-flink-connector; `cargo flink-connector generate` re-renders it (hand edits are merged).
package org.example.flink.connector.redis;

import org.apache.flink.annotation.Internal;
import javax.annotation.Nullable;

/** The mutable reading position of a split inside a source reader (updated as pages are emitted). */
@Internal
public final class RedisSplitState {

    private RedisSplit split;

    public RedisSplitState(RedisSplit split) {
        this.split = split;
    }

    /** Called after every row of a page was emitted; {@code nextCursor == null} ends the split. */
    public void advance(@Nullable String nextCursor) {
        split = nextCursor == null ? split.asFinished() : split.withCursor(nextCursor);
    }

    public RedisSplit toSplit() {
        return split;
    }
}
