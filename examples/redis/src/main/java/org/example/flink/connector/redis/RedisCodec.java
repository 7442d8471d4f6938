// Owned: created by cargo-flink-connector, yours to edit; `cargo flink-connector generate` never rewrites it.
package org.example.flink.connector.redis;

import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.MultisetType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.IntType;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How SQL values become Redis strings and back. Every value is stored as text that {@code
 * redis-cli} shows readably, except binary strings, which are stored as their raw bytes.
 *
 * <table border="1">
 *   <caption>Encoding of one value (a key part, a hash field's value, or a string value)</caption>
 *   <tr><th>SQL type</th><th>Redis bytes</th><th>example</th></tr>
 *   <tr><td>CHAR, VARCHAR, STRING</td><td>UTF-8, as is</td><td>{@code Alice}</td></tr>
 *   <tr><td>BOOLEAN</td><td>{@code true} / {@code false} (reads also 1/0, any case)</td><td>{@code true}</td></tr>
 *   <tr><td>TINYINT, SMALLINT, INT, BIGINT</td><td>decimal</td><td>{@code -42}</td></tr>
 *   <tr><td>FLOAT, DOUBLE</td><td>Java's shortest round-trip decimal; {@code NaN}, {@code Infinity}, {@code -Infinity}</td><td>{@code 1.5E-7}</td></tr>
 *   <tr><td>DECIMAL(p, s)</td><td>plain decimal, no exponent</td><td>{@code 12.30}</td></tr>
 *   <tr><td>DATE</td><td>ISO-8601 {@code yyyy-MM-dd}</td><td>{@code 2024-02-29}</td></tr>
 *   <tr><td>TIME(p)</td><td>ISO-8601 {@code HH:mm[:ss[.SSS]]} (Flink keeps milliseconds)</td><td>{@code 10:15:30.5}</td></tr>
 *   <tr><td>TIMESTAMP(p)</td><td>ISO-8601 local date-time (reads also a space for {@code T})</td><td>{@code 2024-02-29T10:15:30.123456}</td></tr>
 *   <tr><td>TIMESTAMP_LTZ(p)</td><td>ISO-8601 instant in UTC</td><td>{@code 2024-02-29T09:15:30Z}</td></tr>
 *   <tr><td>INTERVAL YEAR TO MONTH / DAY TO SECOND</td><td>decimal months / milliseconds</td><td>{@code 14}</td></tr>
 *   <tr><td>BINARY, VARBINARY, BYTES</td><td>the raw bytes</td><td></td></tr>
 *   <tr><td>ARRAY</td><td>JSON array</td><td>{@code [1,null,3]}</td></tr>
 *   <tr><td>MAP with a character-string key</td><td>JSON object</td><td>{@code {"a":1}}</td></tr>
 *   <tr><td>other MAP, MULTISET (element → count)</td><td>JSON array of [key, value] pairs</td><td>{@code [[1,"x"]]}</td></tr>
 *   <tr><td>ROW</td><td>JSON object by field name</td><td>{@code {"city":"Oslo","zip":null}}</td></tr>
 * </table>
 *
 * <p>Inside JSON, values use the same text as above as JSON strings (dates, times, timestamps, and
 * {@code NaN}/infinities) or JSON numbers/booleans; binary values are Base64 strings; SQL NULL is
 * JSON {@code null}. Other types (RAW, STRUCTURED, TIMESTAMP WITH TIME ZONE, VARIANT, …) are
 * rejected when the table is used.
 *
 * <p><b>NULL at the top level</b> cannot be a Redis value; {@link RedisClient} represents it by
 * absence: a hash field that is not there, or (layout {@code string}) no key at all. Key columns
 * must not be NULL.
 */
public final class RedisCodec {

    /** Encodes and decodes the values of one SQL type. */
    public interface FieldCodec {
        /** {@code value} is Flink's internal representation and never null. */
        byte[] encode(Object value);

        /** The internal representation of {@code bytes}; throws IllegalArgumentException when it is not one. */
        Object decode(byte[] bytes);
    }

    private RedisCodec() {}

    /**
     * The codec of {@code type}; a {@link ValidationException} naming {@code column} when the type
     * cannot be stored.
     */
    public static FieldCodec forType(LogicalType type, String column) {
        checkSupported(type, column);
        switch (type.getTypeRoot()) {
            case CHAR:
            case VARCHAR:
                return new FieldCodec() {
                    @Override
                    public byte[] encode(Object value) {
                        return ((StringData) value).toBytes();
                    }

                    @Override
                    public Object decode(byte[] bytes) {
                        return StringData.fromBytes(bytes);
                    }
                };
            case BINARY:
            case VARBINARY:
                return new FieldCodec() {
                    @Override
                    public byte[] encode(Object value) {
                        return (byte[]) value;
                    }

                    @Override
                    public Object decode(byte[] bytes) {
                        return bytes;
                    }
                };
            case INTEGER:
                return new FieldCodec() {
                    @Override
                    public byte[] encode(Object value) {
                        return ascii((Integer) value);
                    }

                    @Override
                    public Object decode(byte[] bytes) {
                        long v = parseLong(bytes);
                        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                            throw new IllegalArgumentException("out of range of INT");
                        }
                        return (int) v;
                    }
                };
            case BIGINT:
                return new FieldCodec() {
                    @Override
                    public byte[] encode(Object value) {
                        return ascii((Long) value);
                    }

                    @Override
                    public Object decode(byte[] bytes) {
                        return parseLong(bytes);
                    }
                };
            default:
                return new TextCodec(type);
        }
    }

    /** Throws a {@link ValidationException} when {@code type} (or a nested type) cannot be stored. */
    public static void checkSupported(LogicalType type, String column) {
        switch (type.getTypeRoot()) {
            case CHAR:
            case VARCHAR:
            case BOOLEAN:
            case BINARY:
            case VARBINARY:
            case DECIMAL:
            case TINYINT:
            case SMALLINT:
            case INTEGER:
            case BIGINT:
            case FLOAT:
            case DOUBLE:
            case DATE:
            case TIME_WITHOUT_TIME_ZONE:
            case TIMESTAMP_WITHOUT_TIME_ZONE:
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
            case INTERVAL_YEAR_MONTH:
            case INTERVAL_DAY_TIME:
                return;
            case ARRAY:
            case MULTISET:
            case MAP:
            case ROW:
                for (LogicalType child : type.getChildren()) {
                    checkSupported(child, column);
                }
                return;
            default:
                throw new ValidationException(
                        "Column '"
                                + column
                                + "' has type "
                                + type.asSummaryString()
                                + ", which the Redis connector cannot store (see docs/REDIS.md for the"
                                + " supported types)");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // text form of scalars, JSON for nested types

    /** Any supported type through its text form; scalars other than binary/ints take this path. */
    private static final class TextCodec implements FieldCodec {
        private final LogicalType type;

        TextCodec(LogicalType type) {
            this.type = type;
        }

        @Override
        public byte[] encode(Object value) {
            if (isNested(type)) {
                StringBuilder sb = new StringBuilder();
                writeJson(sb, value, type);
                return sb.toString().getBytes(StandardCharsets.UTF_8);
            }
            return scalarText(value, type).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public Object decode(byte[] bytes) {
            String text = new String(bytes, StandardCharsets.UTF_8);
            if (isNested(type)) {
                return fromJson(new JsonParser(text).parseDocument(), type);
            }
            return parseScalar(text, type);
        }
    }

    private static boolean isNested(LogicalType type) {
        switch (type.getTypeRoot()) {
            case ARRAY:
            case MULTISET:
            case MAP:
            case ROW:
                return true;
            default:
                return false;
        }
    }

    /** The text of a non-nested, non-binary value. */
    static String scalarText(Object value, LogicalType type) {
        switch (type.getTypeRoot()) {
            case CHAR:
            case VARCHAR:
                return value.toString();
            case BOOLEAN:
                return ((Boolean) value) ? "true" : "false";
            case TINYINT:
            case SMALLINT:
            case INTEGER:
            case BIGINT:
            case INTERVAL_YEAR_MONTH:
            case INTERVAL_DAY_TIME:
            case FLOAT:
            case DOUBLE:
                return value.toString();
            case DECIMAL:
                return ((DecimalData) value).toBigDecimal().toPlainString();
            case DATE:
                return LocalDate.ofEpochDay((Integer) value).toString();
            case TIME_WITHOUT_TIME_ZONE:
                return LocalTime.ofNanoOfDay(((Integer) value) * 1_000_000L).toString();
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                return ((TimestampData) value).toLocalDateTime().toString();
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return ((TimestampData) value).toInstant().toString();
            case BINARY:
            case VARBINARY:
                return Base64.getEncoder().encodeToString((byte[]) value);
            default:
                throw new IllegalStateException("not a scalar: " + type);
        }
    }

    /** The internal value of the text of a non-nested value (binary: Base64). */
    static Object parseScalar(String text, LogicalType type) {
        String t = text.trim();
        try {
            switch (type.getTypeRoot()) {
                case CHAR:
                case VARCHAR:
                    return StringData.fromString(text);
                case BOOLEAN:
                    if (t.equalsIgnoreCase("true") || t.equals("1")) {
                        return true;
                    }
                    if (t.equalsIgnoreCase("false") || t.equals("0")) {
                        return false;
                    }
                    throw new IllegalArgumentException("not a BOOLEAN");
                case TINYINT:
                    return Byte.parseByte(t);
                case SMALLINT:
                    return Short.parseShort(t);
                case INTEGER:
                case INTERVAL_YEAR_MONTH:
                    return Integer.parseInt(t);
                case BIGINT:
                case INTERVAL_DAY_TIME:
                    return Long.parseLong(t);
                case FLOAT:
                    return Float.parseFloat(t);
                case DOUBLE:
                    return Double.parseDouble(t);
                case DECIMAL:
                    {
                        DecimalType d = (DecimalType) type;
                        DecimalData v = DecimalData.fromBigDecimal(new BigDecimal(t), d.getPrecision(), d.getScale());
                        if (v == null) {
                            throw new IllegalArgumentException("does not fit " + type.asSummaryString());
                        }
                        return v;
                    }
                case DATE:
                    return (int) LocalDate.parse(t).toEpochDay();
                case TIME_WITHOUT_TIME_ZONE:
                    return (int) (LocalTime.parse(t).toNanoOfDay() / 1_000_000L);
                case TIMESTAMP_WITHOUT_TIME_ZONE:
                    return TimestampData.fromLocalDateTime(LocalDateTime.parse(t.replace(' ', 'T')));
                case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                    return TimestampData.fromInstant(Instant.parse(t.replace(' ', 'T')));
                case BINARY:
                case VARBINARY:
                    return Base64.getDecoder().decode(t);
                default:
                    throw new IllegalStateException("not a scalar: " + type);
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("not a valid " + type.asSummaryString(), e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // JSON

    private static void writeJson(StringBuilder sb, Object value, LogicalType type) {
        if (value == null) {
            sb.append("null");
            return;
        }
        switch (type.getTypeRoot()) {
            case BOOLEAN:
            case TINYINT:
            case SMALLINT:
            case INTEGER:
            case BIGINT:
            case INTERVAL_YEAR_MONTH:
            case INTERVAL_DAY_TIME:
            case DECIMAL:
                sb.append(scalarText(value, type));
                return;
            case FLOAT:
            case DOUBLE:
                {
                    double d = ((Number) value).doubleValue();
                    if (Double.isNaN(d) || Double.isInfinite(d)) {
                        writeJsonString(sb, scalarText(value, type));
                    } else {
                        sb.append(scalarText(value, type));
                    }
                    return;
                }
            case ARRAY:
                {
                    LogicalType elementType = ((ArrayType) type).getElementType();
                    ArrayData array = (ArrayData) value;
                    ArrayData.ElementGetter getter = ArrayData.createElementGetter(elementType);
                    sb.append('[');
                    for (int i = 0; i < array.size(); i++) {
                        if (i > 0) {
                            sb.append(',');
                        }
                        writeJson(sb, getter.getElementOrNull(array, i), elementType);
                    }
                    sb.append(']');
                    return;
                }
            case MAP:
            case MULTISET:
                {
                    LogicalType keyType = mapKeyType(type);
                    LogicalType valueType = mapValueType(type);
                    MapData map = (MapData) value;
                    ArrayData keys = map.keyArray();
                    ArrayData values = map.valueArray();
                    ArrayData.ElementGetter keyGetter = ArrayData.createElementGetter(keyType);
                    ArrayData.ElementGetter valueGetter = ArrayData.createElementGetter(valueType);
                    boolean object = isCharacterString(keyType);
                    sb.append(object ? '{' : '[');
                    int written = 0;
                    for (int i = 0; i < map.size(); i++) {
                        Object k = keyGetter.getElementOrNull(keys, i);
                        if (object && k == null) {
                            continue; // a JSON object has no null key
                        }
                        if (written++ > 0) {
                            sb.append(',');
                        }
                        if (object) {
                            writeJsonString(sb, k.toString());
                            sb.append(':');
                            writeJson(sb, valueGetter.getElementOrNull(values, i), valueType);
                        } else {
                            sb.append('[');
                            writeJson(sb, k, keyType);
                            sb.append(',');
                            writeJson(sb, valueGetter.getElementOrNull(values, i), valueType);
                            sb.append(']');
                        }
                    }
                    sb.append(object ? '}' : ']');
                    return;
                }
            case ROW:
                {
                    RowType rowType = (RowType) type;
                    RowData row = (RowData) value;
                    sb.append('{');
                    for (int i = 0; i < rowType.getFieldCount(); i++) {
                        if (i > 0) {
                            sb.append(',');
                        }
                        writeJsonString(sb, rowType.getFieldNames().get(i));
                        sb.append(':');
                        LogicalType fieldType = rowType.getTypeAt(i);
                        writeJson(sb, RowData.createFieldGetter(fieldType, i).getFieldOrNull(row), fieldType);
                    }
                    sb.append('}');
                    return;
                }
            default:
                writeJsonString(sb, scalarText(value, type));
        }
    }

    private static boolean isCharacterString(LogicalType type) {
        return type.getTypeRoot() == LogicalTypeRoot.CHAR || type.getTypeRoot() == LogicalTypeRoot.VARCHAR;
    }

    private static LogicalType mapKeyType(LogicalType type) {
        return type instanceof MapType ? ((MapType) type).getKeyType() : ((MultisetType) type).getElementType();
    }

    private static LogicalType mapValueType(LogicalType type) {
        return type instanceof MapType ? ((MapType) type).getValueType() : new IntType(false);
    }

    private static void writeJsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    sb.append("\\\"");
                    break;
                case '\\':
                    sb.append("\\\\");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                case '\t':
                    sb.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }

    /** A JSON number, kept as its text so that it converts to any numeric type exactly. */
    private static final class JsonNumber {
        final String text;

        JsonNumber(String text) {
            this.text = text;
        }
    }

    private static Object fromJson(Object json, LogicalType type) {
        if (json == null) {
            return null;
        }
        switch (type.getTypeRoot()) {
            case ARRAY:
                {
                    LogicalType elementType = ((ArrayType) type).getElementType();
                    List<?> list = expect(json, List.class, type);
                    Object[] items = new Object[list.size()];
                    for (int i = 0; i < items.length; i++) {
                        items[i] = fromJson(list.get(i), elementType);
                    }
                    return new GenericArrayData(items);
                }
            case MAP:
            case MULTISET:
                {
                    LogicalType keyType = mapKeyType(type);
                    LogicalType valueType = mapValueType(type);
                    Map<Object, Object> map = new LinkedHashMap<>();
                    if (json instanceof Map) {
                        for (Map.Entry<?, ?> e : ((Map<?, ?>) json).entrySet()) {
                            map.put(fromJson(e.getKey(), keyType), fromJson(e.getValue(), valueType));
                        }
                    } else {
                        for (Object pair : expect(json, List.class, type)) {
                            List<?> kv = expect(pair, List.class, type);
                            if (kv.size() != 2) {
                                throw new IllegalArgumentException("a map entry is not a [key, value] pair");
                            }
                            map.put(fromJson(kv.get(0), keyType), fromJson(kv.get(1), valueType));
                        }
                    }
                    return new GenericMapData(map);
                }
            case ROW:
                {
                    RowType rowType = (RowType) type;
                    Map<?, ?> object = expect(json, Map.class, type);
                    GenericRowData row = new GenericRowData(rowType.getFieldCount());
                    for (int i = 0; i < rowType.getFieldCount(); i++) {
                        row.setField(i, fromJson(object.get(rowType.getFieldNames().get(i)), rowType.getTypeAt(i)));
                    }
                    return row;
                }
            default:
                String text;
                if (json instanceof JsonNumber) {
                    text = ((JsonNumber) json).text;
                } else if (json instanceof String || json instanceof Boolean) {
                    text = json.toString();
                } else {
                    throw new IllegalArgumentException("JSON " + json.getClass().getSimpleName() + " is not a " + type.asSummaryString());
                }
                return parseScalar(text, type);
        }
    }

    private static <T> T expect(Object json, Class<T> kind, LogicalType type) {
        if (!kind.isInstance(json)) {
            throw new IllegalArgumentException("JSON value is not a " + type.asSummaryString());
        }
        return kind.cast(json);
    }

    /** A small JSON parser: objects → LinkedHashMap, arrays → ArrayList, numbers → JsonNumber. */
    private static final class JsonParser {
        private final String s;
        private int i;

        JsonParser(String s) {
            this.s = s;
        }

        Object parseDocument() {
            Object v = value();
            skipSpace();
            if (i != s.length()) {
                throw error("trailing characters");
            }
            return v;
        }

        private Object value() {
            skipSpace();
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(i);
            switch (c) {
                case '{':
                    {
                        i++;
                        Map<String, Object> map = new LinkedHashMap<>();
                        skipSpace();
                        if (peek() == '}') {
                            i++;
                            return map;
                        }
                        while (true) {
                            skipSpace();
                            if (peek() != '"') {
                                throw error("expected a string key");
                            }
                            String key = string();
                            skipSpace();
                            expectChar(':');
                            map.put(key, value());
                            skipSpace();
                            if (peek() == ',') {
                                i++;
                            } else {
                                expectChar('}');
                                return map;
                            }
                        }
                    }
                case '[':
                    {
                        i++;
                        List<Object> list = new ArrayList<>();
                        skipSpace();
                        if (peek() == ']') {
                            i++;
                            return list;
                        }
                        while (true) {
                            list.add(value());
                            skipSpace();
                            if (peek() == ',') {
                                i++;
                            } else {
                                expectChar(']');
                                return list;
                            }
                        }
                    }
                case '"':
                    return string();
                case 't':
                    literal("true");
                    return Boolean.TRUE;
                case 'f':
                    literal("false");
                    return Boolean.FALSE;
                case 'n':
                    literal("null");
                    return null;
                default:
                    int start = i;
                    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                        i++;
                    }
                    if (start == i) {
                        throw error("unexpected '" + c + "'");
                    }
                    return new JsonNumber(s.substring(start, i));
            }
        }

        private String string() {
            expectChar('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                if (i >= s.length()) {
                    throw error("unterminated escape");
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n':
                        sb.append('\n');
                        break;
                    case 'r':
                        sb.append('\r');
                        break;
                    case 't':
                        sb.append('\t');
                        break;
                    case 'b':
                        sb.append('\b');
                        break;
                    case 'f':
                        sb.append('\f');
                        break;
                    case 'u':
                        if (i + 4 > s.length()) {
                            throw error("bad \\u escape");
                        }
                        sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                        break;
                    default:
                        sb.append(e); // \" \\ \/
                }
            }
        }

        private void literal(String word) {
            if (!s.startsWith(word, i)) {
                throw error("unexpected token");
            }
            i += word.length();
        }

        private char peek() {
            return i < s.length() ? s.charAt(i) : '\0';
        }

        private void expectChar(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            i++;
        }

        private void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("invalid JSON at character " + i + ": " + what);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // fast paths

    private static final long[] POWERS_OF_TEN = new long[19];
    private static final byte[] TENS = new byte[100];
    private static final byte[] ONES = new byte[100];

    static {
        long p = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
        for (int i = 0; i < 100; i++) {
            TENS[i] = (byte) ('0' + i / 10);
            ONES[i] = (byte) ('0' + i % 10);
        }
    }

    /** The decimal digits of {@code v}, two at a time (the sink's hot path for numeric keys). */
    static byte[] ascii(long v) {
        if (v == Long.MIN_VALUE) {
            return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
        }
        boolean negative = v < 0;
        long rest = negative ? -v : v;
        int digits = 1;
        while (digits < POWERS_OF_TEN.length && rest >= POWERS_OF_TEN[digits]) {
            digits++;
        }
        byte[] out = new byte[digits + (negative ? 1 : 0)];
        int i = out.length;
        while (rest >= 100) {
            int two = (int) (rest % 100);
            rest /= 100;
            out[--i] = ONES[two];
            out[--i] = TENS[two];
        }
        int last = (int) rest;
        if (last >= 10) {
            out[--i] = ONES[last];
            out[--i] = TENS[last];
        } else {
            out[--i] = (byte) ('0' + last);
        }
        if (negative) {
            out[0] = '-';
        }
        return out;
    }

    static long parseLong(byte[] b) {
        int n = b.length;
        if (n == 0 || n > 20) {
            throw new IllegalArgumentException("not an integer");
        }
        int i = 0;
        boolean negative = false;
        if (b[0] == '-' || b[0] == '+') {
            negative = b[0] == '-';
            i = 1;
            if (n == 1) {
                throw new IllegalArgumentException("not an integer");
            }
        }
        if (n - i >= 19) {
            try {
                return Long.parseLong(new String(b, StandardCharsets.US_ASCII).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an integer", e);
            }
        }
        long v = 0;
        for (; i < n; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                throw new IllegalArgumentException("not an integer");
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }
}
