// Owned: created by cargo-flink-connector, yours to edit; `cargo flink-connector generate` never rewrites it.
package org.example.flink.connector.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real multi-server Redis deployments for tests, on free ports of 127.0.0.1, every process
 * stopped by its PID: a Redis Cluster of 3 masters and 3 replicas ({@code redis-cli --cluster
 * create … --cluster-replicas 1}), or a master, a replica and 3 Sentinels; optionally speaking only
 * TLS, between each other too (cluster bus, replication, Sentinels).
 */
final class RedisTestDeployment implements AutoCloseable {

    static final String MASTER_NAME = "mymaster";

    /** Cluster: the 6 nodes; Sentinel: master, replica. */
    final List<RedisTestServer> servers = new ArrayList<>();
    final List<RedisTestServer> sentinels = new ArrayList<>();

    private RedisTestDeployment() {}

    static RedisTestDeployment cluster() throws Exception {
        return cluster(null);
    }

    /** With {@code tls}: nodes that speak only TLS, to clients and on the cluster bus, announcing their TLS ports. */
    static RedisTestDeployment cluster(RedisTestServer.Tls tls) throws Exception {
        RedisTestDeployment d = new RedisTestDeployment();
        try {
            List<String> create = new ArrayList<>();
            create.add("redis-cli");
            if (tls != null) {
                create.addAll(java.util.Arrays.asList("--tls", "--cacert", tls.cert().getAbsolutePath()));
            }
            create.add("--cluster");
            create.add("create");
            for (int i = 0; i < 6; i++) {
                // an explicit bus port: the default (port + 10000) does not exist for ports above 55535
                List<String> args = new ArrayList<>(java.util.Arrays.asList("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "2000", "--cluster-port", String.valueOf(RedisTestServer.freePort()),
                        "--masterauth", RedisTestServer.PASSWORD));
                if (tls != null) {
                    args.addAll(java.util.Arrays.asList("--tls-cluster", "yes"));
                }
                RedisTestServer node = RedisTestServer.startWith(tls, args.toArray(new String[0]));
                d.servers.add(node);
                create.add("127.0.0.1:" + node.clientPort());
            }
            create.add("--cluster-replicas");
            create.add("1");
            create.add("--cluster-yes");
            create.add("-a");
            create.add(RedisTestServer.PASSWORD);
            create.add("--no-auth-warning");
            run(create);
            d.awaitClusterOk();
            return d;
        } catch (Exception | AssertionError e) {
            d.close();
            throw e;
        }
    }

    static RedisTestDeployment sentinel() throws Exception {
        return sentinel(null);
    }

    /** With {@code tls}: master, replica and Sentinels speak only TLS. */
    static RedisTestDeployment sentinel(RedisTestServer.Tls tls) throws Exception {
        RedisTestDeployment d = new RedisTestDeployment();
        try {
            RedisTestServer master = RedisTestServer.startWith(tls, "--masterauth", RedisTestServer.PASSWORD);
            d.servers.add(master);
            RedisTestServer replica = RedisTestServer.startWith(tls, "--replicaof", "127.0.0.1", String.valueOf(master.clientPort()),
                    "--masterauth", RedisTestServer.PASSWORD);
            d.servers.add(replica);
            awaitInfo(replica, "replication", "master_link_status:up");
            for (int i = 0; i < 3; i++) {
                d.sentinels.add(RedisTestServer.startSentinel(tls, MASTER_NAME, master.clientPort()));
            }
            // every Sentinel knows the replica and the two other Sentinels (needed to elect a leader)
            for (RedisTestServer s : d.sentinels) {
                awaitTrue(() -> ((Object[]) s.call("SENTINEL", "SENTINELS", MASTER_NAME)).length == 2
                        && ((Object[]) s.call("SENTINEL", "REPLICAS", MASTER_NAME)).length == 1, "Sentinel " + s.port + " sees its peers");
            }
            return d;
        } catch (Exception | AssertionError e) {
            d.close();
            throw e;
        }
    }

    /** host:port of every cluster node or Sentinel, comma-separated. */
    String seeds() {
        List<String> a = new ArrayList<>();
        for (RedisTestServer s : sentinels.isEmpty() ? servers : sentinels) {
            a.add("127.0.0.1:" + s.clientPort());
        }
        return String.join(",", a);
    }

    /** {@code ACL SETUSER name rules…} on every data server (ACLs are per server, not replicated). */
    void setUser(String name, String... rules) throws Exception {
        for (RedisTestServer s : servers) {
            s.call(acl(name, rules));
        }
    }

    /** {@code ACL SETUSER name rules…} on every Sentinel. */
    void setSentinelUser(String name, String... rules) throws Exception {
        for (RedisTestServer s : sentinels) {
            s.call(acl(name, rules));
        }
    }

