// Owned: created by cargo-flink-connector, yours to edit; `cargo flink-connector generate` never rewrites it.
package org.example.flink.connector.redis;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.RowKind;
import org.example.flink.connector.redis.resp.RespCluster;
import org.example.flink.connector.redis.resp.RespException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.example.flink.connector.redis.RedisTestTables.config;
import static org.example.flink.connector.redis.RedisTestTables.open;
import static org.example.flink.connector.redis.RedisTestTables.row;
import static org.example.flink.connector.redis.RedisTestTables.s;
import static org.example.flink.connector.redis.RedisTestTables.scanAll;
import static org.example.flink.connector.redis.RedisTestTables.schema;
import static org.example.flink.connector.redis.RedisTestTables.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * TLS and ACL users in cluster and Sentinel mode: a Redis Cluster (3 masters, 3 replicas) and a
 * Sentinel group (3 Sentinels over a master and a replica) that speak only TLS — to clients, on the
 * cluster bus, for replication and between Sentinels — with a certificate for 127.0.0.1 that the
 * JDK verifies, host name included. The data nodes have ACL users besides the default one (whose
 * password differs), the Sentinels a user of their own: the client authenticates to each with the
 * credentials of its options. Each deployment is started once for the class; a replica takes
 * over in each (cluster: CLUSTER FAILOVER; Sentinel: the master stopped), and the client reaches it
 * over TLS.
 */
class RedisSecureDeploymentTest {

    private static final String APP_PASSWORD = "app-s3cret";
    private static final String WATCHER_PASSWORD = "watcher-s3cret";
    private static final String WRONG_PASSWORD = "wrong-pw-4711";
    private static final int ROWS = 300;

    private static RedisTestDeployment cluster;
    private static RedisTestDeployment sentinel;

    @BeforeAll
    static void startDeployments() throws Exception {
        cluster = RedisTestDeployment.cluster(RedisTestServer.Tls.IP);
        cluster.setUser("app", "on", ">" + APP_PASSWORD, "~*", "+@all");
        // denied CLUSTER SHARDS, the server answers NOPERM, as one before Redis 7 answers "unknown subcommand"
        cluster.setUser("legacy", "on", ">" + APP_PASSWORD, "~*", "+@all", "-cluster|shards");
        sentinel = RedisTestDeployment.sentinel(RedisTestServer.Tls.IP);
        sentinel.setUser("app", "on", ">" + APP_PASSWORD, "~*", "+@all");
        sentinel.setSentinelUser("watcher", "on", ">" + WATCHER_PASSWORD, "+@all");
    }

