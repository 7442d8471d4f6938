// Owned: created by cargo-flink-connector, yours to edit; `cargo flink-connector generate` never rewrites it.
package org.example.flink.connector.redis.resp;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How the servers of one Redis deployment are found: a standalone server, the master a group of
 * Sentinels names, or the masters of a Redis Cluster (seed nodes). Every server is reached with the
 * same credentials, TLS and timeouts ({@link #template()}); Sentinels have their own credentials.
 *
 * <p>Serializable and immutable: it travels with sources, sinks and lookup functions, and each
 * client resolves the current master / slot map when it connects.
 */
public final class RespTopology implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Deployment modes, named as in the {@code mode} option. */
    public enum Mode {
        STANDALONE,
        SENTINEL,
        CLUSTER
    }

    private final Mode mode;
    private final RespEndpoint template;
    /** Standalone: the server; sentinel: the Sentinels; cluster: the seed nodes. */
    private final List<RespEndpoint> nodes;
    private final String masterName;

    private RespTopology(Mode mode, RespEndpoint template, List<RespEndpoint> nodes, String masterName) {
        this.mode = mode;
        this.template = template;
        this.nodes = Collections.unmodifiableList(new ArrayList<>(nodes));
        this.masterName = masterName;
    }

    public static RespTopology standalone(RespEndpoint server) {
        return new RespTopology(Mode.STANDALONE, server, Collections.singletonList(server), null);
    }

    /** {@code sentinels} carry the Sentinels' credentials; {@code template} the data nodes'. */
    public static RespTopology sentinel(RespEndpoint template, List<RespEndpoint> sentinels, String masterName) {
        return new RespTopology(Mode.SENTINEL, template, sentinels, masterName);
    }

    public static RespTopology cluster(RespEndpoint template, List<RespEndpoint> seeds) {
        return new RespTopology(Mode.CLUSTER, template, seeds, null);
    }

    public Mode mode() {
        return mode;
    }

    /** Credentials, database, TLS and timeouts of the data nodes (its address is a placeholder outside standalone). */
    public RespEndpoint template() {
        return template;
    }

    public List<RespEndpoint> nodes() {
        return nodes;
    }

    public String masterName() {
        return masterName;
    }

    /**
     * Parses {@code host:port[,host:port…]} (IPv6 as {@code [::1]:6379}); an
     * IllegalArgumentException names {@code option} and the bad entry.
     */
    public static List<String[]> parseAddresses(String option, String text) {
        List<String[]> out = new ArrayList<>();
        if (text == null || text.trim().isEmpty()) {
            throw new IllegalArgumentException("'" + option + "' is empty; expected host:port[,host:port...]");
        }
        for (String raw : text.split(",")) {
            String entry = raw.trim();
            int colon = entry.lastIndexOf(':');
            String host = colon < 0 ? "" : entry.substring(0, colon).trim();
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            String port = colon < 0 ? "" : entry.substring(colon + 1).trim();
            if (host.isEmpty() || port.isEmpty()) {
                throw new IllegalArgumentException("'" + option + "' entry '" + entry + "' is not host:port");
            }
            int p;
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                p = -1;
            }
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException(
                        "'" + option + "' entry '" + entry + "' has a bad port '" + port + "' (1..65535)");
            }
            out.add(new String[] {host, String.valueOf(p)});
        }
        return out;
    }

    /**
     * The current master of a Sentinel group: asks each Sentinel in turn ({@code SENTINEL
     * GET-MASTER-ADDR-BY-NAME}) and returns the first answer, as an endpoint with the data nodes'
     * credentials. Fails naming every Sentinel tried and why.
     */
    public RespEndpoint resolveMaster() throws RespException {
        if (mode != Mode.SENTINEL) {
            return mode == Mode.STANDALONE ? template : nodes.get(0);
        }
        StringBuilder failures = new StringBuilder();
        boolean onlyAuthFailed = true; // then retrying cannot help: fail at once
        for (RespEndpoint sentinel : nodes) {
            try (RespConnection c = new RespConnection(sentinel)) {
                Object reply = c.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", masterName);
                if (reply instanceof Object[] && ((Object[]) reply).length == 2) {
                    Object[] hp = (Object[]) reply;
                    String host = new String((byte[]) hp[0], StandardCharsets.UTF_8);
                    int port = Integer.parseInt(new String((byte[]) hp[1], StandardCharsets.US_ASCII));
                    return template.at(host, port);
                }
                failures.append(failures.length() == 0 ? "" : "; ")
                        .append(sentinel.address()).append(": does not know master '").append(masterName).append("'");
                onlyAuthFailed = false;
            } catch (RespException e) {
                failures.append(failures.length() == 0 ? "" : "; ").append(e.getMessage());
                onlyAuthFailed &= e instanceof RespException.AuthenticationFailed;
            }
        }
        String message = "No Sentinel of " + addresses() + " named a master for '" + masterName + "' ('sentinel.master'): " + failures;
        throw onlyAuthFailed ? new RespException.AuthenticationFailed(message) : new RespException(message, true);
    }

    /** The configured addresses, for messages. */
    public String addresses() {
        List<String> a = new ArrayList<>();
        for (RespEndpoint e : nodes) {
            a.add(e.address());
        }
        return String.join(",", a);
    }

    @Override
    public String toString() {
        return mode.name().toLowerCase(java.util.Locale.ROOT) + " " + addresses()
                + (masterName == null ? "" : " master " + masterName);
    }
}
