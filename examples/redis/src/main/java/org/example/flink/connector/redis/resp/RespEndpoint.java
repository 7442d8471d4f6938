// Owned: created by cargo-flink-connector, yours to edit; `cargo flink-connector generate` never rewrites it.
package org.example.flink.connector.redis.resp;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.Objects;

/**
 * Where and how to connect to one Redis server: address, credentials, database, TLS and timeouts.
 *
 * <p>The password is kept here only to be sent with AUTH. {@link #toString()} and every message
 * built by this package leave it out, and {@link #redact(String)} removes it from text that came
 * from elsewhere (a server's error reply, an exception of the JDK).
 */
public final class RespEndpoint implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String host;
    private final int port;
    @Nullable private final String username;
    @Nullable private final String password;
    private final int database;
    private final boolean ssl;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    /** Prefix of the options the credentials came from: "" for data nodes, "sentinel." for Sentinels. */
    private String optionPrefix = "";

    public RespEndpoint(
            String host,
            int port,
            @Nullable String username,
            @Nullable String password,
            int database,
            boolean ssl,
            int connectTimeoutMillis,
            int readTimeoutMillis) {
        this.host = Objects.requireNonNull(host, "host");
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("Redis port " + port + " is not between 1 and 65535");
        }
        if (database < 0) {
            throw new IllegalArgumentException("Redis database " + database + " is negative");
        }
        this.port = port;
        this.username = emptyToNull(username);
        this.password = password == null || password.isEmpty() ? null : password;
        this.database = database;
        this.ssl = ssl;
        this.connectTimeoutMillis = Math.max(0, connectTimeoutMillis);
        this.readTimeoutMillis = Math.max(0, readTimeoutMillis);
    }

    /** The same credentials, database, TLS and timeouts for another server (a cluster node, a new master). */
    public RespEndpoint at(String otherHost, int otherPort) {
        RespEndpoint other = new RespEndpoint(otherHost, otherPort, username, password, database, ssl, connectTimeoutMillis, readTimeoutMillis);
        other.optionPrefix = optionPrefix;
        return other;
    }

    /** This endpoint as a Sentinel's: messages about its credentials name 'sentinel.username'/'sentinel.password'. */
    public RespEndpoint asSentinel() {
        RespEndpoint sentinel = at(host, port);
        sentinel.optionPrefix = "sentinel.";
        return sentinel;
    }

    /** The option {@code name} ('username', 'password') these credentials were configured with, quoted. */
    String option(String name) {
        return "'" + optionPrefix + name + "'";
    }

    private static String emptyToNull(String s) {
        return s == null || s.trim().isEmpty() ? null : s.trim();
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** {@code host:port}, as every error message names the server. */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Nullable
    public String username() {
        return username;
    }

    /** The user AUTH authenticates: the configured one, or Redis' {@code default} user. */
    public String userForMessages() {
        return username == null ? "default" : username;
    }

    boolean hasPassword() {
        return password != null;
    }

    @Nullable
    String password() {
        return password;
    }

    public int database() {
        return database;
    }

    public boolean ssl() {
        return ssl;
    }

    public int connectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    public int readTimeoutMillis() {
        return readTimeoutMillis;
    }

    /** {@code text} with every occurrence of the password replaced by {@code ******}. */
    public String redact(@Nullable String text) {
        if (text == null) {
            return null;
        }
        if (password == null || password.isEmpty()) {
            return text;
        }
        return text.replace(password, "******");
    }

    @Override
    public String toString() {
        return "redis"
                + (ssl ? "s" : "")
                + "://"
                + (username != null ? username + "@" : "")
                + address()
                + "/"
                + database
                + (password != null ? " (password set)" : "");
    }
}