    @AfterAll
    static void stopDeployments() throws Exception {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (sentinel != null) {
                sentinel.close();
            }
        }
    }

    @BeforeEach
    void flush() throws Exception {
        cluster.flushAll();
        sentinel.flushAll();
    }

    private static final RedisSchema PAIR = schema(DataTypes.ROW(
            DataTypes.FIELD("k", DataTypes.STRING()), DataTypes.FIELD("v", DataTypes.STRING())));

    private static Configuration clusterOptions(String seeds, String user, String password) {
        return config("mode", "cluster", "cluster.nodes", seeds, "ssl", "true", "username", user, "password", password,
                "value.layout", "string", "connect.timeout", "5 s");
    }

    private static Configuration sentinelOptions(String sentinelPassword, String password) {
        return config("mode", "sentinel", "sentinel.nodes", sentinel.seeds(), "sentinel.master", RedisTestDeployment.MASTER_NAME,
                "sentinel.username", "watcher", "sentinel.password", sentinelPassword, "ssl", "true", "username", "app",
                "password", password, "value.layout", "string", "connect.timeout", "5 s");
    }

    @Test
    void clusterOverTlsReadsTheSlotMapRoutesAndFollowsMovedAndAFailover() throws Exception {
        long shards = cluster.commandCalls("cluster|shards");
        try (RedisClient client = open(PAIR, clusterOptions(cluster.seeds(), "app", APP_PASSWORD))) {
            assertThat(cluster.commandCalls("cluster|shards") > shards).as("the slot map came from CLUSTER SHARDS").isTrue();
            writeAndReadBack(client, cluster, 3);

            // the slot of a new key moves to another master (as redis-cli --cluster reshard does it):
            // the client's map is stale, the old owner answers MOVED, the client follows it
            String key = "moved";
            int slot = RespCluster.slot(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            RedisTestServer from = cluster.ownerOf(key);
            RedisTestServer to = null;
            for (RedisTestServer m : cluster.masters()) {
                if (m != from) {
                    to = m;
                }
            }
            RedisTestDeployment.startSlotMigration(slot, from, to);
            cluster.finishSlotMigration(slot, to); // the slot holds no key: nothing to MIGRATE
            long moved = from.errors("MOVED");
            client.write(java.util.Collections.<RowData>singletonList(row(RowKind.INSERT, s(key), s("here"))));
            assertThat(from.errors("MOVED") > moved).as("the old owner answered MOVED").isTrue();
            assertThat(str(to.call("GET", key))).isEqualTo("here");
            assertThat(value(client.lookup(new int[] {0}, GenericRowData.of(s(key))))).isEqualTo("here");

            // a replica takes over its master (CLUSTER FAILOVER): the client re-reads the map and reaches
            // the promoted node at the TLS port the cluster announces for it
            cluster.flushAll();
            RedisTestServer replica = cluster.replica();
            replica.call("CLUSTER", "FAILOVER");
            RedisTestDeployment.awaitInfo(replica, "replication", "role:master");
            RedisTestDeployment.awaitTrue(() -> cluster.masters().size() == 3, "the old master turned replica");
            cluster.awaitClusterOk();
            writeAndReadBack(client, cluster, 3);
            assertThat((Long) replica.call("DBSIZE") > 0).as("keys on the promoted replica").isTrue();
        }
        // the certificate names 127.0.0.1 only: the same node as 'localhost' fails the host name check
        String localhost = "localhost:" + cluster.servers.get(0).clientPort();
        RespException e = assertThatExceptionOfType(RespException.class).isThrownBy(() -> open(PAIR, clusterOptions(localhost, "app", APP_PASSWORD))).actual();
        assertThat(e.getMessage().contains(localhost) && e.getMessage().contains("SSLHandshakeException")).as(e.getMessage()).isTrue();
    }

    @Test
    void clusterUserDeniedClusterShardsReadsClusterSlots() throws Exception {
        long slots = cluster.commandCalls("cluster|slots");
        long denied = cluster.errors("NOPERM");
        try (RedisClient client = open(PAIR, clusterOptions(cluster.seeds(), "legacy", APP_PASSWORD))) {
            assertThat(cluster.errors("NOPERM") > denied).as("CLUSTER SHARDS was refused").isTrue();
            assertThat(cluster.commandCalls("cluster|slots") > slots).as("the slot map came from CLUSTER SLOTS").isTrue();
            writeAndReadBack(client, cluster, 3);
        }
    }

    @Test
    void clusterWrongPasswordNamesTheNodeAndTheUserButNotThePassword() throws Exception {
        RespException e = assertThatExceptionOfType(RespException.class).isThrownBy(() -> open(PAIR, clusterOptions(cluster.seeds(), "app", WRONG_PASSWORD))).actual();
        assertThat(e instanceof RespException.AuthenticationFailed).as("not retried: " + e).isTrue();
        String first = "127.0.0.1:" + cluster.servers.get(0).clientPort();
        assertThat(e.getMessage().contains("user 'app' at " + first) && e.getMessage().contains("'password'")).as(e.getMessage()).isTrue();
        assertThat(e.getMessage().contains(WRONG_PASSWORD)).as(e.getMessage()).isFalse();
    }

    @Test
    void sentinelOverTlsFindsTheMasterWithItsOwnCredentialsAndAfterAFailover() throws Exception {
        // the options name only the Sentinels, so the master's address came from one of them; the
        // Sentinels know only 'watcher', the data nodes only 'app': each is sent its own credentials
        try (RedisClient client = open(PAIR, sentinelOptions(WATCHER_PASSWORD, APP_PASSWORD))) {
            writeAndReadBack(client, sentinel, 1);

            // the master stopped: the Sentinels promote the replica, which they name at its TLS port
            RedisTestServer master = sentinel.masters().get(0);
            RedisTestServer replica = sentinel.replica();
            master.stop();
            RedisTestDeployment.awaitTrue(() -> {
                client.write(java.util.Collections.<RowData>singletonList(row(RowKind.INSERT, s("after"), s("failover"))));
                return true;
            }, "a write after the Sentinel failover");
            assertThat(str(replica.call("GET", "after"))).isEqualTo("failover");
            assertThat(value(client.lookup(new int[] {0}, GenericRowData.of(s("after"))))).isEqualTo("failover");
        }
    }

    @Test
    void sentinelWrongPasswordsNameTheirOptionsAndServers() throws Exception {
        RespException e = assertThatExceptionOfType(RespException.class).isThrownBy(() -> open(PAIR, sentinelOptions(WRONG_PASSWORD, APP_PASSWORD))).actual();
        assertThat(e instanceof RespException.AuthenticationFailed).as("not retried: " + e).isTrue();
        String first = "127.0.0.1:" + sentinel.sentinels.get(0).clientPort();
        assertThat(e.getMessage().contains("user 'watcher' at " + first) && e.getMessage().contains("'sentinel.password'")).as(e.getMessage()).isTrue();
        assertThat(e.getMessage().contains(WRONG_PASSWORD)).as(e.getMessage()).isFalse();

        e = assertThatExceptionOfType(RespException.class).isThrownBy(() -> open(PAIR, sentinelOptions(WATCHER_PASSWORD, WRONG_PASSWORD))).actual();
        assertThat(e instanceof RespException.AuthenticationFailed).as("not retried: " + e).isTrue();
        String master = "127.0.0.1:" + sentinel.masters().get(0).clientPort();
        assertThat(e.getMessage().contains("user 'app' at " + master) && e.getMessage().contains("'password'")
                && !e.getMessage().contains("sentinel."))
                .as(e.getMessage())
                .isTrue();
        assertThat(e.getMessage().contains(WRONG_PASSWORD)).as(e.getMessage()).isFalse();
    }

    /** Writes {@value #ROWS} strings, checks they are on {@code masters} masters, and reads some back by lookup (sync, async) and all by scan. */
    private static void writeAndReadBack(RedisClient client, RedisTestDeployment deployment, int masters) throws Exception {
        List<RowData> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            rows.add(row(RowKind.INSERT, s("k" + i), s("v" + i)));
        }
        client.write(rows);
        assertThat(deployment.masters().size()).isEqualTo(masters);
        for (RedisTestServer m : deployment.masters()) {
            assertThat((Long) m.call("DBSIZE") > 0).as("keys on master " + m.clientPort()).isTrue();
        }
        assertThat(deployment.keys()).isEqualTo((long) ROWS);
        int[] key = {0};
        for (int i : new int[] {0, ROWS / 2, ROWS - 1}) {
            assertThat(value(client.lookup(key, GenericRowData.of(s("k" + i))))).isEqualTo("v" + i);
            assertThat(value(client.lookupAsync(key, GenericRowData.of(s("k" + i))).get(30, TimeUnit.SECONDS))).isEqualTo("v" + i);
        }
        assertThat(client.listSplits().size()).as("a split per master").isEqualTo(masters);
        assertThat(scanAll(client).size()).as("scanned rows").isEqualTo(ROWS);
    }

    private static String value(Collection<RowData> rows) {
        assertThat(rows.size()).as("rows: " + rows).isEqualTo(1);
        return rows.iterator().next().getString(1).toString();
    }
}
