// Managed: generated from connector.toml by cargo-flink-connector; `cargo flink-connector generate` re-renders it (hand edits are merged).
package org.example.flink.connector.redis;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.fail;

/**
 * Test plumbing shared by the connector's tests: the embedded MiniCluster an ITCase registers once
 * per class (127.0.0.1 only), SQL {@link TableEnvironment}s that run on it, and helpers to read
 * results and check errors.
 */
public final class RedisTestEnvironment {

    /** Slots of the shared cluster: room for a parallelism-2 job and a second one beside it. */
    static final int SLOTS = 4;

    private RedisTestEnvironment() {}

    /**
     * The cluster of an ITCase class, as Apache's connectors register it:
     * {@code @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = miniCluster();}.
     * While it runs, {@link StreamExecutionEnvironment#getExecutionEnvironment()} submits to it.
     */
    public static MiniClusterExtension miniCluster() {
        return miniCluster(new Configuration());
    }

    /**
     * {@link #miniCluster()} with {@code extra} settings of the class's own (a metric reporter, say)
     * merged in; the 127.0.0.1 bindings win over any of {@code extra}'s.
     */
    public static MiniClusterExtension miniCluster(Configuration extra) {
        Map<String, String> loopback = new HashMap<>();
        loopback.put("rest.bind-address", "127.0.0.1");
        loopback.put("rest.address", "127.0.0.1");
        loopback.put("jobmanager.bind-host", "127.0.0.1");
        loopback.put("taskmanager.bind-host", "127.0.0.1");
        loopback.put("taskmanager.host", "127.0.0.1");
        Configuration configuration = new Configuration(extra);
        configuration.addAll(Configuration.fromMap(loopback));
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setConfiguration(configuration)
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(SLOTS)
                        .build());
    }

    /** A streaming TableEnvironment on the class's shared MiniCluster, parallelism 2. */
    public static TableEnvironment tableEnvironment() {
        return tableEnvironment(2);
    }

    public static TableEnvironment tableEnvironment(int parallelism) {
        return tableEnvironment(streamEnvironment(parallelism, new Configuration()));
    }

    /**
     * A StreamExecutionEnvironment on the class's shared MiniCluster whose jobs carry {@code job}:
     * settings of the job's own, such as {@code execution.checkpointing.interval} or a restart
     * strategy ({@code restart-strategy.type}), which each job may set differently on the one cluster.
     */
    public static StreamExecutionEnvironment streamEnvironment(int parallelism, Configuration job) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(job);
        if (!(env instanceof TestStreamEnvironment)) {
            // Else each job would start a cluster of its own, unbound to 127.0.0.1.
            throw new IllegalStateException(
                    "no shared MiniCluster: register miniCluster() in the test class (@RegisterExtension static final)");
        }
        env.setParallelism(parallelism);
        return env;
    }

    /** A streaming TableEnvironment on {@code env} (one of {@link #streamEnvironment}), to mix DataStreams and SQL. */
    public static StreamTableEnvironment tableEnvironment(StreamExecutionEnvironment env) {
        Map<String, String> settings = new HashMap<>();
        // Flink 2.3 refuses an INSERT whose upsert key differs from the sink's primary key
        // unless it says ON CONFLICT; the tests insert append-only rows, one per key. Earlier
        // lines ignore the key.
        settings.put("table.exec.sink.require-on-conflict", "false");
        return StreamTableEnvironment.create(
                env,
                EnvironmentSettings.newInstance()
                        .inStreamingMode()
                        .withConfiguration(Configuration.fromMap(settings))
                        .build());
    }

    /** Runs the query to its end and returns its rows as strings ({@code +I[1, a]}), sorted. */
    public static List<String> collectSorted(TableResult result) throws Exception {
        List<String> rows = new ArrayList<>();
        try (CloseableIterator<Row> iterator = result.collect()) {
            while (iterator.hasNext()) {
                rows.add(iterator.next().toString());
            }
        }
        Collections.sort(rows);
        return rows;
    }

    /**
     * Fails unless {@code error} (or a cause) is Flink's "Unsupported options" {@link
     * ValidationException} naming {@code key}.
     */
    public static void assertUnsupportedOption(Throwable error, String key) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (t instanceof ValidationException && message.contains("Unsupported options") && message.contains(key)) {
                return;
            }
        }
        fail("Expected an 'Unsupported options' ValidationException naming '" + key + "'", error);
    }

    /** Fails unless {@code error} or one of its causes has a message containing {@code text}. */
    public static void assertMessageContains(Throwable error, String text) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains(text)) {
                return;
            }
        }
        fail("Expected an error saying '" + text + "'", error);
    }
}
