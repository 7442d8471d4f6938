// Managed: generated from connector.toml by cargo-flink-connector; `cargo flink-connector generate` re-renders it (hand edits are merged).
package org.example.flink.connector.redis;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;

/**
 * The options of the 'redis' connector, one constant per option in connector.toml.
 *
 * <p>Flink's own options (sink.parallelism, scan.parallelism, lookup.*) are added by
 * {@link RedisDynamicTableFactory}.
 */
@PublicEvolving
public final class RedisOptions {

    /** Deployment: 'standalone' (hostname/port), 'sentinel' (the master named 'sentinel.master', found through 'sentinel.nodes') or 'cluster' (Redis Cluster, seeds 'cluster.nodes'). */
    public static final ConfigOption<String> MODE =
            ConfigOptions.key("mode")
                    .stringType()
                    .defaultValue("standalone")
                    .withDescription("Deployment: 'standalone' (hostname/port), 'sentinel' (the master named 'sentinel.master', found through 'sentinel.nodes') or 'cluster' (Redis Cluster, seeds 'cluster.nodes').");

    /** mode 'cluster': seed nodes as host:port[,host:port...]; the slot map is read from the first that answers. */
    public static final ConfigOption<String> CLUSTER_NODES =
            ConfigOptions.key("cluster.nodes")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("mode 'cluster': seed nodes as host:port[,host:port...]; the slot map is read from the first that answers.");

    /** mode 'sentinel': the Sentinels as host:port[,host:port...]. */
    public static final ConfigOption<String> SENTINEL_NODES =
            ConfigOptions.key("sentinel.nodes")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("mode 'sentinel': the Sentinels as host:port[,host:port...].");

    /** mode 'sentinel': the master name the Sentinels monitor (SENTINEL GET-MASTER-ADDR-BY-NAME). */
    public static final ConfigOption<String> SENTINEL_MASTER =
            ConfigOptions.key("sentinel.master")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("mode 'sentinel': the master name the Sentinels monitor (SENTINEL GET-MASTER-ADDR-BY-NAME).");

    /** mode 'sentinel': ACL user for the Sentinels. Unset: AUTH with 'sentinel.password' only. */
    public static final ConfigOption<String> SENTINEL_USERNAME =
            ConfigOptions.key("sentinel.username")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("mode 'sentinel': ACL user for the Sentinels. Unset: AUTH with 'sentinel.password' only.");

    /** mode 'sentinel': password of the Sentinels (their own requirepass). Unset: no AUTH to Sentinels. (sensitive: never logged) */
    public static final ConfigOption<String> SENTINEL_PASSWORD =
            ConfigOptions.key("sentinel.password")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("mode 'sentinel': password of the Sentinels (their own requirepass). Unset: no AUTH to Sentinels.");

    /** Redis server host name or address. */
    public static final ConfigOption<String> HOSTNAME =
            ConfigOptions.key("hostname")
                    .stringType()
                    .defaultValue("localhost")
                    .withDescription("Redis server host name or address.");

    /** Redis server port. */
    public static final ConfigOption<Integer> PORT =
            ConfigOptions.key("port")
                    .intType()
                    .defaultValue(6379)
                    .withDescription("Redis server port.");

    /** ACL user name (Redis 6+) of the data nodes in every mode (Sentinels: 'sentinel.username'): AUTH username password. Unset: AUTH password, i.e. the 'default' user. */
    public static final ConfigOption<String> USERNAME =
            ConfigOptions.key("username")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("ACL user name (Redis 6+) of the data nodes in every mode (Sentinels: 'sentinel.username'): AUTH username password. Unset: AUTH password, i.e. the 'default' user.");

    /** Password sent with AUTH. Unset: no AUTH. Never logged nor put into exception messages. (sensitive: never logged) */
    public static final ConfigOption<String> PASSWORD =
            ConfigOptions.key("password")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Password sent with AUTH. Unset: no AUTH. Never logged nor put into exception messages.");

    /** Database number selected with SELECT after connecting. */
    public static final ConfigOption<Integer> DATABASE =
            ConfigOptions.key("database")
                    .intType()
                    .defaultValue(0)
                    .withDescription("Database number selected with SELECT after connecting.");

