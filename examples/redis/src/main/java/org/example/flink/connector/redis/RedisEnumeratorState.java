// Managed: generated from connector.toml by cargo-flink-connector; `cargo flink-connector generate` re-renders it (hand edits are merged).
package org.example.flink.connector.redis;

import org.apache.flink.annotation.Internal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The split enumerator's checkpoint: whether the splits have been listed yet, and the splits
 * not yet assigned to any reader (assigned ones are in the readers' checkpoints).
 */
@Internal
public final class RedisEnumeratorState {

    private final boolean splitsListed;
    private final List<RedisSplit> remainingSplits;

    public RedisEnumeratorState(boolean splitsListed, List<RedisSplit> remainingSplits) {
        this.splitsListed = splitsListed;
        this.remainingSplits = Collections.unmodifiableList(new ArrayList<>(remainingSplits));
    }

    /** The state of a fresh job: nothing listed yet. */
    public static RedisEnumeratorState initial() {
        return new RedisEnumeratorState(false, Collections.<RedisSplit>emptyList());
    }

    public boolean splitsListed() {
        return splitsListed;
    }

    public List<RedisSplit> remainingSplits() {
        return remainingSplits;
    }

    @Override
    public String toString() {
        return "RedisEnumeratorState{listed=" + splitsListed + ", remaining=" + remainingSplits + "}";
    }
}
