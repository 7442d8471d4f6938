// Owned: created by cargo-flink-connector, yours to edit; `cargo flink-connector generate` never rewrites it.
package org.example.flink.connector.redis;

import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.types.RowKind;
import org.example.flink.connector.redis.resp.RespConnection;
import org.example.flink.connector.redis.resp.RespEndpoint;
import org.example.flink.connector.redis.resp.RespError;
import org.example.flink.connector.redis.resp.RespException;
import org.example.flink.connector.redis.resp.RespPipeline;
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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The Redis side of the connector: every other class calls only the public methods here.
 *
 * <h2>Data model</h2>
 *
 * A row is stored under the key {@code key.prefix + k1 [+ key.separator + k2 …]}, the encoded key
 * columns (the primary key, else the first column; see {@link RedisCodec} for the encoding of
 * every type). The other columns, the <i>value columns</i>, are stored according to {@code
 * value.layout}:
 *
 * <ul>
 *   <li>{@code hash} (default): a hash with one field per value column, named like the column.
 *       A NULL value is an absent field. A row whose value columns are all NULL (or a table
 *       without value columns) is a hash holding only the empty-named field {@code ""}, so the
 *       key still exists. Fields that are not columns are ignored when reading.
 *   <li>{@code string}: the single value column is the string value (a table without value
 *       columns stores the empty string). Redis has no NULL string, so writing a NULL value
 *       deletes the key: the row then reads as absent.
 * </ul>
 *
 * <h2>Operations</h2>
 *
 * <ul>
 *   <li>{@link #write}: INSERT and UPDATE_AFTER upsert ({@code HSET} of the non-NULL fields,
 *       {@code HDEL} of the NULL ones, or {@code SET}; then {@code EXPIRE}/{@code SET … EX} when
 *       {@code ttl} > 0), DELETE is {@code DEL}, UPDATE_BEFORE is ignored. The batch is sent as
 *       one pipeline and the call returns after every reply has been read and checked.
 *   <li>{@link #readPage}: one {@code SCAN cursor MATCH pattern COUNT n TYPE hash|string}, then
 *       the found keys' values in one pipeline ({@code HMGET}/{@code GET}). Keys that expired in
 *       between, hashes without any of the table's fields, keys of another type and keys that do
 *       not decode as the key columns are not rows of this table and are skipped.
 *   <li>{@link #lookup}: one {@code HMGET}/{@code GET} on a blocking connection; {@link
 *       #lookupAsync}: the same on a pipelined connection shared by all requests in flight.
 * </ul>
 *
 * <p>Failures are {@link RespException}s naming {@code host:port}; the password never appears in
 * messages or logs. After a connection failure the next call reconnects.
 */
public class RedisClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisClient.class);

    /** The field that keeps a hash alive when all value columns are NULL. */
    private static final byte[] PRESENCE_FIELD = new byte[0];

    private static final byte[] EMPTY = new byte[0];

    private static final byte[] SET = RespWriter.encodeArg("SET");
    private static final byte[] EX = RespWriter.encodeArg("EX");
    private static final byte[] GET = RespWriter.encodeArg("GET");
    private static final byte[] DEL = RespWriter.encodeArg("DEL");
    private static final byte[] HSET = RespWriter.encodeArg("HSET");
    private static final byte[] HDEL = RespWriter.encodeArg("HDEL");
    private static final byte[] HMGET = RespWriter.encodeArg("HMGET");
    private static final byte[] EXPIRE = RespWriter.encodeArg("EXPIRE");

    /** A pipeline is sent in chunks of about this size, so Redis works while the rest is encoded. */
    private static final int SEND_CHUNK_BYTES = 32 * 1024;

    enum Layout {
        HASH,
        STRING
    }

    private final RedisSchema schema;
    private final RespEndpoint endpoint;
    private final Layout layout;
    private final byte[] keyPrefix;
    private final byte[] keySeparator;
    private final int ttlSeconds;
    private final String scanPattern;
    private final int scanCount;

    private final int[] keyFields;
    private final int[] valueFields;
    /** By column index. */
    private final RedisCodec.FieldCodec[] codecs;
    /** By column index: the column name as a hash field name. */
    private final byte[][] fieldNames;
    private final RowData.FieldGetter[] getters;

    private RespConnection connection;
    private RespPipeline pipeline; // guarded by this
    private boolean closed; // guarded by this
    private boolean scanSupportsType = true;
    /** Lookups may come from the task thread and a retry timer: fields they share are volatile. */
    private volatile KeyGetters keyGetters;

    /** Reads and checks the options; does not connect. */
    public RedisClient(RedisSchema schema, ReadableConfig options) {
        this.schema = schema;
        Integer port = options.get(RedisOptions.PORT);
        Integer database = options.get(RedisOptions.DATABASE);
        this.endpoint =
                new RespEndpoint(
                        options.get(RedisOptions.HOSTNAME),
                        port == null ? 6379 : port,
                        options.get(RedisOptions.USERNAME),
                        options.get(RedisOptions.PASSWORD),
                        database == null ? 0 : database,
                        Boolean.TRUE.equals(options.get(RedisOptions.SSL)),
                        millis(options.get(RedisOptions.CONNECT_TIMEOUT)),
                        millis(options.get(RedisOptions.READ_TIMEOUT)));
        String layoutName = String.valueOf(options.get(RedisOptions.VALUE_LAYOUT)).trim().toUpperCase(Locale.ROOT);
        try {
            this.layout = Layout.valueOf(layoutName);
        } catch (IllegalArgumentException e) {
            throw new ValidationException(
                    "'" + RedisOptions.VALUE_LAYOUT.key() + "' of " + schema.tableName() + " must be 'hash' or 'string', not '"
                            + options.get(RedisOptions.VALUE_LAYOUT) + "'");
        }
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
        this.keyFields = schema.keyFields();
        boolean[] isKey = new boolean[n];
        for (int k : keyFields) {
            isKey[k] = true;
        }
        if (keyFields.length > 1 && keySeparator.length == 0) {
            throw new ValidationException(
                    "'" + RedisOptions.KEY_SEPARATOR.key() + "' must not be empty: " + schema.tableName() + " has a composite key");
        }
        List<Integer> values = new ArrayList<>();
        this.codecs = new RedisCodec.FieldCodec[n];
        this.fieldNames = new byte[n][];
        this.getters = new RowData.FieldGetter[n];
        for (int i = 0; i < n; i++) {
            LogicalType type = schema.fieldType(i);
            codecs[i] = RedisCodec.forType(type, schema.fieldName(i));
            fieldNames[i] = schema.fieldName(i).getBytes(StandardCharsets.UTF_8);
            getters[i] = RowData.createFieldGetter(type, i);
            if (!isKey[i]) {
                values.add(i);
            }
        }
        this.valueFields = values.stream().mapToInt(Integer::intValue).toArray();
        if (layout == Layout.STRING && valueFields.length > 1) {
            List<String> names = new ArrayList<>();
            for (int v : valueFields) {
                names.add(schema.fieldName(v));
            }
            throw new ValidationException(
                    "'" + RedisOptions.VALUE_LAYOUT.key() + "' = 'string' stores one value column, but "
                            + schema.tableName() + " has " + valueFields.length + " besides the key: " + names
                            + ". Use 'hash' (one hash field per column) or declare a PRIMARY KEY.");
        }
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

    /** Connects and authenticates (AUTH user password, SELECT database, PING). */
    public void open() throws IOException {
        synchronized (this) {
            closed = false;
        }
        if (connection == null) {
            connection = new RespConnection(endpoint);
        }
        connection.open();
        LOG.debug("Connected to {} for {}", endpoint, schema.tableName());
    }

    @Override
    public void close() throws IOException {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        RespPipeline p;
        synchronized (this) {
            closed = true;
            p = pipeline;
            pipeline = null;
        }
        if (p != null) {
            p.close();
        }
    }

    private RespConnection connection() throws RespException {
        if (connection == null) {
            connection = new RespConnection(endpoint);
        }
        connection.ensureOpen();
        return connection;
    }

    // ---------------------------------------------------------------------------------------- scan

    /** One split per server (a standalone Redis is one server); its cursor is the SCAN cursor. */
    public List<RedisSplit> listSplits() throws IOException {
        return Collections.singletonList(RedisSplit.of(endpoint.address() + "/" + endpoint.database()));
    }

    /** The rows of the keys one SCAN step finds; {@code nextCursor} is null after the last step. */
    public Page readPage(RedisSplit split) throws IOException {
        try {
            return readPageOnce(split);
        } catch (RespException e) {
            if (!e.isConnectionFailure()) {
                throw e;
            }
            // e.g. an idle connection closed by the server's 'timeout': reading is idempotent
            // (a SCAN cursor is valid on any connection), so reconnect and try once more
            LOG.info("Reading {} failed ({}); reconnecting once", schema.tableName(), e.getMessage());
            return readPageOnce(split);
        }
    }

    private Page readPageOnce(RedisSplit split) throws IOException {
        String cursor = split.cursor() == null ? "0" : split.cursor();
        RespConnection c = connection();
        Object reply = scan(c, cursor, scanSupportsType);
        if (reply instanceof RespError && scanSupportsType) {
            // Redis < 6 has no SCAN ... TYPE: fall back to skipping keys of the wrong type
            LOG.info("{} does not support SCAN ... TYPE ({}); filtering key types client-side", endpoint, reply);
            scanSupportsType = false;
            reply = scan(c, cursor, false);
        }
        if (reply instanceof RespError) {
            throw new RespException(serverError("SCAN", null, (RespError) reply), false);
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
            writeRead(w, key);
        }
        c.flush();
        List<RowData> rows = new ArrayList<>(keysToRead.size());
        RespException failure = null;
        for (int i = 0; i < keysToRead.size(); i++) {
            Object value = c.read();
            if (value instanceof RespError) {
                if (!((RespError) value).code().equals("WRONGTYPE") && failure == null) {
                    failure = new RespException(serverError(readCommand(), keysToRead.get(i), (RespError) value), false);
                }
                continue;
            }
            if (failure != null) {
                continue;
            }
            GenericRowData row = decodeRow(keysToRead.get(i), keyParts.get(i), value, true);
            if (row != null) {
                rows.add(row);
            }
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
            w.arg("TYPE").arg(layout == Layout.HASH ? "hash" : "string");
        }
        c.flush();
        return c.read();
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
        RespConnection c = connection();
        writeRead(c.writer(), key);
        c.flush();
        return toResult(lookupKeys, keyRow, key, parts, c.read());
    }

    /** {@link #lookup} on a pipelined connection: any number of calls may be in flight. */
    public CompletableFuture<Collection<RowData>> lookupAsync(int[] lookupKeys, RowData keyRow) {
        byte[][] parts;
        try {
            parts = lookupKeyParts(lookupKeys, keyRow);
        } catch (RuntimeException e) {
            CompletableFuture<Collection<RowData>> failed = new CompletableFuture<>();
            failed.completeExceptionally(e);
            return failed;
        }
        if (parts == null) {
            return CompletableFuture.completedFuture(Collections.<RowData>emptyList());
        }
        byte[] key = joinKey(parts);
        RespPipeline p = pipeline();
        if (p == null) {
            CompletableFuture<Collection<RowData>> closed = new CompletableFuture<>();
            closed.completeExceptionally(new RespException("The Redis client of " + schema.tableName() + " is closed", false));
            return closed;
        }
        return p.send(w -> writeRead(w, key))
                .thenApply(reply -> {
                    try {
                        return toResult(lookupKeys, keyRow, key, parts, reply);
                    } catch (RespException e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });
    }

    /** The pipelined connection of async lookups, created on first use; null once closed. */
    @Nullable
    private synchronized RespPipeline pipeline() {
        if (closed) {
            return null;
        }
        if (pipeline == null) {
            pipeline = new RespPipeline(endpoint, "redis-lookup-" + schema.tableName());
        }
        return pipeline;
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

    /** Getters of the key columns from a lookup's key row (cached: a function always passes the same keys). */
    private RowData.FieldGetter[] lookupKeyGetters(int[] lookupKeys) {
        KeyGetters cached = keyGetters;
        if (cached == null || cached.lookupKeys != lookupKeys) {
            RowData.FieldGetter[] getters = new RowData.FieldGetter[keyFields.length];
            for (int k = 0; k < keyFields.length; k++) {
                getters[k] = RowData.createFieldGetter(schema.fieldType(keyFields[k]), indexOf(lookupKeys, keyFields[k]));
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

    private Collection<RowData> toResult(int[] lookupKeys, RowData keyRow, byte[] key, byte[][] parts, Object reply)
            throws RespException {
        if (reply instanceof RespError) {
            throw new RespException(serverError(readCommand(), key, (RespError) reply), false);
        }
        GenericRowData row = decodeRow(key, parts, reply, false);
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
     * Writes the batch as one pipeline, in order, and returns after every reply was read: INSERT and
     * UPDATE_AFTER upsert, DELETE deletes, UPDATE_BEFORE is skipped. Idempotent, so a failed batch
     * can be written again.
     */
    public void write(List<RowData> batch) throws IOException {
        RespConnection c = connection();
        RespWriter w = c.writer();
        // which row each command belongs to, to name the key if Redis rejects one
        int[] rowOfCommand = new int[Math.max(16, batch.size() * 3)];
        int commands = 0;
        boolean sent = false;
        try {
            for (int r = 0; r < batch.size(); r++) {
                RowData row = batch.get(r);
                RowKind kind = row.getRowKind();
                if (kind == RowKind.UPDATE_BEFORE) {
                    continue;
                }
                int before = w.commands();
                byte[] key = rowKey(row);
                if (kind == RowKind.DELETE) {
                    w.command(2).encodedArg(DEL).arg(key);
                } else if (layout == Layout.HASH) {
                    writeHash(w, key, row);
                } else {
                    writeString(w, key, row);
                }
                int added = w.commands() - before;
                if (w.size() >= SEND_CHUNK_BYTES) {
                    // send what is encoded so far: Redis executes it while the rest is encoded
                    c.flush();
                    sent = true;
                }
                if (commands + added > rowOfCommand.length) {
                    rowOfCommand = Arrays.copyOf(rowOfCommand, rowOfCommand.length * 2 + added);
                }
                for (int i = 0; i < added; i++) {
                    rowOfCommand[commands++] = r;
                }
            }
        } catch (RuntimeException e) {
            if (sent) {
                c.close(); // part of the batch was sent: its replies are not read, start afresh
            }
            w.reset();
            throw e;
        }
        if (commands == 0) {
            return;
        }
        c.flush();
        RespException failure = null;
        int failed = 0;
        for (int i = 0; i < commands; i++) {
            RespError error = c.readError(); // read every reply, even after an error, to keep the connection in sync
            if (error != null) {
                failed++;
                if (failure == null) {
                    byte[] key = rowKey(batch.get(rowOfCommand[i]));
                    failure = new RespException(serverError("write", key, error), false);
                }
            }
        }
        if (failure != null) {
            throw new RespException(
                    failure.getMessage() + (failed > 1 ? " (and " + (failed - 1) + " more errors in the batch)" : ""), false);
        }
    }

    private void writeHash(RespWriter w, byte[] key, RowData row) {
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
            w.command(4).encodedArg(HSET).arg(key).arg(PRESENCE_FIELD).arg(EMPTY);
        } else {
            w.command(2 + 2 * nonNull).encodedArg(HSET).arg(key);
            for (int v : valueFields) {
                Object value = getters[v].getFieldOrNull(row);
                if (value != null) {
                    w.arg(fieldNames[v]).arg(codecs[v].encode(value));
                }
            }
        }
        if (nulls > 0) {
            w.command(2 + nulls).encodedArg(HDEL).arg(key);
            for (int v : valueFields) {
                if (row.isNullAt(v)) {
                    w.arg(fieldNames[v]);
                }
            }
        }
        if (ttlSeconds > 0) {
            w.command(3).encodedArg(EXPIRE).arg(key).arg(ttlSeconds);
        }
    }

    private void writeString(RespWriter w, byte[] key, RowData row) {
        byte[] value;
        if (valueFields.length == 0) {
            value = EMPTY;
        } else {
            Object v = getters[valueFields[0]].getFieldOrNull(row);
            if (v == null) {
                w.command(2).encodedArg(DEL).arg(key);
                return;
            }
            value = codecs[valueFields[0]].encode(v);
        }
        if (ttlSeconds > 0) {
            w.command(5).encodedArg(SET).arg(key).arg(value).encodedArg(EX).arg(ttlSeconds);
        } else {
            w.command(3).encodedArg(SET).arg(key).arg(value);
        }
    }

    // ------------------------------------------------------------------------------ keys and values

    private byte[] rowKey(RowData row) {
        byte[][] parts = new byte[keyFields.length][];
        for (int k = 0; k < keyFields.length; k++) {
            Object value = getters[keyFields[k]].getFieldOrNull(row);
            if (value == null) {
                throw new IllegalArgumentException(
                        "Cannot write a row with a NULL key column '" + schema.fieldName(keyFields[k]) + "' to Redis table "
                                + schema.tableName());
            }
            parts[k] = codecs[keyFields[k]].encode(value);
        }
        return joinKey(parts);
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

    private String readCommand() {
        return layout == Layout.HASH ? "HMGET" : "GET";
    }

    /**
     * The row stored under {@code key}, from the reply of {@link #writeRead}; null when there is
     * none. With {@code scanning}, a key that does not decode as the key columns is no row either.
     */
    @Nullable
    private GenericRowData decodeRow(byte[] key, byte[][] keyParts, Object reply, boolean scanning)
            throws RespException {
        GenericRowData row = new GenericRowData(RowKind.INSERT, schema.fieldCount());
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

    private String serverError(String command, @Nullable byte[] key, RespError error) {
        return "Redis at " + endpoint.address() + " rejected " + command
                + (key == null ? "" : " of key '" + printable(key) + "'") + " (table " + schema.tableName() + "): "
                + endpoint.redact(error.message());
    }

    /** A key for messages: UTF-8, cut at 100 characters. */
    private static String printable(byte[] key) {
        String s = new String(key, StandardCharsets.UTF_8);
        return s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }
}
