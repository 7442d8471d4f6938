import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.connectors.redis.RedisSink;
import org.apache.flink.streaming.connectors.redis.common.config.FlinkJedisPoolConfig;
import org.apache.flink.streaming.connectors.redis.common.mapper.RedisCommand;
import org.apache.flink.streaming.connectors.redis.common.mapper.RedisCommandDescription;
import org.apache.flink.streaming.connectors.redis.common.mapper.RedisMapper;

/**
 * Apache Bahir's RedisSink 1.1.0 (DataStream SinkFunction, Jedis, one SET per record) for
 * bench/redis/peers.sh, measured like RedisBench: rows / the job's net runtime, and the steady-state
 * rate the server saw.
 * Usage: BahirBench PORT PASSWORD ROWS [PARALLELISM]
 */
public class BahirBench {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String password = args[1];
        long rows = Long.parseLong(args[2]);
        int parallelism = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        String what = "bahir sink, RedisCommand.SET (DataStream RedisSink)";
        FlinkJedisPoolConfig config =
                new FlinkJedisPoolConfig.Builder().setHost("127.0.0.1").setPort(port).setPassword(password).build();
        RedisBench.monitored = "127.0.0.1:" + port;
        RedisBench.monitorPassword = password;
        int runs = Integer.getInteger("runs", 3);
        long best = Long.MAX_VALUE;
        double bestServer = 0;
        for (int i = 0; i < runs; i++) {
            RedisBench.Monitor monitor = new RedisBench.Monitor();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(Configuration.fromMap(RedisBench.loopback()));
            env.setParallelism(parallelism);
            env.fromSequence(1, rows).addSink(new RedisSink<>(config, new SetMapper()));
            long millis = env.execute("bahir").getNetRuntime();
            bestServer = Math.max(bestServer, monitor.stop());
            best = Math.min(best, millis);
        }
        RedisBench.report(what, rows, best);
        RedisBench.reportServer(what, bestServer);
    }

    /** SET "b:" + n n. */
    static final class SetMapper implements RedisMapper<Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public RedisCommandDescription getCommandDescription() {
            return new RedisCommandDescription(RedisCommand.SET);
        }

        @Override
        public String getKeyFromData(Long n) {
            return "b:" + n;
        }

        @Override
        public String getValueFromData(Long n) {
            return String.valueOf(n);
        }
    }
}
