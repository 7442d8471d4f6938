// Owned: created by cargo-flink-connector, yours to edit; `cargo flink-connector generate` never rewrites it.
package org.example.flink.connector.redis;

import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.example.flink.connector.redis.resp.RespCluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.example.flink.connector.redis.RedisTestEnvironment.collectSorted;
import static org.example.flink.connector.redis.RedisTestTables.str;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SQL on a real Redis Cluster (3 masters, 3 replicas) and a real Sentinel group (3 Sentinels over a
 * master and a replica): the example's statements — writes with TTL, a lookup join, a scan — and a
 * failover in the middle of a writing job after which every row is in Redis (cluster: a manual
 * failover, then a master process stopped by its PID; Sentinel: the master stopped), and in the
 * cluster rows of a slot in the middle of a live migration, written through ASK.
 */
class RedisDeploymentITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = RedisTestEnvironment.miniCluster();

    @Test
    void clusterRoutesBySlotAndFollowsAFailoverWithoutLosingRows() throws Exception {
        try (RedisTestDeployment cluster = RedisTestDeployment.cluster()) {
            RedisTestServer any = cluster.servers.get(0);
            // CRC16 with hash tags, as the server computes it
            for (String key : Arrays.asList("a", "user:1000", "{user1000}.following", "foo{}{bar}", "foo{" + "{bar}" + "}zap", "{}x", "héllo", "")) {
                assertThat(RespCluster.slot(key.getBytes(StandardCharsets.UTF_8))).as(key).isEqualTo((long) (Long) any.call("CLUSTER", "KEYSLOT", key));
            }
            String with = "'connector'='redis','mode'='cluster','cluster.nodes'='" + cluster.seeds() + "','password'='123456'";
            checkExampleStatements(with, cluster);
            // the scan has one split per master, so all three hold keys
            for (RedisTestServer m : cluster.masters()) {
                assertThat((Long) m.call("DBSIZE") > 0).as("keys on master " + m.port).isTrue();
            }
            checkAskDuringSlotMigration(with, cluster);

            // a manual failover (CLUSTER FAILOVER on a replica) while a job writes 4000 rows
            cluster.flushAll();
            RedisTestServer replica = cluster.replica();
            TableResult job = startSlowWrite(with, "cluster");
            awaitKeys(cluster, 800);
            replica.call("CLUSTER", "FAILOVER");
            RedisTestDeployment.awaitInfo(replica, "replication", "role:master");
            job.await(3, TimeUnit.MINUTES);
            cluster.awaitClusterOk();
            assertThat(cluster.keys()).as("rows in the cluster after the failover").isEqualTo(4000L);

            // a master process stopped (by the PID this test started it with) while a job writes 4000 rows:
            // its replica is promoted after cluster-node-timeout, the writer retries on the new slot map
            cluster.flushAll();
            TableResult second = startSlowWrite(with, "cluster_kill");
            awaitKeys(cluster, 800);
            RedisTestServer victim = null;
            for (RedisTestServer m : cluster.masters()) {
                if (RedisTestDeployment.info(m, "replication").contains("connected_slaves:1")) {
                    victim = m;
                }
            }
            assertThat(victim != null).as("a master with a replica").isTrue();
            victim.stop();
            second.await(3, TimeUnit.MINUTES); // every row acknowledged: the replica took over the stopped master's slots
            assertThat(cluster.keys()).as("rows in the cluster after a master was stopped").isEqualTo(4000L);
        }
    }

    @Test
    void sentinelFindsTheMasterAndFollowsAFailoverWithoutLosingRows() throws Exception {
        try (RedisTestDeployment group = RedisTestDeployment.sentinel()) {
            String with = "'connector'='redis','mode'='sentinel','sentinel.nodes'='" + group.seeds()
                    + "','sentinel.master'='" + RedisTestDeployment.MASTER_NAME + "','sentinel.password'='"
                    + RedisTestServer.SENTINEL_PASSWORD + "','password'='123456'";
            checkExampleStatements(with, group);

            // the master is stopped while a job writes 4000 rows: the Sentinels promote the replica
            group.flushAll();
            RedisTestServer master = group.masters().get(0);
            RedisTestServer replica = group.replica();
            TableResult job = startSlowWrite(with, "sentinel");
            awaitKeys(group, 800);
            master.stop();
            job.await(3, TimeUnit.MINUTES);
            assertThat(group.masters()).as("the replica was promoted").isEqualTo(Arrays.asList(replica));
            assertThat((Long) replica.call("DBSIZE")).as("rows on the new master").isEqualTo(4000L);
        }
    }

    /** The example's writes with TTL, a lookup join (sync and async) and a scan, on {@code with}. */
    private static void checkExampleStatements(String with, RedisTestDeployment deployment) throws Exception {
        TableEnvironment tEnv = RedisTestEnvironment.tableEnvironment();
        tEnv.executeSql("CREATE TABLE redis_dim (sex STRING, `desc` STRING) WITH (" + with + ")");
        tEnv.executeSql("CREATE TABLE redis_dim_async (sex STRING, `desc` STRING) WITH (" + with + ",'lookup.async'='true')");
        tEnv.executeSql("CREATE TABLE redis (id STRING, name STRING, sex STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                + with + ",'ttl'='3600')"); // long: a busy machine must not expire the rows mid-test
        tEnv.executeSql("CREATE TABLE gen (id BIGINT) WITH ('connector'='datagen','number-of-rows'='300',"
                + "'fields.id.kind'='sequence','fields.id.start'='1','fields.id.end'='300')");
        StatementSet inserts = tEnv.createStatementSet();
        inserts.addInsertSql("INSERT INTO redis SELECT CAST(id AS STRING), CONCAT('n', CAST(id AS STRING)),"
                + " CASE WHEN MOD(id, 2) = 0 THEN 'male' ELSE 'female' END FROM gen");
        inserts.addInsertSql("INSERT INTO redis_dim (sex, `desc`) VALUES ('female','Woman'), ('male','Man')");
        inserts.execute().await(2, TimeUnit.MINUTES);
        assertThat(deployment.keys()).isEqualTo(302L);
        RedisTestServer owner = deployment.ownerOf("7");
        long ttl = (Long) owner.call("TTL", "7");
        assertThat(ttl > 3000 && ttl <= 3600).as("TTL " + ttl).isTrue();
        List<String> joined = collectSorted(tEnv.executeSql(
                "SELECT r.id, d.`desc`, a.`desc` FROM (SELECT *, PROCTIME() AS pt FROM redis) AS r\n"
                        + "JOIN redis_dim FOR SYSTEM_TIME AS OF r.pt AS d ON r.sex = d.sex\n"
                        + "JOIN redis_dim_async FOR SYSTEM_TIME AS OF r.pt AS a ON r.sex = a.sex"));
        assertThat(joined.size()).isEqualTo(300);
        assertThat(joined.contains("+I[7, Woman, Woman]") && joined.contains("+I[8, Man, Man]")).as(joined.toString()).isTrue();
        Set<String> ids = new HashSet<>();
        for (String row : collectSorted(tEnv.executeSql("SELECT id FROM redis"))) {
            ids.add(row);
        }
        assertThat(ids.size()).as("scanned rows").isEqualTo(300);
    }

    /**
     * A live slot migration (CLUSTER SETSLOT IMPORTING/MIGRATING + MIGRATE, as redis-cli --cluster
     * reshard does it): a key already moved and a new key of the migrating slot are answered with
     * ASK by the old owner, and the sink writes both on the importing master (ASKING + the command).
     */
    private static void checkAskDuringSlotMigration(String with, RedisTestDeployment cluster) throws Exception {
        int slot = RespCluster.slot("{ask}".getBytes(StandardCharsets.UTF_8));
        TableEnvironment tEnv = RedisTestEnvironment.tableEnvironment();
        tEnv.executeSql("CREATE TABLE migrating (id STRING, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH (" + with
                + ",'value.layout'='string')");
        tEnv.executeSql("INSERT INTO migrating VALUES ('{ask}1', 'before')").await(2, TimeUnit.MINUTES);
        RedisTestServer source = cluster.ownerOf("{ask}1");
        RedisTestServer target = null;
        for (RedisTestServer m : cluster.masters()) {
            if (m != source) {
                target = m;
            }
        }
        RedisTestDeployment.startSlotMigration(slot, source, target);
        source.call("MIGRATE", "127.0.0.1", String.valueOf(target.port), "", "0", "5000", "AUTH", RedisTestServer.PASSWORD,
                "KEYS", "{ask}1");
        long asking = target.commandCalls("asking");
        tEnv.executeSql("INSERT INTO migrating VALUES ('{ask}1', 'after'), ('{ask}2', 'new')").await(2, TimeUnit.MINUTES);
        assertThat(target.commandCalls("asking") >= asking + 2).as("ASKING before each write on the importing master").isTrue();
        cluster.finishSlotMigration(slot, target);
        assertThat(str(target.call("GET", "{ask}1"))).isEqualTo("after");
        assertThat(str(target.call("GET", "{ask}2"))).isEqualTo("new");
        assertThat(source.call("CLUSTER", "COUNTKEYSINSLOT", slot)).as("keys of the slot left on the old owner").isEqualTo(0L);
    }

    /** INSERT of 4000 rows at 1000 rows/s, checkpoints every 500 ms, retries enough to ride out a failover. */
    private static TableResult startSlowWrite(String with, String name) {
        TableEnvironment tEnv = RedisTestEnvironment.tableEnvironment(1);
        tEnv.getConfig().getConfiguration().setString("restart-strategy.type", "none");
        tEnv.getConfig().getConfiguration().setString("execution.checkpointing.interval", "500 ms");
        tEnv.executeSql("CREATE TABLE sink_" + name + " (id BIGINT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH (" + with
                + ",'sink.buffer-flush.max-rows'='50','sink.buffer-flush.interval'='100 ms','sink.max-retries'='12',"
                + "'connect.timeout'='1 s','key.prefix'='row:')");
        tEnv.executeSql("CREATE TABLE slow_gen (id BIGINT, v STRING) WITH ('connector'='datagen',"
                + "'rows-per-second'='1000','fields.id.kind'='sequence','fields.id.start'='1',"
                + "'fields.id.end'='4000','fields.v.length'='4')");
        return tEnv.executeSql("INSERT INTO sink_" + name + " SELECT id, v FROM slow_gen");
    }

    private static void awaitKeys(RedisTestDeployment deployment, long atLeast) throws Exception {
        RedisTestDeployment.awaitTrue(() -> deployment.keys() >= atLeast, atLeast + " keys written");
    }
}
