// Owned: created by cargo-flink-connector, yours to edit; `cargo flink-connector generate` never rewrites it.
package org.example.flink.connector.redis;

import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.types.RowKind;
import org.example.flink.connector.redis.resp.RespCluster;
import org.example.flink.connector.redis.resp.RespConnection;
import org.example.flink.connector.redis.resp.RespEndpoint;
import org.example.flink.connector.redis.resp.RespError;
import org.example.flink.connector.redis.resp.RespException;
import org.example.flink.connector.redis.resp.RespPipeline;
import org.example.flink.connector.redis.resp.RespTopology;
import org.example.flink.connector.redis.resp.RespWriter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The Redis side of the connector: every other class calls only the public methods here.
 *
 * <h2>Deployments ({@code mode})</h2>
 *
 * {@code standalone} talks to {@code hostname:port}; {@code sentinel} asks the Sentinels of
 * {@code sentinel.nodes} for the master named {@code sentinel.master} whenever it (re)connects,
 * so a failover is followed on the next retry; {@code cluster} reads the slot map ({@code CLUSTER
 * SLOTS}) from {@code cluster.nodes}, sends each command to the master of its key's hash slot (one
 * pipeline per master), follows {@code MOVED}/{@code ASK} and re-reads the map after a redirect or
 * a failed node.
 *
 * <h2>Data model</h2>
 *
 * A Redis key is {@code key.prefix + k1 [+ key.separator + k2 …]}, the encoded key columns (see
 * {@link RedisCodec} for the encoding of every type). What is stored under it is chosen by
 * {@code value.layout} (see docs/REDIS.md for the full table):
 *
 * <ul>
 *   <li>{@code hash} (default): one hash field per value column, named like the column; NULL = no
 *       field. With {@code hash.field-column}, a row is one field: {@code HSET key <field> <value>}.
 *   <li>{@code string}: the single value column is the value; NULL deletes the key.
 *   <li>{@code list}, {@code set}, {@code zset}: a row is one element/member (the value column);
 *       {@code zset} takes its score from {@code zset.score-column}.
 *   <li>{@code pubsub}: a row is a message {@code PUBLISH key value}.
 * </ul>
 *
 * With {@code sink.write-mode} = {@code increment} numbers are added ({@code INCRBY},
 * {@code INCRBYFLOAT}, {@code HINCRBY}, {@code HINCRBYFLOAT}, {@code ZINCRBY}) and a DELETE
 * subtracts what its row added. TTL: {@code ttl}, or per row {@code ttl.column}; {@code ttl.mode}
 * {@code refresh} sets it on every write, {@code on-create} only when the key has none yet
 * ({@code EXPIRE … NX}, Redis 7).
 *
 * <p>Failures are {@link RespException}s naming {@code host:port}; the password never appears in
 * messages or logs. After a connection failure the next call reconnects (re-resolving the master
 * or the slot map).
 */
