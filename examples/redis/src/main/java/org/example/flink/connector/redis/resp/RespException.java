// Owned: created by cargo-flink-connector, yours to edit; `cargo flink-connector generate` never rewrites it.
package org.example.flink.connector.redis.resp;

import java.io.IOException;

/**
 * A failure talking to Redis. {@link #isConnectionFailure()} tells a broken or unreachable
 * connection (worth reconnecting and retrying) from an error reply of the server (WRONGTYPE, OOM,
 * NOPERM, …) or a failed AUTH, which retrying would not fix. Messages name the server as
 * {@code host:port} and never contain the password.
 */
public class RespException extends IOException {

    private static final long serialVersionUID = 1L;

    private final boolean connectionFailure;

    public RespException(String message, boolean connectionFailure) {
        super(message);
        this.connectionFailure = connectionFailure;
    }

    public RespException(String message, boolean connectionFailure, Throwable cause) {
        super(message, cause);
        this.connectionFailure = connectionFailure;
    }

    /** True when the connection broke or could not be made; false for error replies and AUTH. */
    public boolean isConnectionFailure() {
        return connectionFailure;
    }

    /** AUTH was refused (WRONGPASS, invalid password) or the server requires it (NOAUTH). */
    public static final class AuthenticationFailed extends RespException {
        private static final long serialVersionUID = 1L;

        public AuthenticationFailed(String message) {
            super(message, false);
        }
    }
}
