// Managed: generated from connector.toml by cargo-flink-connector; `cargo flink-connector generate` re-renders it (hand edits are merged).
package org.example.flink.connector.redis;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Test plumbing shared by the connector's tests: a SQL {@link TableEnvironment} whose embedded
 * MiniCluster listens on 127.0.0.1 only, and helpers to read results and check errors.
 */
public final class RedisTestEnvironment {

    private RedisTestEnvironment() {}

    /** A streaming TableEnvironment on an embedded MiniCluster bound to the loopback interface. */
    public static TableEnvironment tableEnvironment() {
        return tableEnvironment(2);
    }

    public static TableEnvironment tableEnvironment(int parallelism) {
        Map<String, String> settings = new HashMap<>();
        settings.put("rest.bind-address", "127.0.0.1");
        settings.put("rest.address", "127.0.0.1");
        settings.put("rest.bind-port", "0");
        settings.put("jobmanager.bind-host", "127.0.0.1");
        settings.put("taskmanager.bind-host", "127.0.0.1");
        settings.put("taskmanager.host", "127.0.0.1");
        settings.put("parallelism.default", String.valueOf(parallelism));
        // Flink 2.3 refuses an INSERT whose upsert key differs from the sink's primary key
        // unless it says ON CONFLICT; the tests insert append-only rows, one per key. Earlier
        // lines ignore the key.
        settings.put("table.exec.sink.require-on-conflict", "false");
        return TableEnvironment.create(
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
