// Managed: generated from connector.toml by cargo-flink-connector; `cargo flink-connector generate` re-renders it (hand edits are merged).
package org.example.flink.connector.redis;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.LookupTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.connector.source.SourceProvider;
import org.apache.flink.table.connector.source.lookup.AsyncLookupFunctionProvider;
import org.apache.flink.table.connector.source.lookup.LookupFunctionProvider;
import org.apache.flink.table.connector.source.lookup.LookupOptions;
import org.apache.flink.table.connector.source.lookup.PartialCachingAsyncLookupProvider;
import org.apache.flink.table.connector.source.lookup.PartialCachingLookupProvider;
import org.apache.flink.table.connector.source.lookup.cache.DefaultLookupCache;
import org.apache.flink.table.factories.FactoryUtil;

/**
 * The table source of the 'redis' connector:
 * a bounded FLIP-27 scan ({@link RedisSource}) and
 * lookups for lookup joins ({@code FOR SYSTEM_TIME AS OF}), synchronous or asynchronous
 * ({@code lookup.async}), optionally behind Flink's partial lookup cache ({@code lookup.cache}).
 */
@Internal
public class RedisDynamicTableSource implements DynamicTableSource, ScanTableSource, LookupTableSource {

    private final RedisSchema schema;
    private final Configuration options;

    public RedisDynamicTableSource(RedisSchema schema, Configuration options) {
        this.schema = schema;
        this.options = options;
    }

    @Override
    public ChangelogMode getChangelogMode() {
        return ChangelogMode.insertOnly();
    }

    @Override
    public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
        RedisSource source = new RedisSource(schema, options);
        return SourceProvider.of(source, options.getOptional(FactoryUtil.SOURCE_PARALLELISM).orElse(null));
    }

    @Override
    public LookupRuntimeProvider getLookupRuntimeProvider(LookupContext context) {
        int[] lookupKeys = flattenKeys(context.getKeys());
        RedisClient.validateLookupKeys(schema, lookupKeys);
        boolean async = options.get(RedisOptions.LOOKUP_ASYNC);
        LookupOptions.LookupCacheType cacheType = options.get(LookupOptions.CACHE_TYPE);
        switch (cacheType) {
            case PARTIAL:
                if (async) {
                    return PartialCachingAsyncLookupProvider.of(
                            new RedisAsyncLookupFunction(schema, options, lookupKeys),
                            DefaultLookupCache.fromConfig(options));
                }
                return PartialCachingLookupProvider.of(
                        new RedisLookupFunction(schema, options, lookupKeys),
                        DefaultLookupCache.fromConfig(options));
            case NONE:
                if (async) {
                    return AsyncLookupFunctionProvider.of(
                            new RedisAsyncLookupFunction(schema, options, lookupKeys));
                }
                return LookupFunctionProvider.of(new RedisLookupFunction(schema, options, lookupKeys));
            default:
                RedisDynamicTableFactory.validateLookupCache(options);
                throw new ValidationException("Unsupported '" + LookupOptions.CACHE_TYPE.key() + "': " + cacheType);
        }
    }

    /** Lookup keys as top-level field indexes; nested fields cannot be looked up. */
    private int[] flattenKeys(int[][] keys) {
        int[] flat = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].length != 1) {
                throw new ValidationException(
                        "The 'redis' connector cannot look up nested fields (table "
                                + schema.tableName() + ")");
            }
            flat[i] = keys[i][0];
        }
        return flat;
    }

    @Override
    public DynamicTableSource copy() {
        return new RedisDynamicTableSource(schema, options);
    }

    @Override
    public String asSummaryString() {
        return "Redis";
    }
}
