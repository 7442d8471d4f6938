import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * The peers' figures for bench/redis.sh, measured like RedisBench (rows / the job's net runtime):
 * jeff-zou/flink-connector-redis (SQL 'connector'='redis', Lettuce; compiled from its sources on
 * Flink 1.17) and Apache Bahir's RedisSink 1.1.0 (DataStream SinkFunction, Jedis). Each runs in its
 * own JVM: both register the factory identifier 'redis', and jeff-zou's lookup needs the planner
 * jar instead of the planner loader. Usage: PeerBench jeff|bahir PORT PASSWORD ROWS [PARALLELISM]
 */
public class PeerBench {

    public static void main(String[] args) throws Exception {
        String peer = args[0];
        int port = Integer.parseInt(args[1]);
        String password = args[2];
        long rows = Long.parseLong(args[3]);
        int parallelism = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        if (peer.equals("bahir")) {
            bahir(port, password, rows, parallelism);
            return;
        }
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

    /** Bahir's RedisSink (SET per record through Jedis), built by reflection so this file compiles without it. */
    private static void bahir(int port, String password, long rows, int parallelism) throws Exception {
        String what = "bahir sink, RedisCommand.SET (DataStream RedisSink)";
        if (!what.contains(System.getProperty("only", ""))) {
            return;
        }
        String pkg = "org.apache.flink.streaming.connectors.redis.";
        Class<?> builderClass = Class.forName(pkg + "common.config.FlinkJedisPoolConfig$Builder");
        Object builder = builderClass.getConstructor().newInstance();
        builderClass.getMethod("setHost", String.class).invoke(builder, "127.0.0.1");
        builderClass.getMethod("setPort", int.class).invoke(builder, port);
        builderClass.getMethod("setPassword", String.class).invoke(builder, password);
        Object config = builderClass.getMethod("build").invoke(builder);
        Class<?> mapperInterface = Class.forName(pkg + "common.mapper.RedisMapper");
        Object mapper = Proxy.newProxyInstance(PeerBench.class.getClassLoader(), new Class<?>[] {mapperInterface, java.io.Serializable.class},
                new BahirSetMapper());
        Class<?> configBase = Class.forName(pkg + "common.config.FlinkJedisConfigBase");
        Constructor<?> sinkConstructor = Class.forName(pkg + "RedisSink").getConstructor(configBase, mapperInterface);
        Object sink = sinkConstructor.newInstance(config, mapper);
        int runs = Integer.getInteger("runs", 3);
        long best = Long.MAX_VALUE;
        for (int i = 0; i < runs; i++) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                    org.apache.flink.configuration.Configuration.fromMap(loopback()));
            env.setParallelism(parallelism);
            @SuppressWarnings("unchecked")
            org.apache.flink.streaming.api.functions.sink.SinkFunction<Long> s =
                    (org.apache.flink.streaming.api.functions.sink.SinkFunction<Long>) sink;
            env.fromSequence(1, rows).addSink(s);
            long millis = env.execute("bahir").getNetRuntime();
            best = Math.min(best, millis);
            System.out.println("RUNS " + what + ": " + String.format("%.0f", rows * 1000.0 / Math.max(1, millis)) + " rows/s");
        }
        RedisBench.report(what, rows, best);
    }

    private static java.util.Map<String, String> loopback() {
        java.util.Map<String, String> m = new java.util.HashMap<>();
        m.put("rest.bind-address", "127.0.0.1");
        m.put("rest.address", "127.0.0.1");
        m.put("rest.bind-port", "0");
        m.put("jobmanager.bind-host", "127.0.0.1");
        m.put("taskmanager.bind-host", "127.0.0.1");
        m.put("taskmanager.host", "127.0.0.1");
        return m;
    }

    /** RedisMapper<Long>: SET "b:" + n n. */
    static final class BahirSetMapper implements java.lang.reflect.InvocationHandler, java.io.Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "getCommandDescription":
                    {
                        String pkg = "org.apache.flink.streaming.connectors.redis.common.mapper.";
                        Class<?> command = Class.forName(pkg + "RedisCommand");
                        Object set = command.getField("SET").get(null);
                        return Class.forName(pkg + "RedisCommandDescription").getConstructor(command).newInstance(set);
                    }
                case "getKeyFromData":
                    return "b:" + args[0];
                case "getValueFromData":
                    return String.valueOf(args[0]);
                case "getAdditionalKey":
                case "getAdditionalTTL":
                    return java.util.Optional.empty();
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                case "toString":
                    return "BahirSetMapper";
                default:
                    return null;
            }
        }
    }
}
