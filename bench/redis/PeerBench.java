/**
 * jeff-zou/flink-connector-redis' figures for bench/redis/peers.sh, measured like RedisBench (rows /
 * the job's net runtime, and the steady-state rate the server saw): SQL 'connector'='redis' (Lettuce), compiled from its sources on Flink
 * 1.17. It runs in its
 * own JVM: both register the factory identifier 'redis', and jeff-zou's lookup needs the planner
 * jar instead of the planner loader. Bahir's sink is in BahirBench. Usage: PeerBench jeff PORT
 * PASSWORD ROWS [PARALLELISM]
 */
public class PeerBench {

    public static void main(String[] args) throws Exception {
        String peer = args[0];
        int port = Integer.parseInt(args[1]);
        String password = args[2];
        long rows = Long.parseLong(args[3]);
        int parallelism = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        RedisBench.monitored = "127.0.0.1:" + port;
        RedisBench.monitorPassword = password;
        String redis = "'connector'='redis','host'='127.0.0.1','port'='" + port + "','password'='" + password + "',"
                + "'redis-mode'='single'";
        String gen = "'connector'='datagen','rows-per-second'='1000000000','number-of-rows'='" + rows + "',"
                + "'fields.id.kind'='sequence','fields.id.start'='1','fields.id.end'='" + rows + "'";
        RedisBench.bench("jeff-zou sink, command=set (SET k v)", rows, parallelism,
                "CREATE TABLE src (id BIGINT) WITH (" + gen + ")",
                "CREATE TABLE kv (k STRING, v STRING) WITH (" + redis + ",'command'='set')",
                "INSERT INTO kv SELECT CONCAT('j:', CAST(id AS STRING)), CAST(id AS STRING) FROM src");
        String probe = "CREATE TABLE probe (id BIGINT, pt AS PROCTIME()) WITH (" + gen + ")";
        String bh = "CREATE TABLE bh (id BIGINT, v STRING) WITH ('connector'='blackhole')";
        RedisBench.bench("jeff-zou lookup, misses, async (GET of absent keys, no cache)", rows, parallelism,
                probe, bh,
                "CREATE TABLE dim (k STRING, v STRING) WITH (" + redis + ",'command'='get')",
                "INSERT INTO bh SELECT p.id, d.v FROM probe AS p LEFT JOIN dim FOR SYSTEM_TIME AS OF p.pt AS d"
                        + " ON CONCAT('absent:', CAST(p.id AS STRING)) = d.k");
        RedisBench.bench("jeff-zou lookup, hits, async (GET of present keys, no cache)", rows, parallelism,
                probe, bh,
                "CREATE TABLE dim (k STRING, v STRING) WITH (" + redis + ",'command'='get')",
                "INSERT INTO bh SELECT p.id, d.v FROM probe AS p LEFT JOIN dim FOR SYSTEM_TIME AS OF p.pt AS d"
                        + " ON CONCAT('j:', CAST(p.id AS STRING)) = d.k");
    }
}