    /** Connect with TLS through the JDK (SSLSocketFactory, host name verified; trust store from javax.net.ssl.* system properties), in every mode: the server, the Sentinels and their master, or every cluster node. */
    public static final ConfigOption<Boolean> SSL =
            ConfigOptions.key("ssl")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription("Connect with TLS through the JDK (SSLSocketFactory, host name verified; trust store from javax.net.ssl.* system properties), in every mode: the server, the Sentinels and their master, or every cluster node.");

    /** Timeout for establishing the TCP (and TLS) connection. */
    public static final ConfigOption<Duration> CONNECT_TIMEOUT =
            ConfigOptions.key("connect.timeout")
                    .durationType()
                    .defaultValue(Duration.ofMillis(10000L))
                    .withDescription("Timeout for establishing the TCP (and TLS) connection.");

    /** Timeout waiting for a reply; 0 waits forever. */
    public static final ConfigOption<Duration> READ_TIMEOUT =
            ConfigOptions.key("read.timeout")
                    .durationType()
                    .defaultValue(Duration.ofMillis(10000L))
                    .withDescription("Timeout waiting for a reply; 0 waits forever.");

    /** The Redis type a row is written as: 'hash' (a field per value column, or one field per row with 'hash.field-column'), 'string' (SET), 'list' (RPUSH/LPUSH), 'set' (SADD/SREM), 'zset' (ZADD/ZREM with 'zset.score-column') or 'pubsub' (PUBLISH). See docs/REDIS.md. */
    public static final ConfigOption<String> VALUE_LAYOUT =
            ConfigOptions.key("value.layout")
                    .stringType()
                    .defaultValue("hash")
                    .withDescription("The Redis type a row is written as: 'hash' (a field per value column, or one field per row with 'hash.field-column'), 'string' (SET), 'list' (RPUSH/LPUSH), 'set' (SADD/SREM), 'zset' (ZADD/ZREM with 'zset.score-column') or 'pubsub' (PUBLISH). See docs/REDIS.md.");

    /** 'upsert' writes values; 'increment' adds numbers (INCRBY/INCRBYFLOAT for string, HINCRBY/HINCRBYFLOAT for hash, ZINCRBY for zset) and a DELETE subtracts them. */
    public static final ConfigOption<String> SINK_WRITE_MODE =
            ConfigOptions.key("sink.write-mode")
                    .stringType()
                    .defaultValue("upsert")
                    .withDescription("'upsert' writes values; 'increment' adds numbers (INCRBY/INCRBYFLOAT for string, HINCRBY/HINCRBYFLOAT for hash, ZINCRBY for zset) and a DELETE subtracts them.");

    /** value.layout 'hash': the column whose value is the hash field name; the row's value column is the field's value (HSET key field value, DELETE = HDEL). */
    public static final ConfigOption<String> HASH_FIELD_COLUMN =
            ConfigOptions.key("hash.field-column")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("value.layout 'hash': the column whose value is the hash field name; the row's value column is the field's value (HSET key field value, DELETE = HDEL).");

    /** value.layout 'zset': the numeric column holding the member's score. */
    public static final ConfigOption<String> ZSET_SCORE_COLUMN =
            ConfigOptions.key("zset.score-column")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("value.layout 'zset': the numeric column holding the member's score.");

    /** value.layout 'list': 'right' appends (RPUSH), 'left' prepends (LPUSH). */
    public static final ConfigOption<String> LIST_PUSH_SIDE =
            ConfigOptions.key("list.push-side")
                    .stringType()
                    .defaultValue("right")
                    .withDescription("value.layout 'list': 'right' appends (RPUSH), 'left' prepends (LPUSH).");

    /** Prefix of every key of the table (e.g. 'user:'); the key columns follow it. */
    public static final ConfigOption<String> KEY_PREFIX =
            ConfigOptions.key("key.prefix")
                    .stringType()
                    .defaultValue("")
                    .withDescription("Prefix of every key of the table (e.g. 'user:'); the key columns follow it.");

    /** Separator between the columns of a composite key. */
    public static final ConfigOption<String> KEY_SEPARATOR =
            ConfigOptions.key("key.separator")
                    .stringType()
                    .defaultValue(":")
                    .withDescription("Separator between the columns of a composite key.");

