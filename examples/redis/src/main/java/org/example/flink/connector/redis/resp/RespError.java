// Owned: created by cargo-flink-connector, yours to edit; `cargo flink-connector generate` never rewrites it.
package org.example.flink.connector.redis.resp;

/**
 * An error reply ({@code -ERR …}, {@code -WRONGTYPE …}) as a value: replies of a pipeline are
 * read to the end before anyone decides what an error means, so errors are returned, not thrown.
 */
public final class RespError {

    private final String message;

    public RespError(String message) {
        this.message = message;
    }

    /** The whole error line, e.g. {@code WRONGTYPE Operation against a key holding the wrong kind of value}. */
    public String message() {
        return message;
    }

    /** The error code: the first word ({@code ERR}, {@code WRONGTYPE}, {@code NOAUTH}, …). */
    public String code() {
        int space = message.indexOf(' ');
        return space < 0 ? message : message.substring(0, space);
    }

    @Override
    public String toString() {
        return message;
    }
}
