// Managed: generated from connector.toml by cargo-flink-connector; `cargo flink-connector generate` re-renders it (hand edits are merged).
package org.example.flink.connector.redis;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.lookup.LookupOptions;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;

import java.util.HashSet;
import java.util.Set;

/**
 * The factory Flink discovers (META-INF/services) for {@code 'connector' = 'redis'}.
 *
 * <p>It validates the table's options ({@code helper.validate()} rejects unknown keys) and hands
 * the runtime classes a serializable copy of them plus the table's {@link RedisSchema}.
 */
@Internal
public class RedisDynamicTableFactory implements DynamicTableSourceFactory, DynamicTableSinkFactory {

    @Override
    public String factoryIdentifier() {
        return "redis";
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        Set<ConfigOption<?>> options = new HashSet<>();
        return options;
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> options = new HashSet<>();
        options.add(RedisOptions.MODE);
        options.add(RedisOptions.CLUSTER_NODES);
        options.add(RedisOptions.SENTINEL_NODES);
        options.add(RedisOptions.SENTINEL_MASTER);
        options.add(RedisOptions.SENTINEL_USERNAME);
        options.add(RedisOptions.SENTINEL_PASSWORD);
        options.add(RedisOptions.HOSTNAME);
        options.add(RedisOptions.PORT);
        options.add(RedisOptions.USERNAME);
        options.add(RedisOptions.PASSWORD);
        options.add(RedisOptions.DATABASE);
        options.add(RedisOptions.SSL);
        options.add(RedisOptions.CONNECT_TIMEOUT);
        options.add(RedisOptions.READ_TIMEOUT);
        options.add(RedisOptions.VALUE_LAYOUT);
        options.add(RedisOptions.SINK_WRITE_MODE);
        options.add(RedisOptions.HASH_FIELD_COLUMN);
        options.add(RedisOptions.ZSET_SCORE_COLUMN);
        options.add(RedisOptions.LIST_PUSH_SIDE);
        options.add(RedisOptions.KEY_PREFIX);
        options.add(RedisOptions.KEY_SEPARATOR);
        options.add(RedisOptions.TTL);
        options.add(RedisOptions.TTL_COLUMN);
        options.add(RedisOptions.TTL_MODE);
        options.add(RedisOptions.SCAN_KEY_PATTERN);
        options.add(RedisOptions.SCAN_COUNT);
        options.add(RedisOptions.SINK_BUFFER_FLUSH_MAX_ROWS);
        options.add(RedisOptions.SINK_BUFFER_FLUSH_INTERVAL);
        options.add(RedisOptions.SINK_MAX_RETRIES);
        options.add(RedisOptions.LOOKUP_ASYNC);
        options.add(RedisOptions.SINK_DELIVERY_GUARANTEE);
        options.add(FactoryUtil.SINK_PARALLELISM);
        options.add(FactoryUtil.SOURCE_PARALLELISM);
        options.add(LookupOptions.CACHE_TYPE);
        options.add(LookupOptions.PARTIAL_CACHE_EXPIRE_AFTER_ACCESS);
        options.add(LookupOptions.PARTIAL_CACHE_EXPIRE_AFTER_WRITE);
        options.add(LookupOptions.PARTIAL_CACHE_CACHE_MISSING_KEY);
        options.add(LookupOptions.PARTIAL_CACHE_MAX_ROWS);
        options.add(LookupOptions.MAX_RETRIES);
        return options;
    }

    @Override
    public DynamicTableSource createDynamicTableSource(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validate();
        Configuration options = tableOptions(context);
        validateLookupCache(options);
        return new RedisDynamicTableSource(validatedSchema(context, options), options);
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validate();
        Configuration options = tableOptions(context);
        return new RedisDynamicTableSink(validatedSchema(context, options), options);
    }

    /**
     * The table's schema, after the client has seen it: {@link RedisClient}'s constructor
     * checks options and column types without I/O, so a bad table fails at CREATE/planning time
     * with a ValidationException instead of as a task failure at run time.
     */
    private static RedisSchema validatedSchema(Context context, Configuration options) {
        RedisSchema schema = RedisSchema.from(context);
        new RedisClient(schema, options);
        return schema;
    }

    /** A serializable copy of the table's WITH options (keys as written, including 'connector'). */
    private static Configuration tableOptions(Context context) {
        return Configuration.fromMap(context.getCatalogTable().getOptions());
    }

    static void validateLookupCache(Configuration options) {
        if (options.get(LookupOptions.CACHE_TYPE) == LookupOptions.LookupCacheType.FULL) {
            throw new ValidationException(
                    "'" + LookupOptions.CACHE_TYPE.key() + "' = 'FULL' is not supported by the "
                            + "'redis' connector; use 'PARTIAL' (with "
                            + "'" + LookupOptions.PARTIAL_CACHE_MAX_ROWS.key() + "' or an expiry) or 'NONE'.");
        }
    }
}