    /** Expiry of written keys in seconds (SET ... EX / EXPIRE); 0 = keys do not expire. */
    public static final ConfigOption<Integer> TTL =
            ConfigOptions.key("ttl")
                    .intType()
                    .defaultValue(0)
                    .withDescription("Expiry of written keys in seconds (SET ... EX / EXPIRE); 0 = keys do not expire.");

    /** An integer column holding each row's TTL in seconds (NULL or &lt;= 0: the table's 'ttl'); it is not stored. */
    public static final ConfigOption<String> TTL_COLUMN =
            ConfigOptions.key("ttl.column")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("An integer column holding each row's TTL in seconds (NULL or <= 0: the table's 'ttl'); it is not stored.");

    /** 'refresh' sets the TTL on every write; 'on-create' only when the key has none yet (EXPIRE ... NX, Redis 7+), so later writes do not extend it. */
    public static final ConfigOption<String> TTL_MODE =
            ConfigOptions.key("ttl.mode")
                    .stringType()
                    .defaultValue("refresh")
                    .withDescription("'refresh' sets the TTL on every write; 'on-create' only when the key has none yet (EXPIRE ... NX, Redis 7+), so later writes do not extend it.");

    /** MATCH pattern of the scan's SCAN commands. Unset: the escaped key.prefix followed by '*'. */
    public static final ConfigOption<String> SCAN_KEY_PATTERN =
            ConfigOptions.key("scan.key-pattern")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("MATCH pattern of the scan's SCAN commands. Unset: the escaped key.prefix followed by '*'.");

    /** COUNT hint of each SCAN command: keys read per round trip. */
    public static final ConfigOption<Integer> SCAN_COUNT =
            ConfigOptions.key("scan.count")
                    .intType()
                    .defaultValue(1000)
                    .withDescription("COUNT hint of each SCAN command: keys read per round trip.");

    /** Rows buffered before the sink writes them in one pipeline. */
    public static final ConfigOption<Integer> SINK_BUFFER_FLUSH_MAX_ROWS =
            ConfigOptions.key("sink.buffer-flush.max-rows")
                    .intType()
                    .defaultValue(2000)
                    .withDescription("Rows buffered before the sink writes them in one pipeline.");

    /** Longest time a row stays buffered before it is written; 0 disables timed flushes. */
    public static final ConfigOption<Duration> SINK_BUFFER_FLUSH_INTERVAL =
            ConfigOptions.key("sink.buffer-flush.interval")
                    .durationType()
                    .defaultValue(Duration.ofMillis(1000L))
                    .withDescription("Longest time a row stays buffered before it is written; 0 disables timed flushes.");

    /** Retries of a failed pipeline write (the client reconnects before each); then the job fails. */
    public static final ConfigOption<Integer> SINK_MAX_RETRIES =
            ConfigOptions.key("sink.max-retries")
                    .intType()
                    .defaultValue(3)
                    .withDescription("Retries of a failed pipeline write (the client reconnects before each); then the job fails.");

    /** Look up asynchronously: many GET/HMGET in flight on one pipelined connection. */
    public static final ConfigOption<Boolean> LOOKUP_ASYNC =
            ConfigOptions.key("lookup.async")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription("Look up asynchronously: many GET/HMGET in flight on one pipelined connection.");

    /** 'at-least-once' writes rows as they come (a replay after a failure writes them again: harmless for upserts, counted twice by increments and list pushes); 'exactly-once' writes a checkpoint's rows when it completes, each batch once (a Lua script with a marker key), so every write command applies once. Needs checkpointing; see docs/REDIS.md for the cost. */
    public static final ConfigOption<String> SINK_DELIVERY_GUARANTEE =
            ConfigOptions.key("sink.delivery-guarantee")
                    .stringType()
                    .defaultValue("at-least-once")
                    .withDescription("'at-least-once' writes rows as they come (a replay after a failure writes them again: harmless for upserts, counted twice by increments and list pushes); 'exactly-once' writes a checkpoint's rows when it completes, each batch once (a Lua script with a marker key), so every write command applies once. Needs checkpointing; see docs/REDIS.md for the cost.");

    private RedisOptions() {}
}
