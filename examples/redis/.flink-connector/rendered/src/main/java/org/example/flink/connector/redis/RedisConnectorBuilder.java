// Managed: generated from connector.toml by cargo-flink-connector; `cargo flink-connector generate` re-renders it (hand edits are merged).
package org.example.flink.connector.redis;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.types.logical.RowType;

/**
 * What the DataStream builders ({@link RedisSource#builder()}, {@link RedisSink#builder()}) share:
 * the rows' type, the primary key and the connector's options, checked as the SQL factory checks
 * them (required options present, key fields known) when {@link #build()} is called.
 */
@PublicEvolving
public abstract class RedisConnectorBuilder<B extends RedisConnectorBuilder<B, T>, T> {

    private final Configuration options = new Configuration();
    private RowType rowType;
    private String[] primaryKey = new String[0];
    private String name = "redis";

    /** The rows' physical type (required), e.g. {@code (RowType) DataTypes.ROW(…).getLogicalType()}. */
    public B setRowType(RowType rowType) {
        this.rowType = rowType;
        return self();
    }

    /** The fields that identify a row: the sink's upsert key (the first field when none is set). */
    public B setPrimaryKey(String... fields) {
        this.primaryKey = fields.clone();
        return self();
    }

    /** A connector option: one of {@link RedisOptions}; unset ones keep their defaults. */
    public <V> B setOption(ConfigOption<V> option, V value) {
        options.set(option, value);
        return self();
    }

    /** The name in messages and logs (under SQL, the table's name). */
    public B setName(String name) {
        this.name = name;
        return self();
    }

    public abstract T build();

    /** The schema of the rows; fails on a missing row type or an unknown key field. */
    protected RedisSchema schema() {
        if (rowType == null) {
            throw new IllegalArgumentException("setRowType(…) is required: the fields the connector reads or writes");
        }
        int[] key = new int[primaryKey.length];
        for (int i = 0; i < key.length; i++) {
            key[i] = rowType.getFieldNames().indexOf(primaryKey[i]);
            if (key[i] < 0) {
                throw new IllegalArgumentException("Primary key field '" + primaryKey[i] + "' is not one of "
                        + rowType.getFieldNames());
            }
        }
        return new RedisSchema(name, rowType, key);
    }

    /** A copy of the options; fails when a required option is missing. */
    protected Configuration options() {
        return new Configuration(options);
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