public class RedisClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisClient.class);

    /** The field that keeps a hash alive when all value columns are NULL. */
    private static final byte[] PRESENCE_FIELD = new byte[0];

    private static final byte[] EMPTY = new byte[0];

    private static final byte[] SET = RespWriter.encodeArg("SET");
    private static final byte[] EX = RespWriter.encodeArg("EX");
    private static final byte[] KEEPTTL = RespWriter.encodeArg("KEEPTTL");
    private static final byte[] NX = RespWriter.encodeArg("NX");
    private static final byte[] GET = RespWriter.encodeArg("GET");
    private static final byte[] DEL = RespWriter.encodeArg("DEL");
    private static final byte[] HSET = RespWriter.encodeArg("HSET");
    private static final byte[] HDEL = RespWriter.encodeArg("HDEL");
    private static final byte[] HGET = RespWriter.encodeArg("HGET");
    private static final byte[] HMGET = RespWriter.encodeArg("HMGET");
    private static final byte[] EXPIRE = RespWriter.encodeArg("EXPIRE");
    private static final byte[] RPUSH = RespWriter.encodeArg("RPUSH");
    private static final byte[] LPUSH = RespWriter.encodeArg("LPUSH");
    private static final byte[] LREM = RespWriter.encodeArg("LREM");
    private static final byte[] SADD = RespWriter.encodeArg("SADD");
    private static final byte[] SREM = RespWriter.encodeArg("SREM");
    private static final byte[] SISMEMBER = RespWriter.encodeArg("SISMEMBER");
    private static final byte[] ZADD = RespWriter.encodeArg("ZADD");
    private static final byte[] ZREM = RespWriter.encodeArg("ZREM");
    private static final byte[] ZSCORE = RespWriter.encodeArg("ZSCORE");
    private static final byte[] ZINCRBY = RespWriter.encodeArg("ZINCRBY");
    private static final byte[] INCRBY = RespWriter.encodeArg("INCRBY");
    private static final byte[] INCRBYFLOAT = RespWriter.encodeArg("INCRBYFLOAT");
    private static final byte[] HINCRBY = RespWriter.encodeArg("HINCRBY");
    private static final byte[] HINCRBYFLOAT = RespWriter.encodeArg("HINCRBYFLOAT");
    private static final byte[] PUBLISH = RespWriter.encodeArg("PUBLISH");
    private static final byte[] ASKING = RespWriter.encodeArg("ASKING");
    private static final byte[] ONE = RespWriter.encodeArg("1");
    private static final byte[] EVAL = RespWriter.encodeArg("EVAL");

    /**
     * Applies one {@link Staged} batch at most once, atomically (a script runs alone on its
     * server): KEYS[1] is its marker, KEYS[2..] the keys its commands write (declared so a cluster
     * routes and checks them), ARGV[1] the marker's TTL, then per command its argument count and
     * arguments. A marker already there means the batch was applied: nothing runs again. Commands
     * run through pcall, so a failing one (WRONGTYPE, …) cannot leave half a batch without its
     * marker; the first error is kept in the marker and reported on every replay.
     */
    private static final byte[] APPLY_ONCE = RespWriter.encodeArg(
            "local done = redis.call('GET', KEYS[1])\n"
            + "if done then return {0, done} end\n"
            + "local status = 'OK'\n"
            + "local i = 2\n"
            + "while i <= #ARGV do\n"
            + "  local n = tonumber(ARGV[i])\n"
            + "  local r = redis.pcall(unpack(ARGV, i + 1, i + n))\n"
            + "  if type(r) == 'table' and r.err and status == 'OK' then status = r.err end\n"
            + "  i = i + n + 1\n"
            + "end\n"
            + "redis.call('SET', KEYS[1], status, 'EX', ARGV[1])\n"
            + "return {1, status}\n");

    /**
     * How long a marker of an applied batch is kept: a batch is replayed only by a restore from
     * the checkpoint that holds it, which the next completed checkpoint supersedes; a week covers
     * any restart delay, then the marker expires instead of piling up.
     */
    static final long MARKER_TTL_SECONDS = 7 * 24 * 3600L;

    /** Markers of applied batches are named {@code <MARKER_PREFIX>{<hash tag of the slot>}:<batch id>}. */
    public static final String MARKER_PREFIX = "flink-exactly-once:";

    /** A pipeline is sent in chunks of about this size, so Redis works while the rest is encoded. */
    private static final int SEND_CHUNK_BYTES = 32 * 1024;

    /** MOVED/ASK rounds of one batch or lookup before giving up (a slot migrating back and forth). */
    private static final int MAX_REDIRECTS = 5;

    enum Layout {
        HASH,
        STRING,
        LIST,
        SET,
        ZSET,
        PUBSUB
    }

    private final RedisSchema schema;
    private final RespTopology topology;
    private final Layout layout;
    private final boolean increment;
    private final boolean pushLeft;
    private final boolean ttlOnCreate;
    private final byte[] keyPrefix;
    private final byte[] keySeparator;
    private final int ttlSeconds;
    private final String scanPattern;
    private final int scanCount;

    private final int[] keyFields;
    /** hash/string: the stored columns; list/set/zset/pubsub/hash-field: the one element column. */
    private final int[] valueFields;
    /** The hash field column ({@code hash.field-column}), score ({@code zset.score-column}), TTL ({@code ttl.column}); -1 when unset. */
    private final int fieldColumn;
    private final int scoreColumn;
    private final int ttlColumn;
    /** Position of the sink row's {@code ttl} METADATA column (after the physical columns), or -1. */
    private final int ttlMetadata;

    /**
     * Internal (set by the table sink, not a WITH option): where the {@code ttl} metadata column is
     * in the rows the sink consumes.
     */
    public static final org.apache.flink.configuration.ConfigOption<Integer> TTL_METADATA_POSITION =
            org.apache.flink.configuration.ConfigOptions.key("internal.ttl-metadata-position").intType().defaultValue(-1);
    /** By column index. */
    private final RedisCodec.FieldCodec[] codecs;
    /** By column index: the column name as a hash field name. */
    private final byte[][] fieldNames;
    private final RowData.FieldGetter[] getters;
    /** Per column: KIND_BIGINT, KIND_INT (encoded without boxing) or KIND_OTHER (through its codec). */
    private final byte[] kinds;
    private static final byte KIND_OTHER = 0;
    private static final byte KIND_BIGINT = 1;
    private static final byte KIND_INT = 2;
    /** The sink's current key ({@link #rowKey}): reused for every row. */
    private byte[] keyBuf = new byte[64];
    private int keyLen;

    /** The server (standalone), the resolved master (sentinel); null in cluster mode. */
    private RespEndpoint endpoint;
    private RespConnection connection;
    /** Cluster mode: the slot map and one connection per master. */
    private RespCluster cluster;
    private boolean clusterStale = true;
    private final Map<String, RespConnection> nodeConnections = new HashMap<>();
    /** Async lookups: one pipeline (per master in cluster mode), created on first use. Guarded by this. */
    private final Map<String, RespPipeline> pipelines = new HashMap<>();
    private boolean closed; // guarded by this
    private boolean scanSupportsType = true;
    /** Lookups may come from the task thread and a retry timer: fields they share are volatile. */
    private volatile KeyGetters keyGetters;

    /** Reads and checks the options; does not connect. */
    public RedisClient(RedisSchema schema, ReadableConfig options) {
        this.schema = schema;
        this.topology = topology(options);
        this.layout = choice(options, RedisOptions.VALUE_LAYOUT, Layout.class, "hash, string, list, set, zset or pubsub");
        this.increment = "increment".equals(choiceText(options, RedisOptions.SINK_WRITE_MODE, "upsert", "increment"));
        this.pushLeft = "left".equals(choiceText(options, RedisOptions.LIST_PUSH_SIDE, "right", "left"));
        this.ttlOnCreate = "on-create".equals(choiceText(options, RedisOptions.TTL_MODE, "refresh", "on-create"));
        exactlyOnce(options); // validates 'sink.delivery-guarantee'
        String prefix = nullToEmpty(options.get(RedisOptions.KEY_PREFIX));
        this.keyPrefix = prefix.getBytes(StandardCharsets.UTF_8);
        this.keySeparator = nullToEmpty(options.get(RedisOptions.KEY_SEPARATOR)).getBytes(StandardCharsets.UTF_8);
        Integer ttl = options.get(RedisOptions.TTL);
        this.ttlSeconds = ttl == null ? 0 : ttl;
        if (ttlSeconds < 0) {
            throw new ValidationException("'" + RedisOptions.TTL.key() + "' must not be negative, got " + ttlSeconds);
        }
        String pattern = options.get(RedisOptions.SCAN_KEY_PATTERN);
        this.scanPattern = pattern == null || pattern.isEmpty() ? escapeGlob(prefix) + "*" : pattern;
        Integer count = options.get(RedisOptions.SCAN_COUNT);
        this.scanCount = count == null ? 1000 : count;
        if (scanCount <= 0) {
            throw new ValidationException("'" + RedisOptions.SCAN_COUNT.key() + "' must be positive, got " + scanCount);
        }

        int n = schema.fieldCount();
        this.codecs = new RedisCodec.FieldCodec[n];
        this.fieldNames = new byte[n][];
        this.getters = new RowData.FieldGetter[n];
        this.kinds = new byte[n];
        for (int i = 0; i < n; i++) {
            LogicalType type = schema.fieldType(i);
            LogicalTypeRoot root = type.getTypeRoot();
            kinds[i] = root == LogicalTypeRoot.BIGINT ? KIND_BIGINT : root == LogicalTypeRoot.INTEGER ? KIND_INT : KIND_OTHER;
            codecs[i] = RedisCodec.forType(type, schema.fieldName(i));
            fieldNames[i] = schema.fieldName(i).getBytes(StandardCharsets.UTF_8);
            getters[i] = RowData.createFieldGetter(type, i);
        }
        this.fieldColumn = column(options, RedisOptions.HASH_FIELD_COLUMN);
        this.scoreColumn = column(options, RedisOptions.ZSET_SCORE_COLUMN);
        this.ttlColumn = column(options, RedisOptions.TTL_COLUMN);
        this.ttlMetadata = options.get(TTL_METADATA_POSITION);
        if (fieldColumn >= 0 && layout != Layout.HASH) {
            throw new ValidationException("'" + RedisOptions.HASH_FIELD_COLUMN.key() + "' applies to 'value.layout' = 'hash' only");
        }
        if (layout == Layout.ZSET && scoreColumn < 0) {
            throw new ValidationException("'value.layout' = 'zset' needs '" + RedisOptions.ZSET_SCORE_COLUMN.key()
                    + "' naming the numeric column that holds the score (table " + schema.tableName() + ")");
        }
        if (scoreColumn >= 0 && layout != Layout.ZSET) {
            throw new ValidationException("'" + RedisOptions.ZSET_SCORE_COLUMN.key() + "' applies to 'value.layout' = 'zset' only");
        }
        if (scoreColumn >= 0) {
            requireNumeric(RedisOptions.ZSET_SCORE_COLUMN.key(), scoreColumn, true);
        }
        if (ttlColumn >= 0) {
            LogicalTypeRoot root = schema.fieldType(ttlColumn).getTypeRoot();
            if (root != LogicalTypeRoot.TINYINT && root != LogicalTypeRoot.SMALLINT
                    && root != LogicalTypeRoot.INTEGER && root != LogicalTypeRoot.BIGINT) {
                throw new ValidationException("'" + RedisOptions.TTL_COLUMN.key() + "' names column '" + schema.fieldName(ttlColumn)
                        + "' of type " + schema.fieldType(ttlColumn).asSummaryString() + "; it must be an integer (seconds)");
            }
        }
        if (layout == Layout.PUBSUB && (ttlSeconds > 0 || ttlColumn >= 0 || ttlMetadata >= 0)) {
            throw new ValidationException("'value.layout' = 'pubsub' publishes messages, which have no TTL: remove 'ttl'/'ttl.column'/the ttl METADATA column");
        }

        // roles of the columns: key, value(s), and the field/score/TTL columns named by options
        boolean[] role = new boolean[n];
        for (int c : new int[] {fieldColumn, scoreColumn, ttlColumn}) {
            if (c >= 0) {
                role[c] = true;
            }
        }
        boolean oneElement = layout == Layout.LIST || layout == Layout.SET || layout == Layout.ZSET
                || layout == Layout.PUBSUB || fieldColumn >= 0;
        int element = -1;
        if (oneElement) {
            for (int i = n - 1; i >= 0 && element < 0; i--) {
                if (!role[i]) {
                    element = i; // the last column that has no other role
                }
            }
            if (element < 0) {
                throw new ValidationException("Table " + schema.tableName() + " has no column for the "
                        + layout.name().toLowerCase(Locale.ROOT) + " value (the last column that is not a key, field, score or TTL column)");
            }
            role[element] = true;
        }
        List<Integer> keys = new ArrayList<>();
        for (int k : schema.primaryKey()) {
            if (!role[k]) {
                keys.add(k);
            }
        }
        if (keys.isEmpty()) {
            for (int i = 0; i < n && keys.isEmpty(); i++) {
                if (!role[i]) {
                    keys.add(i);
                }
            }
        }
        if (keys.isEmpty()) {
            throw new ValidationException("Table " + schema.tableName() + " has no column left for the Redis key");
        }
        this.keyFields = keys.stream().mapToInt(Integer::intValue).toArray();
        for (int k : keyFields) {
            role[k] = true;
        }
        if (keyFields.length > 1 && keySeparator.length == 0) {
            throw new ValidationException(
                    "'" + RedisOptions.KEY_SEPARATOR.key() + "' must not be empty: " + schema.tableName() + " has a composite key");
        }
        List<Integer> values = new ArrayList<>();
        if (oneElement) {
            values.add(element);
        }
        List<String> unplaced = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!role[i]) {
                if (oneElement) {
                    unplaced.add(schema.fieldName(i));
                } else {
                    values.add(i);
                }
            }
        }
        if (!unplaced.isEmpty()) {
            throw new ValidationException("'value.layout' = '" + layout.name().toLowerCase(Locale.ROOT) + "' stores one value per row ('"
                    + schema.fieldName(element) + "'), but " + schema.tableName() + " also has " + unplaced
                    + " besides the key " + names(keyFields) + ". Declare them in the PRIMARY KEY or drop them.");
        }
        this.valueFields = values.stream().mapToInt(Integer::intValue).toArray();
        if (layout == Layout.STRING && valueFields.length > 1) {
            throw new ValidationException(
                    "'" + RedisOptions.VALUE_LAYOUT.key() + "' = 'string' stores one value column, but "
                            + schema.tableName() + " has " + valueFields.length + " besides the key: " + names(valueFields)
                            + ". Use 'hash' (one hash field per column) or declare a PRIMARY KEY.");
        }
        if (increment) {
            if (layout == Layout.LIST || layout == Layout.SET || layout == Layout.PUBSUB) {
                throw new ValidationException("'" + RedisOptions.SINK_WRITE_MODE.key()
                        + "' = 'increment' works with 'value.layout' string, hash or zset, not " + layout.name().toLowerCase(Locale.ROOT));
            }
            if (layout != Layout.ZSET) {
                if (valueFields.length == 0) {
                    throw new ValidationException("'sink.write-mode' = 'increment' needs a numeric value column (table " + schema.tableName() + ")");
                }
                for (int v : valueFields) {
                    requireNumeric(RedisOptions.SINK_WRITE_MODE.key() + "' = 'increment", v, true);
                }
            }
        }
    }

    /** The deployment from 'mode' and its options; a ValidationException naming the option. */
    private static RespTopology topology(ReadableConfig options) {
        Integer database = options.get(RedisOptions.DATABASE);
        int db = database == null ? 0 : database;
        boolean ssl = Boolean.TRUE.equals(options.get(RedisOptions.SSL));
        int connectMillis = millis(options.get(RedisOptions.CONNECT_TIMEOUT));
        int readMillis = millis(options.get(RedisOptions.READ_TIMEOUT));
        String user = options.get(RedisOptions.USERNAME);
        String password = options.get(RedisOptions.PASSWORD);
        String mode = choiceText(options, RedisOptions.MODE, "standalone", "sentinel", "cluster");
        try {
            if ("standalone".equals(mode)) {
                Integer port = options.get(RedisOptions.PORT);
                return RespTopology.standalone(new RespEndpoint(options.get(RedisOptions.HOSTNAME), port == null ? 6379 : port,
                        user, password, db, ssl, connectMillis, readMillis));
            }
            if ("cluster".equals(mode)) {
                if (db != 0) {
                    throw new ValidationException("'" + RedisOptions.DATABASE.key() + "' must be 0 with 'mode' = 'cluster' (Redis Cluster has one database), got " + db);
                }
                List<RespEndpoint> seeds = new ArrayList<>();
                for (String[] hp : RespTopology.parseAddresses(RedisOptions.CLUSTER_NODES.key(), required(options, RedisOptions.CLUSTER_NODES.key(), options.get(RedisOptions.CLUSTER_NODES), mode))) {
                    seeds.add(new RespEndpoint(hp[0], Integer.parseInt(hp[1]), user, password, 0, ssl, connectMillis, readMillis));
                }
                return RespTopology.cluster(seeds.get(0), seeds);
            }
            String master = required(options, RedisOptions.SENTINEL_MASTER.key(), options.get(RedisOptions.SENTINEL_MASTER), mode);
            List<RespEndpoint> sentinels = new ArrayList<>();
            for (String[] hp : RespTopology.parseAddresses(RedisOptions.SENTINEL_NODES.key(), required(options, RedisOptions.SENTINEL_NODES.key(), options.get(RedisOptions.SENTINEL_NODES), mode))) {
                sentinels.add(new RespEndpoint(hp[0], Integer.parseInt(hp[1]), options.get(RedisOptions.SENTINEL_USERNAME),
                        options.get(RedisOptions.SENTINEL_PASSWORD), 0, ssl, connectMillis, readMillis).asSentinel());
            }
            RespEndpoint template = new RespEndpoint(sentinels.get(0).host(), sentinels.get(0).port(), user, password, db, ssl, connectMillis, readMillis);
            return RespTopology.sentinel(template, sentinels, master.trim());
        } catch (IllegalArgumentException e) {
            throw new ValidationException(e.getMessage());
        }
    }

    private static String required(ReadableConfig options, String key, @Nullable String value, String mode) {
        if (value == null || value.trim().isEmpty()) {
            throw new ValidationException("'" + key + "' is required with 'mode' = '" + mode + "'");
        }
        return value;
    }

    /** An option's value, lower-cased, checked against {@code allowed}; null means the first. */
    /** Whether {@code sink.delivery-guarantee} is {@code exactly-once} (else {@code at-least-once}; anything else is refused). */
    public static boolean exactlyOnce(ReadableConfig options) {
        return "exactly-once".equals(choiceText(options, RedisOptions.SINK_DELIVERY_GUARANTEE, "at-least-once", "exactly-once"));
    }

    private static String choiceText(ReadableConfig options, org.apache.flink.configuration.ConfigOption<String> option, String... allowed) {
        String value = options.get(option);
        String v = value == null ? allowed[0] : value.trim().toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(v)) {
                return a;
            }
        }
        throw new ValidationException("'" + option.key() + "' must be one of " + Arrays.toString(allowed) + ", not '" + value + "'");
    }

    private static <E extends Enum<E>> E choice(ReadableConfig options, org.apache.flink.configuration.ConfigOption<String> option, Class<E> kind, String allowed) {
        String value = options.get(option);
        try {
            return Enum.valueOf(kind, String.valueOf(value).trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ValidationException("'" + option.key() + "' must be " + allowed + ", not '" + value + "'");
        }
    }

    /** The index of the column an option names; -1 when the option is unset. */
    private int column(ReadableConfig options, org.apache.flink.configuration.ConfigOption<String> option) {
        String name = options.get(option);
        if (name == null || name.trim().isEmpty()) {
            return -1;
        }
        int i = schema.fieldNames().indexOf(name.trim());
        if (i < 0) {
            throw new ValidationException("'" + option.key() + "' names column '" + name + "', which " + schema.tableName()
                    + " does not have; its columns are " + schema.fieldNames());
        }
        return i;
    }

    private void requireNumeric(String option, int column, boolean allowFloat) {
        if (integral(column) || (allowFloat && floating(column))) {
            return;
        }
        throw new ValidationException("'" + option + "' needs a numeric column, but '" + schema.fieldName(column) + "' of "
                + schema.tableName() + " is " + schema.fieldType(column).asSummaryString());
    }

    private boolean integral(int column) {
        switch (schema.fieldType(column).getTypeRoot()) {
            case TINYINT:
            case SMALLINT:
            case INTEGER:
            case BIGINT:
                return true;
            default:
                return false;
        }
    }

    private boolean floating(int column) {
        switch (schema.fieldType(column).getTypeRoot()) {
            case FLOAT:
            case DOUBLE:
            case DECIMAL:
                return true;
            default:
                return false;
        }
    }

    private List<String> names(int[] columns) {
        List<String> names = new ArrayList<>();
        for (int c : columns) {
            names.add(schema.fieldName(c));
        }
        return names;
    }

    private static int millis(@Nullable Duration d) {
        return d == null ? 0 : (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }

    private static String nullToEmpty(@Nullable String s) {
        return s == null ? "" : s;
    }

    /** Redis glob syntax: a backslash before each of * ? [ ] \ makes it literal. */
    static String escapeGlob(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if ("*?[]\\".indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    // ----------------------------------------------------------------------------------- connecting

    /** Connects and authenticates (resolving the master or reading the slot map first). */
    public void open() throws IOException {
        synchronized (this) {
            closed = false;
        }
        if (topology.mode() == RespTopology.Mode.CLUSTER) {
            refreshCluster();
            for (RespEndpoint master : cluster.masters()) {
                nodeConnection(master);
            }
        } else {
            connection();
        }
        LOG.debug("Connected to {} for {}", topology, schema.tableName());
    }

    @Override
    public void close() throws IOException {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        for (RespConnection c : nodeConnections.values()) {
            c.close();
        }
        nodeConnections.clear();
        List<RespPipeline> open;
        synchronized (this) {
            closed = true;
            open = new ArrayList<>(pipelines.values());
            pipelines.clear();
        }
        for (RespPipeline p : open) {
            p.close();
        }
    }

    /** The connection of a standalone server or the current Sentinel master (resolved again after a failure). */
    private RespConnection connection() throws RespException {
        if (connection != null && !connection.isOpen() && topology.mode() == RespTopology.Mode.SENTINEL) {
            connection = null; // the master may have changed: ask the Sentinels again
        }
        if (connection == null) {
            endpoint = topology.resolveMaster();
            connection = new RespConnection(endpoint);
        }
        connection.ensureOpen();
        return connection;
    }

    private void refreshCluster() throws RespException {
        if (cluster == null) {
            cluster = new RespCluster(topology);
        }
        cluster.refresh();
        clusterStale = false;
    }

    private RespConnection nodeConnection(RespEndpoint node) throws RespException {
        RespConnection c = nodeConnections.get(node.address());
        if (c == null) {
            c = new RespConnection(node);
            nodeConnections.put(node.address(), c);
        }
        try {
            c.ensureOpen();
        } catch (RespException e) {
            clusterStale = true; // a failed node: its slots may have moved to a promoted replica
            throw e;
        }
        return c;
    }

    /** The connection that serves {@code key}. */
    private RespConnection connectionFor(byte[] key) throws RespException {
        if (topology.mode() != RespTopology.Mode.CLUSTER) {
            return connection();
        }
        if (clusterStale || cluster == null) {
            refreshCluster();
        }
        return nodeConnection(cluster.masterOf(RespCluster.slot(key)));
    }

    /** Notes a failure of {@code c}: in cluster mode the slot map is read again before the next command. */
    private void failed(RespException e) {
        if (e.isConnectionFailure()) {
            clusterStale = true;
        }
    }

    // ---------------------------------------------------------------------------------------- scan

    /**
     * One split per server: the standalone server, the Sentinel master, or each master of a
     * cluster (its split names the master's first hash slot, so a reader finds the node that serves
     * it now, e.g. the replica promoted after a failover). The cursor is the SCAN cursor.
     */
    public List<RedisSplit> listSplits() throws IOException {
        if (layout == Layout.PUBSUB) {
            throw new ValidationException("A 'value.layout' = 'pubsub' table (" + schema.tableName() + ") cannot be scanned: messages are not stored");
        }
        int db = topology.template().database();
        switch (topology.mode()) {
            case CLUSTER:
                {
                    if (cluster == null || clusterStale) {
                        refreshCluster();
                    }
                    List<RedisSplit> splits = new ArrayList<>();
                    for (int i = 0; i < cluster.masters().size(); i++) {
                        splits.add(RedisSplit.of("cluster-slot:" + cluster.ranges(i).get(0)[0]));
                    }
                    return splits;
                }
            case SENTINEL:
                return Collections.singletonList(RedisSplit.of("sentinel:" + topology.masterName() + "/" + db));
            default:
                return Collections.singletonList(RedisSplit.of(topology.template().address() + "/" + db));
        }
    }

    /** The rows of the keys one SCAN step finds; {@code nextCursor} is null after the last step. */
    public Page readPage(RedisSplit split) throws IOException {
        try {
            return readPageOnce(split);
        } catch (RespException e) {
            if (!e.isConnectionFailure()) {
                throw e;
            }
            failed(e);
            // e.g. an idle connection closed by the server's 'timeout', or a failover: reading is
            // idempotent (a SCAN cursor is valid on any connection), so reconnect and try once more
            LOG.info("Reading {} failed ({}); reconnecting once", schema.tableName(), e.getMessage());
            return readPageOnce(split);
        }
    }

    private RespConnection splitConnection(RedisSplit split) throws RespException {
        String id = split.splitId();
        if (id.startsWith("cluster-slot:")) {
            if (cluster == null || clusterStale) {
                refreshCluster();
            }
            return nodeConnection(cluster.masterOf(Integer.parseInt(id.substring("cluster-slot:".length()))));
        }
        return connection();
    }

    private Page readPageOnce(RedisSplit split) throws IOException {
        String cursor = split.cursor() == null ? "0" : split.cursor();
        RespConnection c = splitConnection(split);
        Object reply = scan(c, cursor, scanSupportsType);
        if (reply instanceof RespError && scanSupportsType) {
            // Redis < 6 has no SCAN ... TYPE: fall back to skipping keys of the wrong type
            LOG.info("{} does not support SCAN ... TYPE ({}); filtering key types client-side", c.endpoint(), reply);
            scanSupportsType = false;
            reply = scan(c, cursor, false);
        }
        if (reply instanceof RespError) {
            throw new RespException(serverError(c, "SCAN", null, (RespError) reply), false);
        }
        Object[] parts = (Object[]) reply;
        String next = new String((byte[]) parts[0], StandardCharsets.US_ASCII);
        Object[] keys = (Object[]) parts[1];

        List<byte[][]> keyParts = new ArrayList<>(keys.length);
        List<byte[]> keysToRead = new ArrayList<>(keys.length);
        int undecodable = 0;
        for (Object k : keys) {
            byte[] key = (byte[]) k;
            byte[][] kp = splitKey(key);
            if (kp == null) {
                undecodable++;
                continue;
            }
            keyParts.add(kp);
            keysToRead.add(key);
        }
        RespWriter w = c.writer();
        for (byte[] key : keysToRead) {
            writeScanRead(w, key);
        }
        c.flush();
        List<RowData> rows = new ArrayList<>(keysToRead.size());
        RespException failure = null;
        for (int i = 0; i < keysToRead.size(); i++) {
            Object value = c.read();
            if (value instanceof RespError) {
                if (!((RespError) value).code().equals("WRONGTYPE") && failure == null) {
                    failure = new RespException(serverError(c, "reading", keysToRead.get(i), (RespError) value), false);
                }
                continue;
            }
            if (failure != null) {
                continue;
            }
            decodeScanned(keysToRead.get(i), keyParts.get(i), value, rows);
        }
        if (failure != null) {
            throw failure;
        }
        if (undecodable > 0) {
            LOG.debug("Skipped {} keys of {} that do not decode as its key columns", undecodable, schema.tableName());
        }
        return new Page(rows, "0".equals(next) ? null : next);
    }

    private Object scan(RespConnection c, String cursor, boolean withType) throws RespException {
        boolean match = !"*".equals(scanPattern);
        RespWriter w = c.writer();
        w.command(4 + (match ? 2 : 0) + (withType ? 2 : 0)).arg("SCAN").arg(cursor);
        if (match) {
            w.arg("MATCH").arg(scanPattern);
        }
        w.arg("COUNT").arg(scanCount);
        if (withType) {
            w.arg("TYPE").arg(redisType());
        }
        c.flush();
        return c.read();
    }

    /** The read of a scanned key: the whole value of its type. */
    private void writeScanRead(RespWriter w, byte[] key) {
        switch (layout) {
            case LIST:
                w.command(4).arg("LRANGE").arg(key).arg(0).arg(-1);
                return;
            case SET:
                w.command(2).arg("SMEMBERS").arg(key);
                return;
            case ZSET:
                w.command(5).arg("ZRANGE").arg(key).arg(0).arg(-1).arg("WITHSCORES");
                return;
            default:
                if (fieldColumn >= 0) {
                    w.command(2).arg("HGETALL").arg(key);
                } else {
                    writeRead(w, key);
                }
        }
    }

    /** Adds the rows stored under a scanned key to {@code rows}. */
    private void decodeScanned(byte[] key, byte[][] keyParts, Object value, List<RowData> rows) throws RespException {
        if (value == null) {
            return; // expired in between
        }
        if (layout == Layout.STRING || (layout == Layout.HASH && fieldColumn < 0)) {
            GenericRowData row = decodeRow(key, keyParts, value, true);
            if (row != null) {
                rows.add(row);
            }
            return;
        }
        Object[] items = (Object[]) value;
        int step = layout == Layout.ZSET || fieldColumn >= 0 ? 2 : 1;
        for (int i = 0; i + step - 1 < items.length; i += step) {
            GenericRowData row = keyRow(key, keyParts, true);
            if (row == null) {
                return;
            }
            int element = valueFields[0];
            if (fieldColumn >= 0) {
                row.setField(fieldColumn, decodeValue(key, fieldColumn, (byte[]) items[i]));
                row.setField(element, decodeValue(key, element, (byte[]) items[i + 1]));
            } else {
                row.setField(element, decodeValue(key, element, (byte[]) items[i]));
                if (layout == Layout.ZSET) {
                    row.setField(scoreColumn, decodeValue(key, scoreColumn, (byte[]) items[i + 1]));
                }
            }
            rows.add(row);
        }
    }

    private String redisType() {
        switch (layout) {
            case HASH:
                return "hash";
            case LIST:
                return "list";
            case SET:
                return "set";
            case ZSET:
                return "zset";
            default:
                return "string";
        }
    }

    /** One page of a split. */
    public static final class Page {
        public final List<RowData> rows;
        /** Where the next page starts; null when the split has no more rows. */
        @Nullable public final String nextCursor;

        public Page(List<RowData> rows, @Nullable String nextCursor) {
            this.rows = rows;
            this.nextCursor = nextCursor;
        }
    }

    // -------------------------------------------------------------------------------------- lookup

    /**
     * Lookups read one key, so the join condition must cover every key column (the primary key,
     * else the first column); further equality columns are checked on the row read.
     */
    public static void validateLookupKeys(RedisSchema schema, int[] lookupKeys) {
        for (int k : schema.keyFields()) {
            boolean found = false;
            for (int l : lookupKeys) {
                found |= l == k;
            }
            if (!found) {
                List<String> key = new ArrayList<>();
                for (int f : schema.keyFields()) {
                    key.add(schema.fieldName(f));
                }
                List<String> joined = new ArrayList<>();
                for (int f : lookupKeys) {
                    joined.add(schema.fieldName(f));
                }
                throw new ValidationException(
                        "A lookup join on Redis table " + schema.tableName() + " must have an equality condition on its key "
                                + key + " (the primary key, else the first column); the join condition covers " + joined);
            }
        }
    }

    /** Looks up the row whose key columns equal {@code keyRow} (values in {@code lookupKeys} order). */
    public Collection<RowData> lookup(int[] lookupKeys, RowData keyRow) throws IOException {
        byte[][] parts = lookupKeyParts(lookupKeys, keyRow);
        if (parts == null) {
            return Collections.emptyList(); // NULL equals nothing
        }
        byte[] key = joinKey(parts);
        byte[] member = lookupMember(lookupKeys, keyRow);
        RespEndpoint askTarget = null;
        for (int redirects = 0; ; redirects++) {
            RespConnection c;
            try {
                c = askTarget != null ? nodeConnection(askTarget) : connectionFor(key);
                if (askTarget != null) {
                    c.writer().command(1).encodedArg(ASKING);
                }
                writeLookup(c.writer(), key, member);
                c.flush();
                if (askTarget != null) {
                    c.read();
                }
                Object reply = c.read();
                if (reply instanceof RespError && RespCluster.isRedirect((RespError) reply) && cluster != null
                        && redirects < MAX_REDIRECTS) {
                    RespError error = (RespError) reply;
                    if ("ASK".equals(error.code())) {
                        askTarget = cluster.redirectTarget(error);
                    } else {
                        askTarget = null;
                        refreshCluster();
                    }
                    continue;
                }
                return toResult(c, lookupKeys, keyRow, key, parts, reply);
            } catch (RespException e) {
                failed(e);
                throw e;
            }
        }
    }

    /** {@link #lookup} on a pipelined connection: any number of calls may be in flight. */
    public CompletableFuture<Collection<RowData>> lookupAsync(int[] lookupKeys, RowData keyRow) {
        byte[][] parts;
        byte[] member;
        try {
            parts = lookupKeyParts(lookupKeys, keyRow);
            member = parts == null ? null : lookupMember(lookupKeys, keyRow);
        } catch (RuntimeException | RespException e) {
            CompletableFuture<Collection<RowData>> failed = new CompletableFuture<>();
            failed.completeExceptionally(e);
            return failed;
        }
        if (parts == null) {
            return CompletableFuture.completedFuture(Collections.<RowData>emptyList());
        }
        byte[] key = joinKey(parts);
        return lookupAsync(lookupKeys, keyRow, parts, key, member, null, 0);
    }

    private CompletableFuture<Collection<RowData>> lookupAsync(
            int[] lookupKeys, RowData keyRow, byte[][] parts, byte[] key, @Nullable byte[] member,
            @Nullable RespEndpoint askTarget, int redirects) {
        if (askTarget != null) {
            // a slot being migrated (rare): ASKING and the read on a short-lived connection
            try (RespConnection c = new RespConnection(askTarget)) {
                c.ensureOpen();
                c.writer().command(1).encodedArg(ASKING);
                writeLookup(c.writer(), key, member);
                c.flush();
                c.read();
                return CompletableFuture.completedFuture(toResult(c, lookupKeys, keyRow, key, parts, c.read()));
            } catch (RespException e) {
                CompletableFuture<Collection<RowData>> failed = new CompletableFuture<>();
                failed.completeExceptionally(e);
                return failed;
            }
        }
        RespPipeline p;
        try {
            p = pipelineFor(key);
        } catch (RespException e) {
            CompletableFuture<Collection<RowData>> failed = new CompletableFuture<>();
            failed.completeExceptionally(e);
            return failed;
        }
        if (p == null) {
            CompletableFuture<Collection<RowData>> closedClient = new CompletableFuture<>();
            closedClient.completeExceptionally(new RespException("The Redis client of " + schema.tableName() + " is closed", false));
            return closedClient;
        }
        CompletableFuture<Object> reply = p.send(w -> writeLookup(w, key, member));
        return reply.handle((value, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                        if (cause instanceof RespException && ((RespException) cause).isConnectionFailure()) {
                            dropPipeline(p);
                        }
                        CompletableFuture<Collection<RowData>> failed = new CompletableFuture<>();
                        failed.completeExceptionally(cause);
                        return failed;
                    }
                    if (value instanceof RespError && RespCluster.isRedirect((RespError) value) && redirects < MAX_REDIRECTS) {
                        RespError e = (RespError) value;
                        RespEndpoint ask = null;
                        synchronized (this) {
                            if ("ASK".equals(e.code())) {
                                ask = cluster.redirectTarget(e);
                            } else {
                                clusterStale = true;
                            }
                        }
                        return lookupAsync(lookupKeys, keyRow, parts, key, member, ask, redirects + 1);
                    }
                    try {
                        return CompletableFuture.completedFuture(toResult(p.endpoint().address(), lookupKeys, keyRow, key, parts, value));
                    } catch (RespException ex) {
                        CompletableFuture<Collection<RowData>> failed = new CompletableFuture<>();
                        failed.completeExceptionally(ex);
                        return failed;
                    }
                })
                .thenCompose(f -> f);
    }

    /** The pipeline that serves {@code key}, created on first use; null once closed. */
    @Nullable
    private synchronized RespPipeline pipelineFor(byte[] key) throws RespException {
        if (closed) {
            return null;
        }
        RespEndpoint node;
        if (topology.mode() == RespTopology.Mode.CLUSTER) {
            if (clusterStale || cluster == null) {
                refreshCluster();
            }
            node = cluster.masterOf(RespCluster.slot(key));
        } else {
            RespPipeline only = pipelines.isEmpty() ? null : pipelines.values().iterator().next();
            if (only != null) {
                return only;
            }
            node = topology.resolveMaster();
        }
        RespPipeline p = pipelines.get(node.address());
        if (p == null) {
            p = new RespPipeline(node, "redis-lookup-" + schema.tableName());
            pipelines.put(node.address(), p);
        }
        return p;
    }

    /** Forgets a broken pipeline, so the next lookup resolves the master / slot map again. */
    private synchronized void dropPipeline(RespPipeline p) {
        pipelines.values().removeIf(x -> x == p);
        clusterStale = true;
        p.close();
    }

    /** The encoded key columns of a lookup, in key order; null when one of them is NULL. */
    @Nullable
    private byte[][] lookupKeyParts(int[] lookupKeys, RowData keyRow) {
        RowData.FieldGetter[] keyGetters = lookupKeyGetters(lookupKeys);
        byte[][] parts = new byte[keyFields.length][];
        for (int k = 0; k < keyFields.length; k++) {
            Object value = keyGetters[k].getFieldOrNull(keyRow);
            if (value == null) {
                return null;
            }
            parts[k] = codecs[keyFields[k]].encode(value);
        }
        return parts;
    }

    /** The member (set, zset) or field (hash with 'hash.field-column') a lookup asks for; null for other layouts. */
    @Nullable
    private byte[] lookupMember(int[] lookupKeys, RowData keyRow) throws RespException {
        int column;
        switch (layout) {
            case SET:
            case ZSET:
                column = valueFields[0];
                break;
            case LIST:
            case PUBSUB:
                throw new RespException("Lookups on a 'value.layout' = '" + layout.name().toLowerCase(Locale.ROOT)
                        + "' table (" + schema.tableName() + ") are not supported", false);
            default:
                if (fieldColumn < 0) {
                    return null;
                }
                column = fieldColumn;
        }
        int at = indexOf(lookupKeys, column);
        if (at < 0) {
            throw new RespException("A lookup join on " + schema.tableName() + " needs an equality condition on '"
                    + schema.fieldName(column) + "' too (the " + (column == fieldColumn ? "hash field" : "member") + ")", false);
        }
        Object value = RowData.createFieldGetter(schema.fieldType(column), at).getFieldOrNull(keyRow);
        return value == null ? EMPTY : codecs[column].encode(value);
    }

    /** Getters of the key columns from a lookup's key row (cached: a function always passes the same keys). */
    private RowData.FieldGetter[] lookupKeyGetters(int[] lookupKeys) {
        KeyGetters cached = keyGetters;
        if (cached == null || cached.lookupKeys != lookupKeys) {
            RowData.FieldGetter[] getters = new RowData.FieldGetter[keyFields.length];
            for (int k = 0; k < keyFields.length; k++) {
                int at = indexOf(lookupKeys, keyFields[k]);
                if (at < 0) {
                    throw new IllegalArgumentException("A lookup join on " + schema.tableName() + " needs an equality condition on '"
                            + schema.fieldName(keyFields[k]) + "' (a key column)");
                }
                getters[k] = RowData.createFieldGetter(schema.fieldType(keyFields[k]), at);
            }
            cached = new KeyGetters(lookupKeys, getters);
            keyGetters = cached;
        }
        return cached.getters;
    }

    private static final class KeyGetters {
        final int[] lookupKeys;
        final RowData.FieldGetter[] getters;

        KeyGetters(int[] lookupKeys, RowData.FieldGetter[] getters) {
            this.lookupKeys = lookupKeys;
            this.getters = getters;
        }
    }

    /** The read of one lookup: HMGET/GET of a row, HGET of a field, SISMEMBER, ZSCORE. */
    private void writeLookup(RespWriter w, byte[] key, @Nullable byte[] member) {
        if (member == null) {
            writeRead(w, key);
        } else if (layout == Layout.SET) {
            w.command(3).encodedArg(SISMEMBER).arg(key).arg(member);
        } else if (layout == Layout.ZSET) {
            w.command(3).encodedArg(ZSCORE).arg(key).arg(member);
        } else {
            w.command(3).encodedArg(HGET).arg(key).arg(member);
        }
    }

    private Collection<RowData> toResult(RespConnection c, int[] lookupKeys, RowData keyRow, byte[] key, byte[][] parts, Object reply)
            throws RespException {
        return toResult(c.endpoint().address(), lookupKeys, keyRow, key, parts, reply);
    }

    private Collection<RowData> toResult(String server, int[] lookupKeys, RowData keyRow, byte[] key, byte[][] parts, Object reply)
            throws RespException {
        if (reply instanceof RespError) {
            throw new RespException(serverError(server, "lookup", key, (RespError) reply), false);
        }
        GenericRowData row;
        if (layout == Layout.STRING || (layout == Layout.HASH && fieldColumn < 0)) {
            row = decodeRow(key, parts, reply, false);
        } else {
            if (reply == null || Long.valueOf(0).equals(reply)) {
                return Collections.emptyList();
            }
            row = keyRow(key, parts, false);
            int asked = layout == Layout.HASH ? fieldColumn : valueFields[0];
            int at = indexOf(lookupKeys, asked);
            row.setField(asked, RowData.createFieldGetter(schema.fieldType(asked), at).getFieldOrNull(keyRow));
            if (layout == Layout.HASH) {
                row.setField(valueFields[0], decodeValue(key, valueFields[0], (byte[]) reply));
            } else if (layout == Layout.ZSET) {
                row.setField(scoreColumn, decodeValue(key, scoreColumn, (byte[]) reply));
            }
        }
        if (row == null) {
            return Collections.emptyList();
        }
        // equality conditions on value columns
        for (int i = 0; i < lookupKeys.length; i++) {
            int column = lookupKeys[i];
            if (indexOf(keyFields, column) >= 0) {
                continue;
            }
            Object wanted = RowData.createFieldGetter(schema.fieldType(column), i).getFieldOrNull(keyRow);
            Object actual = row.getField(column);
            if (wanted == null
                    || actual == null
                    || !Arrays.equals(codecs[column].encode(wanted), codecs[column].encode(actual))) {
                return Collections.emptyList();
            }
        }
        return Collections.<RowData>singletonList(row);
    }

    private static int indexOf(int[] array, int value) {
        for (int i = 0; i < array.length; i++) {
            if (array[i] == value) {
                return i;
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------------------------------- sink

    /**
     * Rows encoded as RESP commands as they arrive ({@link #add}), kept until {@link #write(Batch)}
     * succeeds, so a retry sends the same bytes again and no row object is copied or kept. In
     * standalone and Sentinel mode full 32 KB chunks already go to the server while later rows are
     * encoded; their replies are read by {@link #write(Batch)}.
     */
    public static final class Batch {
        final RespWriter out = new RespWriter(64 * 1024);
        /** False for an exactly-once batch: nothing may reach Redis before its checkpoint completes. */
        final boolean sendAhead;
        int rows;
        int[] rowEnd = new int[256];
        int[] rowCommands = new int[256];
        int[] rowSlot = new int[256];
        // sent ahead: rows [0, sentRows) = bytes [0, sentBytes) went to sentTo while it had sentGeneration
        RespConnection sentTo;
        long sentGeneration;
        int sentRows;
        int sentBytes;
        int sentCommands;

        public Batch() {
            this(true);
        }

        private Batch(boolean sendAhead) {
            this.sendAhead = sendAhead;
        }

        /** A batch that is only encoded, for {@link #stage}: nothing of it is sent ahead. */
        public static Batch staged() {
            return new Batch(false);
        }

        /** Rows encoded since the last {@link #clear()}. */
        public int rows() {
            return rows;
        }

        public boolean isEmpty() {
            return rows == 0;
        }

        /** Forgets every row (after {@link #write(Batch)} succeeded). */
        public void clear() {
            out.reset();
            rows = 0;
            unsent();
        }

        void unsent() {
            sentTo = null;
            sentRows = 0;
            sentBytes = 0;
            sentCommands = 0;
        }

        boolean sentAheadTo(RespConnection c) {
            return sentRows > 0 && sentTo == c && c.isOpen() && c.generation() == sentGeneration;
        }

        int start(int row) {
            return row == 0 ? 0 : rowEnd[row - 1];
        }

        void append(int end, int commands, int slot) {
            if (rows == rowEnd.length) {
                rowEnd = Arrays.copyOf(rowEnd, rows * 2);
                rowCommands = Arrays.copyOf(rowCommands, rows * 2);
                rowSlot = Arrays.copyOf(rowSlot, rows * 2);
            }
            rowEnd[rows] = end;
            rowCommands[rows] = commands;
            rowSlot[rows] = slot;
            rows++;
        }
    }

    /** The commands of one batch sent to one server, and which row each belongs to. */
    private static final class Sent {
        final RespConnection connection;
        int[] rowOfCommand = new int[64];
        int commands;

        Sent(RespConnection connection) {
            this.connection = connection;
        }

        void add(int row, int count) {
            if (commands + count > rowOfCommand.length) {
                rowOfCommand = Arrays.copyOf(rowOfCommand, rowOfCommand.length * 2 + count);
            }
            for (int i = 0; i < count; i++) {
                rowOfCommand[commands++] = row;
            }
        }
    }

    /**
     * Encodes the commands of {@code row} into {@code batch} (see docs/REDIS.md for every layout
     * and row kind); UPDATE_BEFORE is skipped. Nothing of a row that cannot be written (a NULL key
     * column, …) stays in the batch.
     */
    public void add(Batch batch, RowData row) {
        if (row.getRowKind() == RowKind.UPDATE_BEFORE) {
            return;
        }
        RespWriter w = batch.out;
        int size = w.size();
        int commands = w.commands();
        try {
            rowKey(row);
            encodeRow(w, row);
        } catch (RuntimeException e) {
            w.truncate(size, commands);
            throw e;
        }
        if (w.commands() == commands) {
            return; // e.g. a DELETE of a Pub/Sub row
        }
        boolean clustered = topology.mode() == RespTopology.Mode.CLUSTER;
        batch.append(w.size(), w.commands() - commands, clustered ? RespCluster.slot(keyBuf, 0, keyLen) : 0);
        if (!clustered && batch.sendAhead && w.size() - batch.sentBytes >= SEND_CHUNK_BYTES) {
            sendAhead(batch);
        }
    }

    /** Sends the rows encoded so far, so Redis executes them while the next ones are encoded. */
    private void sendAhead(Batch batch) {
        try {
            RespConnection c;
            if (batch.sentRows == 0) {
                c = connection();
                batch.sentTo = c;
                batch.sentGeneration = c.generation();
            } else if (batch.sentAheadTo(batch.sentTo)) {
                c = batch.sentTo;
            } else {
                batch.unsent();
                return;
            }
            int commands = batch.out.commands();
            c.send(batch.out.array(), batch.sentBytes, batch.out.size() - batch.sentBytes, commands - batch.sentCommands);
            batch.sentRows = batch.rows;
            batch.sentBytes = batch.out.size();
            batch.sentCommands = commands;
        } catch (RespException e) {
            failed(e);
            batch.unsent(); // write(Batch) sends everything again on a new connection
        }
    }

    /** Encodes and writes {@code rows} (see {@link #write(Batch)}). */
    public void write(List<RowData> rows) throws IOException {
        Batch batch = new Batch();
        for (RowData row : rows) {
            add(batch, row);
        }
        write(batch);
    }

    /**
     * Writes the batch, in order per key, and returns after every reply was read (so a completed
     * checkpoint never acknowledges an unwritten row); the batch is left as it was, for a retry.
     * In cluster mode each master gets its own pipeline; rows redirected with MOVED/ASK are written
     * again where Redis says. Upserts and deletes are idempotent; increments and list pushes are
     * applied again when a failed batch is retried (at-least-once).
     */
    public void write(Batch batch) throws IOException {
        int[] rows = new int[batch.rows];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = r;
        }
        Map<Integer, RespEndpoint> asks = Collections.emptyMap();
        try {
            for (int round = 0; rows.length > 0; round++) {
                Map<Integer, RespEndpoint> redirected = new LinkedHashMap<>();
                try {
                    writeRound(batch, rows, asks, redirected);
                } catch (RespException e) {
                    failed(e);
                    throw e;
                }
                if (redirected.isEmpty()) {
                    return;
                }
                if (round >= MAX_REDIRECTS) {
                    throw new RespException("Redis Cluster kept redirecting " + redirected.size() + " rows of " + schema.tableName()
                            + " after " + MAX_REDIRECTS + " rounds (slots migrating?)", true);
                }
                asks = new HashMap<>();
                boolean moved = false;
                for (Map.Entry<Integer, RespEndpoint> e : redirected.entrySet()) {
                    if (e.getValue() != null) {
                        asks.put(e.getKey(), e.getValue());
                    } else {
                        moved = true;
                    }
                }
                if (moved) {
                    refreshCluster();
                }
                rows = redirected.keySet().stream().mapToInt(Integer::intValue).toArray();
            }
        } finally {
            batch.unsent();
        }
    }

    /** Sends {@code rows} of the batch and reads every reply; redirected rows go to {@code redirected} (ASK target or null for MOVED). */
    private void writeRound(Batch batch, int[] rows, Map<Integer, RespEndpoint> asks, Map<Integer, RespEndpoint> redirected)
            throws RespException {
        List<Sent> order = new ArrayList<>();
        byte[] bytes = batch.out.array();
        if (topology.mode() != RespTopology.Mode.CLUSTER) {
            // every row, in one stream: what was sent ahead on this very connection is not sent again
            boolean ahead = batch.sentAheadTo(batch.sentTo);
            RespConnection c = ahead ? batch.sentTo : connection();
            int from = ahead ? batch.sentBytes : 0;
            int commands = ahead ? batch.sentCommands : 0;
            Sent s = new Sent(c);
            order.add(s);
            for (int r : rows) {
                s.add(r, batch.rowCommands[r]);
            }
            c.send(bytes, from, batch.out.size() - from, batch.out.commands() - commands);
        } else {
            Map<RespConnection, Sent> sends = new IdentityHashMap<>();
            Sent last = null;
            try {
                for (int r : rows) {
                    RespEndpoint ask = asks.get(r);
                    RespConnection c = ask != null ? nodeConnection(ask) : slotConnection(batch.rowSlot[r]);
                    Sent s = last != null && last.connection == c ? last : sends.get(c);
                    if (s == null) {
                        s = new Sent(c);
                        sends.put(c, s);
                        order.add(s);
                    }
                    last = s;
                    RespWriter w = c.writer();
                    int start = batch.start(r);
                    int end = batch.rowEnd[r];
                    if (ask == null) {
                        w.raw(bytes, start, end - start, batch.rowCommands[r]);
                        s.add(r, batch.rowCommands[r]);
                    } else {
                        // ASKING applies to the next command only: one before each command of the row
                        for (int at = start; at < end; ) {
                            int next = RespWriter.skipCommand(bytes, at);
                            w.command(1).encodedArg(ASKING);
                            w.raw(bytes, at, next - at, 1);
                            s.add(r, 2);
                            at = next;
                        }
                    }
                    if (w.size() >= SEND_CHUNK_BYTES) {
                        // send what is routed so far: the masters execute it while the rest is routed
                        c.flush();
                    }
                }
            } catch (RuntimeException e) {
                for (Sent s : order) {
                    s.connection.close(); // part of the batch may have been sent: its replies are not read, start afresh
                }
                throw e;
            }
            for (Sent s : order) {
                if (s.commands > 0) {
                    s.connection.flush();
                }
            }
        }
        RespException failure = null;
        int failed = 0;
        for (Sent s : order) {
            for (int i = 0; i < s.commands; i++) {
                // read every reply, even after an error, to keep the connection in sync
                RespError error = s.connection.readError();
                if (error == null) {
                    continue;
                }
                int r = s.rowOfCommand[i];
                if (RespCluster.isRedirect(error) && cluster != null) {
                    redirected.put(r, "ASK".equals(error.code()) ? cluster.redirectTarget(error) : null);
                    continue;
                }
                failed++;
                if (failure == null) {
                    failure = new RespException(serverError(s.connection, "write", RespWriter.argument(bytes, batch.start(r), 1), error),
                            "READONLY".equals(error.code()) || "CLUSTERDOWN".equals(error.code()) || "LOADING".equals(error.code()));
                }
            }
        }
        if (failure != null) {
            throw new RespException(
                    failure.getMessage() + (failed > 1 ? " (and " + (failed - 1) + " more errors in the batch)" : ""),
                    failure.isConnectionFailure());
        }
    }

    // ------------------------------------------------------------------------ exactly-once sink

    /**
     * Rows of one batch for one hash slot (cluster; 0 otherwise), as the RESP commands the
     * at-least-once sink would send, under an id unique to this batch: the committable of the
     * exactly-once sink, kept in Flink's checkpoint until {@link #commit} applied it.
     */
    public static final class Staged {
        public final String id;
        public final int slot;
        /** The encoded commands, back to back. */
        public final byte[] commands;

        public Staged(String id, int slot, byte[] commands) {
            this.id = id;
            this.slot = slot;
            this.commands = commands;
        }

        /** The marker key: in the batch's slot, so one script on one server writes both. */
        String marker() {
            return MARKER_PREFIX + "{" + RespCluster.hashTag(slot) + "}:" + id;
        }

        @Override
        public String toString() {
            return "batch " + id + " (slot " + slot + ", " + commands.length + " bytes)";
        }
    }

    /**
     * Splits {@code batch} into {@link Staged} batches of at most {@code maxRows} rows, one slot
     * each (keeping the order of rows per key), named {@code id + "-" + n}; clears {@code batch}.
     */
    public List<Staged> stage(Batch batch, String id, int maxRows) {
        Map<Integer, RespWriter> bySlot = new LinkedHashMap<>();
        Map<Integer, Integer> rowsOf = new HashMap<>();
        List<Staged> staged = new ArrayList<>();
        byte[] bytes = batch.out.array();
        for (int r = 0; r < batch.rows; r++) {
            int slot = batch.rowSlot[r];
            RespWriter w = bySlot.computeIfAbsent(slot, s -> new RespWriter(1024));
            int start = batch.start(r);
            w.raw(bytes, start, batch.rowEnd[r] - start, batch.rowCommands[r]);
            if (rowsOf.merge(slot, 1, Integer::sum) >= maxRows) {
                staged.add(new Staged(id + "-" + staged.size(), slot, Arrays.copyOf(w.array(), w.size())));
                w.reset();
                rowsOf.put(slot, 0);
            }
        }
        for (Map.Entry<Integer, RespWriter> e : bySlot.entrySet()) {
            if (!e.getValue().isEmpty()) {
                staged.add(new Staged(id + "-" + staged.size(), e.getKey(), Arrays.copyOf(e.getValue().array(), e.getValue().size())));
            }
        }
        batch.clear();
        return staged;
    }

    /**
     * Applies each staged batch once: one script per batch (see {@link #APPLY_ONCE}), pipelined
     * per server, each on the master of its slot in cluster mode (following MOVED/ASK). A batch
     * applied before — a commit replayed after a restore — is skipped, so a retry after any
     * failure is safe. Returns how many batches were applied now (the others had been).
     *
     * @throws IOException when Redis cannot be reached (retrying is safe), or a command of a batch
     *     failed (WRONGTYPE, …; the rest of that batch was applied and it is not applied again)
     */
    public int commit(List<Staged> staged) throws IOException {
        int applied = 0;
        List<Staged> todo = staged;
        Map<Staged, RespEndpoint> asks = new IdentityHashMap<>();
        for (int round = 0; !todo.isEmpty(); round++) {
            if (round > MAX_REDIRECTS) {
                throw new RespException("Redis Cluster kept redirecting " + todo.size() + " batches of " + schema.tableName()
                        + " after " + MAX_REDIRECTS + " rounds (slots migrating?)", true);
            }
            Map<RespConnection, List<Staged>> sends = new IdentityHashMap<>();
            List<RespConnection> order = new ArrayList<>();
            try {
                for (Staged s : todo) {
                    RespEndpoint ask = asks.get(s);
                    RespConnection c = ask != null ? nodeConnection(ask)
                            : topology.mode() == RespTopology.Mode.CLUSTER ? slotConnection(s.slot) : connection();
                    if (!sends.containsKey(c)) {
                        order.add(c);
                    }
                    sends.computeIfAbsent(c, k -> new ArrayList<>()).add(s);
                    if (ask != null) {
                        c.writer().command(1).encodedArg(ASKING);
                    }
                    // no flush before every batch is encoded: the next lookup of this connection
                    // (ensureOpen) would take its unread replies for a broken pipeline and reconnect
                    encodeApplyOnce(c.writer(), s);
                }
                for (RespConnection c : order) {
                    c.flush();
                }
            } catch (RespException e) {
                failed(e);
                for (RespConnection c : order) {
                    c.close(); // replies of what was sent are not read: start afresh (replays are skipped)
                }
                throw e;
            }
            List<Staged> redirected = new ArrayList<>();
            Map<Staged, RespEndpoint> nextAsks = new IdentityHashMap<>();
            boolean moved = false;
            String failure = null;
            boolean retryable = false;
            try {
                for (RespConnection c : order) {
                    for (Staged s : sends.get(c)) {
                        if (asks.containsKey(s)) {
                            c.readError(); // ASKING's +OK
                        }
                        Object reply = c.read();
                        if (reply instanceof RespError) {
                            RespError error = (RespError) reply;
                            if (RespCluster.isRedirect(error) && cluster != null) {
                                redirected.add(s);
                                if ("ASK".equals(error.code())) {
                                    nextAsks.put(s, cluster.redirectTarget(error));
                                } else {
                                    moved = true;
                                }
                            } else if (failure == null) {
                                failure = serverError(c, "the script applying " + s, null, error);
                                // nothing of the batch ran: a failover or load in progress passes, a retry is safe
                                retryable = Arrays.asList("READONLY", "CLUSTERDOWN", "LOADING", "BUSY", "TRYAGAIN", "MASTERDOWN").contains(error.code());
                            }
                            continue;
                        }
                        Object[] result = (Object[]) reply;
                        applied += ((Long) result[0]).intValue();
                        String status = new String((byte[]) result[1], StandardCharsets.UTF_8);
                        if (!"OK".equals(status) && failure == null) {
                            failure = "A command of " + s + " for " + schema.tableName() + " failed on Redis at " + c.endpoint().address()
                                    + " (the batch's other commands were applied, once): " + c.endpoint().redact(status);
                        }
                    }
                }
            } catch (RespException e) {
                failed(e);
                throw e;
            }
            if (failure != null) {
                throw new RespException(failure, retryable);
            }
            if (moved) {
                refreshCluster();
            }
            asks = nextAsks;
            todo = redirected;
        }
        return applied;
    }

    /** {@code EVAL APPLY_ONCE 1+n marker key… ttl (argc arg…)…} for the n commands of {@code s}. */
    private static void encodeApplyOnce(RespWriter w, Staged s) {
        byte[] b = s.commands;
        int commands = 0;
        int args = 0;
        for (int at = 0; at < b.length; at = RespWriter.skipCommand(b, at)) {
            commands++;
            args += RespWriter.argumentCount(b, at);
        }
        w.command(3 + 1 + commands + 1 + commands + args).encodedArg(EVAL).encodedArg(APPLY_ONCE).arg(1 + commands)
                .arg(s.marker().getBytes(StandardCharsets.UTF_8));
        for (int at = 0; at < b.length; at = RespWriter.skipCommand(b, at)) {
            w.arg(RespWriter.argument(b, at, 1)); // every command here names its key (or channel) first
        }
        w.arg(MARKER_TTL_SECONDS);
        for (int at = 0; at < b.length; ) {
            int next = RespWriter.skipCommand(b, at);
            int first = RespWriter.argumentsStart(b, at);
            w.arg(RespWriter.argumentCount(b, at));
            w.raw(b, first, next - first, 0); // the arguments as encoded: bulk strings already
            at = next;
        }
    }

    /** The connection of the master that serves {@code slot} (cluster mode). */
    private RespConnection slotConnection(int slot) throws RespException {
        if (clusterStale || cluster == null) {
            refreshCluster();
        }
        return nodeConnection(cluster.masterOf(slot));
    }

    /** The key of the row being encoded: {@link #rowKey} puts it here. */
    private RespWriter key(RespWriter w) {
        return w.arg(keyBuf, 0, keyLen);
    }

    /** Column {@code c} of {@code row}, not NULL, as a bulk string: integers straight from the row (no boxing, no array). */
    private RespWriter value(RespWriter w, RowData row, int c) {
        switch (kinds[c]) {
            case KIND_BIGINT:
                return w.arg(row.getLong(c));
            case KIND_INT:
                return w.arg(row.getInt(c));
            default:
                return w.arg(codecs[c].encode(getters[c].getFieldOrNull(row)));
        }
    }

    /** The commands of one row (see docs/REDIS.md for every layout and row kind). */
    private void encodeRow(RespWriter w, RowData row) {
        boolean delete = row.getRowKind() == RowKind.DELETE;
        if (increment) {
            encodeIncrement(w, row, delete);
            return;
        }
        switch (layout) {
            case STRING:
                if (delete) {
                    w.command(2).encodedArg(DEL).arg(keyBuf, 0, keyLen);
                } else {
                    writeString(w, row);
                }
                return;
            case HASH:
                if (fieldColumn >= 0) {
                    byte[] field = encoded(row, fieldColumn);
                    Object value = getters[valueFields[0]].getFieldOrNull(row);
                    if (delete || value == null) {
                        w.command(3).encodedArg(HDEL).arg(keyBuf, 0, keyLen).arg(field);
                    } else {
                        w.command(4).encodedArg(HSET).arg(keyBuf, 0, keyLen).arg(field).arg(codecs[valueFields[0]].encode(value));
                        expire(w, row);
                    }
                } else if (delete) {
                    w.command(2).encodedArg(DEL).arg(keyBuf, 0, keyLen);
                } else {
                    writeHash(w, row);
                }
                return;
            case LIST:
                {
                    byte[] element = encoded(row, valueFields[0]);
                    if (delete) {
                        w.command(4).encodedArg(LREM).arg(keyBuf, 0, keyLen).encodedArg(ONE).arg(element);
                    } else {
                        w.command(3).encodedArg(pushLeft ? LPUSH : RPUSH).arg(keyBuf, 0, keyLen).arg(element);
                        expire(w, row);
                    }
                    return;
                }
            case SET:
                {
                    byte[] member = encoded(row, valueFields[0]);
                    w.command(3).encodedArg(delete ? SREM : SADD).arg(keyBuf, 0, keyLen).arg(member);
                    if (!delete) {
                        expire(w, row);
                    }
                    return;
                }
            case ZSET:
                {
                    byte[] member = encoded(row, valueFields[0]);
                    Object score = getters[scoreColumn].getFieldOrNull(row);
                    if (delete || score == null) {
                        w.command(3).encodedArg(ZREM).arg(keyBuf, 0, keyLen).arg(member);
                    } else {
                        w.command(4).encodedArg(ZADD).arg(keyBuf, 0, keyLen).arg(codecs[scoreColumn].encode(score)).arg(member);
                        expire(w, row);
                    }
                    return;
                }
            case PUBSUB:
                if (!delete) {
                    w.command(3).encodedArg(PUBLISH).arg(keyBuf, 0, keyLen).arg(encoded(row, valueFields[0]));
                }
                return;
            default:
                throw new IllegalStateException(layout.name());
        }
    }

    /** INCRBY/INCRBYFLOAT, HINCRBY/HINCRBYFLOAT per column or field, ZINCRBY; a DELETE adds the negated value. */
    private void encodeIncrement(RespWriter w, RowData row, boolean negate) {
        int written = 0;
        if (layout == Layout.ZSET) {
            Object score = getters[scoreColumn].getFieldOrNull(row);
            if (score != null) {
                w.command(4).encodedArg(ZINCRBY).arg(keyBuf, 0, keyLen).arg(delta(scoreColumn, score, negate)).arg(encoded(row, valueFields[0]));
                written++;
            }
        } else if (layout == Layout.STRING) {
            Object v = getters[valueFields[0]].getFieldOrNull(row);
            if (v != null) {
                w.command(3).encodedArg(integral(valueFields[0]) ? INCRBY : INCRBYFLOAT).arg(keyBuf, 0, keyLen).arg(delta(valueFields[0], v, negate));
                written++;
            }
        } else if (fieldColumn >= 0) {
            Object v = getters[valueFields[0]].getFieldOrNull(row);
            if (v != null) {
                w.command(4).encodedArg(integral(valueFields[0]) ? HINCRBY : HINCRBYFLOAT).arg(keyBuf, 0, keyLen)
                        .arg(encoded(row, fieldColumn)).arg(delta(valueFields[0], v, negate));
                written++;
            }
        } else {
            for (int c : valueFields) {
                Object v = getters[c].getFieldOrNull(row);
                if (v != null) {
                    w.command(4).encodedArg(integral(c) ? HINCRBY : HINCRBYFLOAT).arg(keyBuf, 0, keyLen).arg(fieldNames[c]).arg(delta(c, v, negate));
                    written++;
                }
            }
        }
        if (written > 0 && !negate) {
            expire(w, row);
        }
    }

    /** The text of a numeric value, negated for a retraction. */
    private byte[] delta(int column, Object value, boolean negate) {
        if (!negate) {
            return codecs[column].encode(value);
        }
        switch (schema.fieldType(column).getTypeRoot()) {
            case TINYINT:
            case SMALLINT:
            case INTEGER:
            case BIGINT:
                return RedisCodec.ascii(-((Number) value).longValue());
            case DECIMAL:
                return ((DecimalData) value).toBigDecimal().negate().toPlainString().getBytes(StandardCharsets.US_ASCII);
            default:
                return Double.toString(-((Number) value).doubleValue()).getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** The encoded value of a column that must not be NULL here (a member, element or field). */
    private byte[] encoded(RowData row, int column) {
        Object value = getters[column].getFieldOrNull(row);
        if (value == null) {
            throw new IllegalArgumentException("Cannot write a row with a NULL '" + schema.fieldName(column) + "' to Redis table "
                    + schema.tableName() + " ('value.layout' = '" + layout.name().toLowerCase(Locale.ROOT) + "')");
        }
        return codecs[column].encode(value);
    }

    /** The row's TTL in seconds: its ttl METADATA column, else its 'ttl.column', when positive; else the table's 'ttl'; 0 = none. */
    private long ttlOf(RowData row) {
        if (ttlMetadata >= 0 && !row.isNullAt(ttlMetadata)) {
            long v = row.getLong(ttlMetadata);
            if (v > 0) {
                return v;
            }
        }
        if (ttlColumn >= 0 && !row.isNullAt(ttlColumn)) {
            long v = kinds[ttlColumn] == KIND_BIGINT ? row.getLong(ttlColumn)
                    : kinds[ttlColumn] == KIND_INT ? row.getInt(ttlColumn)
                    : ((Number) getters[ttlColumn].getFieldOrNull(row)).longValue();
            if (v > 0) {
                return v;
            }
        }
        return ttlSeconds;
    }

    /** EXPIRE after a write: every time ('refresh'), or only when the key has none yet ('on-create': EXPIRE … NX). */
    private void expire(RespWriter w, RowData row) {
        long ttl = ttlOf(row);
        if (ttl <= 0) {
            return;
        }
        if (ttlOnCreate) {
            w.command(4).encodedArg(EXPIRE).arg(keyBuf, 0, keyLen).arg(ttl).encodedArg(NX);
        } else {
            w.command(3).encodedArg(EXPIRE).arg(keyBuf, 0, keyLen).arg(ttl);
        }
    }

    private void writeHash(RespWriter w, RowData row) {
        int nonNull = 0;
        int nulls = 0;
        for (int v : valueFields) {
            if (row.isNullAt(v)) {
                nulls++;
            } else {
                nonNull++;
            }
        }
        if (nonNull == 0) {
            w.command(4).encodedArg(HSET).arg(keyBuf, 0, keyLen).arg(PRESENCE_FIELD).arg(EMPTY);
        } else {
            w.command(2 + 2 * nonNull).encodedArg(HSET).arg(keyBuf, 0, keyLen);
            for (int v : valueFields) {
                if (!row.isNullAt(v)) {
                    value(w.arg(fieldNames[v]), row, v);
                }
            }
        }
        if (nulls > 0) {
            w.command(2 + nulls).encodedArg(HDEL).arg(keyBuf, 0, keyLen);
            for (int v : valueFields) {
                if (row.isNullAt(v)) {
                    w.arg(fieldNames[v]);
                }
            }
        }
        expire(w, row);
    }

    private void writeString(RespWriter w, RowData row) {
        if (valueFields.length > 0 && row.isNullAt(valueFields[0])) {
            key(w.command(2).encodedArg(DEL));
            return;
        }
        long ttl = ttlOf(row);
        int argc = ttlOnCreate ? 4 : ttl > 0 ? 5 : 3;
        key(w.command(argc).encodedArg(SET));
        if (valueFields.length == 0) {
            w.arg(EMPTY);
        } else {
            value(w, row, valueFields[0]);
        }
        if (ttlOnCreate) {
            // KEEPTTL: an overwrite keeps the expiry the key got when it was created
            w.encodedArg(KEEPTTL);
            expire(w, row);
        } else if (ttl > 0) {
            w.encodedArg(EX).arg(ttl);
        }
    }

    // ------------------------------------------------------------------------------ keys and values

    /** Encodes the key of {@code row} (prefix, key columns joined by the separator) into keyBuf[0, keyLen). */
    private void rowKey(RowData row) {
        keyLen = 0;
        keyBytes(keyPrefix, keyPrefix.length);
        for (int k = 0; k < keyFields.length; k++) {
            int f = keyFields[k];
            if (row.isNullAt(f)) {
                throw new IllegalArgumentException(
                        "Cannot write a row with a NULL key column '" + schema.fieldName(f) + "' to Redis table "
                                + schema.tableName());
            }
            if (k > 0) {
                keyBytes(keySeparator, keySeparator.length);
            }
            if (kinds[f] == KIND_BIGINT || kinds[f] == KIND_INT) {
                if (keyBuf.length - keyLen < 20) {
                    keyBuf = Arrays.copyOf(keyBuf, keyBuf.length * 2 + 20);
                }
                keyLen = RespWriter.writeLong(keyBuf, keyLen, kinds[f] == KIND_BIGINT ? row.getLong(f) : row.getInt(f));
            } else {
                byte[] part = codecs[f].encode(getters[f].getFieldOrNull(row));
                keyBytes(part, part.length);
            }
        }
    }

    private void keyBytes(byte[] bytes, int length) {
        if (keyBuf.length - keyLen < length) {
            keyBuf = Arrays.copyOf(keyBuf, Math.max(keyBuf.length * 2, keyLen + length));
        }
        System.arraycopy(bytes, 0, keyBuf, keyLen, length);
        keyLen += length;
    }

    private byte[] joinKey(byte[][] parts) {
        if (parts.length == 1 && keyPrefix.length == 0) {
            return parts[0];
        }
        int len = keyPrefix.length + keySeparator.length * (parts.length - 1);
        for (byte[] p : parts) {
            len += p.length;
        }
        byte[] key = new byte[len];
        int pos = 0;
        System.arraycopy(keyPrefix, 0, key, pos, keyPrefix.length);
        pos += keyPrefix.length;
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                System.arraycopy(keySeparator, 0, key, pos, keySeparator.length);
                pos += keySeparator.length;
            }
            System.arraycopy(parts[i], 0, key, pos, parts[i].length);
            pos += parts[i].length;
        }
        return key;
    }

    /**
     * The key columns' bytes of a scanned key: after the prefix, split at the first {@code n - 1}
     * separators (the last column may contain the separator). Null when the key is not one of ours.
     */
    @Nullable
    private byte[][] splitKey(byte[] key) {
        if (!startsWith(key, 0, keyPrefix)) {
            return null;
        }
        byte[][] parts = new byte[keyFields.length][];
        int start = keyPrefix.length;
        for (int k = 0; k < keyFields.length - 1; k++) {
            int at = indexOf(key, start, keySeparator);
            if (at < 0) {
                return null;
            }
            parts[k] = Arrays.copyOfRange(key, start, at);
            start = at + keySeparator.length;
        }
        parts[keyFields.length - 1] = Arrays.copyOfRange(key, start, key.length);
        return parts;
    }

    private static boolean startsWith(byte[] a, int from, byte[] prefix) {
        if (a.length - from < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (a[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] a, int from, byte[] needle) {
        for (int i = from; i + needle.length <= a.length; i++) {
            if (startsWith(a, i, needle)) {
                return i;
            }
        }
        return -1;
    }

    /** HMGET of the value fields (and the presence field), or GET. */
    private void writeRead(RespWriter w, byte[] key) {
        if (layout == Layout.HASH) {
            w.command(3 + valueFields.length).encodedArg(HMGET).arg(key);
            for (int v : valueFields) {
                w.arg(fieldNames[v]);
            }
            w.arg(PRESENCE_FIELD);
        } else {
            w.command(2).encodedArg(GET).arg(key);
        }
    }

    /** A row holding only the decoded key columns; null when they do not decode and {@code scanning}. */
    @Nullable
    private GenericRowData keyRow(byte[] key, byte[][] keyParts, boolean scanning) throws RespException {
        GenericRowData row = new GenericRowData(RowKind.INSERT, schema.fieldCount());
        for (int k = 0; k < keyFields.length; k++) {
            try {
                row.setField(keyFields[k], codecs[keyFields[k]].decode(keyParts[k]));
            } catch (RuntimeException e) {
                if (scanning) {
                    return null;
                }
                throw decodeError(key, keyFields[k], e);
            }
        }
        return row;
    }

    /**
     * The row stored under {@code key}, from the reply of {@link #writeRead}; null when there is
     * none. With {@code scanning}, a key that does not decode as the key columns is no row either.
     */
    @Nullable
    private GenericRowData decodeRow(byte[] key, byte[][] keyParts, Object reply, boolean scanning)
            throws RespException {
        GenericRowData row = keyRow(key, keyParts, scanning);
        if (row == null) {
            return null;
        }
        if (layout == Layout.HASH) {
            Object[] values = (Object[]) reply;
            boolean present = false;
            for (Object v : values) {
                present |= v != null;
            }
            if (!present) {
                return null;
            }
            for (int i = 0; i < valueFields.length; i++) {
                row.setField(valueFields[i], decodeValue(key, valueFields[i], (byte[]) values[i]));
            }
        } else {
            if (reply == null) {
                return null;
            }
            if (valueFields.length == 1) {
                row.setField(valueFields[0], decodeValue(key, valueFields[0], (byte[]) reply));
            }
        }
        return row;
    }

    @Nullable
    private Object decodeValue(byte[] key, int column, @Nullable byte[] bytes) throws RespException {
        if (bytes == null) {
            return null;
        }
        try {
            return codecs[column].decode(bytes);
        } catch (RuntimeException e) {
            throw decodeError(key, column, e);
        }
    }

    private RespException decodeError(byte[] key, int column, RuntimeException e) {
        return new RespException(
                "Redis key '" + printable(key) + "' of table " + schema.tableName() + " holds a value for column '"
                        + schema.fieldName(column) + "' that is not a " + schema.fieldType(column).asSummaryString()
                        + ": " + e.getMessage(),
                false,
                e);
    }

    private String serverError(RespConnection c, String command, @Nullable byte[] key, RespError error) {
        return serverError(c.endpoint().address(), command, key, error);
    }

    private String serverError(String server, String command, @Nullable byte[] key, RespError error) {
        return "Redis at " + server + " rejected " + command
                + (key == null ? "" : " of key '" + printable(key) + "'") + " (table " + schema.tableName() + "): "
                + topology.template().redact(error.message());
    }

    /** A key for messages: UTF-8, cut at 100 characters. */
    private static String printable(byte[] key) {
        String s = new String(key, StandardCharsets.UTF_8);
        return s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }
}
