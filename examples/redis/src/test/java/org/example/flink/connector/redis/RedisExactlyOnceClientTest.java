// Owned: created by cargo-flink-connector, yours to edit; `cargo flink-connector generate` never rewrites it.
package org.example.flink.connector.redis;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.example.flink.connector.redis.RedisTestTables.open;
import static org.example.flink.connector.redis.RedisTestTables.options;
import static org.example.flink.connector.redis.RedisTestTables.schema;
import static org.example.flink.connector.redis.RedisTestTables.str;
import static org.assertj.core.api.Assertions.assertThat;

/** The exactly-once commit of {@link RedisClient} on a real server, without Flink around it. */
class RedisExactlyOnceClientTest {

    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    /**
     * 5000 INCRBY rows staged as 500 batches of 10 (one pipeline of scripts well over the client's
     * 32 KB send chunk): a commit applies each once, the same commit again (a replay after a
     * restore) applies none, and the counters hold the rows' sum.
     */
    @Test
    void aCommitAppliesEachBatchOnceAndItsReplayNone() throws Exception {
        RedisSchema schema = schema(DataTypes.ROW(DataTypes.FIELD("k", DataTypes.STRING()), DataTypes.FIELD("v", DataTypes.BIGINT())));
        try (RedisClient client = open(schema, options(redis.clientPort(), "value.layout", "string", "sink.write-mode", "increment"))) {
            RedisClient.Batch batch = RedisClient.Batch.staged();
            for (int i = 0; i < 5000; i++) {
                client.add(batch, GenericRowData.of(StringData.fromString("c" + (i % 7)), 1L));
            }
            List<RedisClient.Staged> staged = client.stage(batch, "test", 10);
            assertThat(staged).as("batches of at most 10 rows").hasSize(500);
            assertThat(redis.call("EXISTS", "c0")).as("staging sends nothing").isEqualTo(0L);
            assertThat(client.commit(staged)).as("batches applied by the commit").isEqualTo(500);
            assertThat(client.commit(staged)).as("batches applied again by a replayed commit").isEqualTo(0);
            long sum = 0;
            for (int k = 0; k < 7; k++) {
                sum += Long.parseLong(str(redis.call("GET", "c" + k)));
            }
            assertThat(sum).as("the counters hold each row once").isEqualTo(5000L);
        }
    }
}