    private static Object[] acl(String name, String... rules) {
        List<Object> args = new ArrayList<>(java.util.Arrays.asList("ACL", "SETUSER", name));
        args.addAll(java.util.Arrays.asList(rules));
        return args.toArray();
    }

    /** The running data servers that are masters now. */
    List<RedisTestServer> masters() throws Exception {
        List<RedisTestServer> masters = new ArrayList<>();
        for (RedisTestServer s : servers) {
            try {
                if (info(s, "replication").contains("role:master")) {
                    masters.add(s);
                }
            } catch (java.io.IOException stopped) {
                // a node stopped by the test
            }
        }
        return masters;
    }

    /** A replica (of a running master). */
    RedisTestServer replica() throws Exception {
        for (RedisTestServer s : servers) {
            if (info(s, "replication").contains("role:slave")) {
                return s;
            }
        }
        throw new AssertionError("no replica");
    }

    /** The master serving {@code key}'s hash slot (the other cluster masters answer MOVED). */
    RedisTestServer ownerOf(String key) throws Exception {
        for (RedisTestServer m : masters()) {
            try {
                m.call("EXISTS", key);
                return m;
            } catch (java.io.IOException e) {
                if (!String.valueOf(e.getMessage()).contains("MOVED")) {
                    throw e;
                }
            }
        }
        throw new AssertionError("no master serves " + key);
    }

    /** Starts moving hash slot {@code slot} from master {@code from} to {@code to}, as redis-cli --cluster reshard does (keys: MIGRATE). */
    static void startSlotMigration(int slot, RedisTestServer from, RedisTestServer to) throws Exception {
        to.call("CLUSTER", "SETSLOT", slot, "IMPORTING", nodeId(from));
        from.call("CLUSTER", "SETSLOT", slot, "MIGRATING", nodeId(to));
    }

    /** Ends the migration: every master assigns {@code slot} to {@code to}. */
    void finishSlotMigration(int slot, RedisTestServer to) throws Exception {
        String id = nodeId(to);
        to.call("CLUSTER", "SETSLOT", slot, "NODE", id); // first on the importing node, which bumps its epoch
        for (RedisTestServer m : masters()) {
            m.call("CLUSTER", "SETSLOT", slot, "NODE", id);
        }
        awaitClusterOk();
    }

    static String nodeId(RedisTestServer node) throws Exception {
        return new String((byte[]) node.call("CLUSTER", "MYID"), StandardCharsets.UTF_8);
    }

    /** Sum of {@link RedisTestServer#commandCalls} over the data servers. */
    long commandCalls(String command) throws Exception {
        long n = 0;
        for (RedisTestServer s : servers) {
            n += s.commandCalls(command);
        }
        return n;
    }

    /** Sum of {@link RedisTestServer#errors} over the data servers. */
    long errors(String code) throws Exception {
        long n = 0;
        for (RedisTestServer s : servers) {
            n += s.errors(code);
        }
        return n;
    }

    /** Keys stored on all masters. */
    long keys() throws Exception {
        long n = 0;
        for (RedisTestServer m : masters()) {
            n += (Long) m.call("DBSIZE");
        }
        return n;
    }

    void flushAll() throws Exception {
        for (RedisTestServer m : masters()) {
            m.call("FLUSHALL");
        }
    }

    void awaitClusterOk() throws Exception {
        for (RedisTestServer s : servers) {
            try {
                awaitTrue(() -> {
                    String info = new String((byte[]) s.call("CLUSTER", "INFO"), StandardCharsets.UTF_8);
                    return info.contains("cluster_state:ok") && info.contains("cluster_slots_ok:16384");
                }, "cluster state ok on " + s.port);
            } catch (java.io.IOException stopped) {
                // a node stopped by the test
            }
        }
    }

    static String info(RedisTestServer s, String section) throws Exception {
        return new String((byte[]) s.call("INFO", section), StandardCharsets.UTF_8);
    }

    static void awaitInfo(RedisTestServer s, String section, String text) throws Exception {
        awaitTrue(() -> info(s, section).contains(text), text + " on " + s.port);
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void awaitTrue(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (check.ok()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for: " + what, last);
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = new byte[0];
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        for (int n; (n = p.getInputStream().read(chunk)) > 0; ) {
            buf.write(chunk, 0, n);
        }
        out = buf.toByteArray();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
    }

    /** Stops every server at once: each takes a second or two to exit, one after another they took 20 s. */
    @Override
    public void close() throws Exception {
        List<RedisTestServer> all = new ArrayList<>(sentinels);
        all.addAll(servers);
        List<Exception> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> stopping = new ArrayList<>();
        for (RedisTestServer s : all) {
            Thread t = new Thread(() -> {
                try {
                    s.close();
                } catch (Exception e) {
                    failures.add(e);
                }
            }, "stop redis " + s.clientPort());
            t.start();
            stopping.add(t);
        }
        for (Thread t : stopping) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }
}
