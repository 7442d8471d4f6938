// Owned: created by cargo-flink-connector, yours to edit; `cargo flink-connector generate` never rewrites it.
package org.example.flink.connector.redis.resp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes commands as RESP2 arrays of bulk strings into a growable byte buffer, so that a whole
 * pipeline goes to the socket in a few large writes. Not thread-safe.
 *
 * <pre>{@code
 * w.command(3).arg("SET").arg(key).arg(value);   // *3\r\n$3\r\nSET\r\n$..\r\n...
 * }</pre>
 */
public final class RespWriter {

    private final byte[] scratch = new byte[24];
    private byte[] buf;
    private int len;
    private int commands;

    public RespWriter() {
        this(16 * 1024);
    }

    public RespWriter(int initialCapacity) {
        buf = new byte[Math.max(64, initialCapacity)];
    }

    /** Starts a command of {@code argc} arguments (the command name included). */
    public RespWriter command(int argc) {
        commands++;
        header('*', argc);
        return this;
    }

    public RespWriter arg(byte[] value) {
        return arg(value, 0, value.length);
    }

    public RespWriter arg(byte[] value, int offset, int length) {
        header('$', length);
        ensure(length + 2);
        System.arraycopy(value, offset, buf, len, length);
        len += length;
        buf[len++] = '\r';
        buf[len++] = '\n';
        return this;
    }

    /** An argument encoded in advance with {@link #encodeArg(String)} (command names, keywords). */
    public RespWriter encodedArg(byte[] encoded) {
        ensure(encoded.length);
        System.arraycopy(encoded, 0, buf, len, encoded.length);
        len += encoded.length;
        return this;
    }

    /** The bulk-string encoding of a constant argument, for {@link #encodedArg(byte[])}. */
    public static byte[] encodeArg(String value) {
        RespWriter w = new RespWriter(64);
        w.arg(value);
        return Arrays.copyOf(w.buf, w.len);
    }

    /** A text argument, UTF-8 encoded. */
    public RespWriter arg(String value) {
        boolean ascii = true;
        for (int i = 0; i < value.length() && ascii; i++) {
            ascii = value.charAt(i) < 0x80;
        }
        if (!ascii) {
            return arg(value.getBytes(StandardCharsets.UTF_8));
        }
        int n = value.length();
        header('$', n);
        ensure(n + 2);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) value.charAt(i);
        }
        buf[len++] = '\r';
        buf[len++] = '\n';
        return this;
    }

    /** A decimal integer argument, e.g. a TTL or a SCAN count. */
    public RespWriter arg(long value) {
        int n = writeLong(scratch, 0, value);
        return arg(scratch, 0, n);
    }

    private void header(char type, int n) {
        ensure(16);
        buf[len++] = (byte) type;
        len = writeLong(buf, len, n);
        buf[len++] = '\r';
        buf[len++] = '\n';
    }

    private static final long[] POWERS_OF_TEN = new long[19];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
    }

    /** Writes the decimal digits of {@code v} at {@code pos}; returns the position after them. */
    public static int writeLong(byte[] b, int pos, long v) {
        if (v == Long.MIN_VALUE) {
            byte[] min = Long.toString(v).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(min, 0, b, pos, min.length);
            return pos + min.length;
        }
        if (v < 0) {
            b[pos++] = '-';
            v = -v;
        }
        if (v < 10) {
            b[pos++] = (byte) ('0' + v);
            return pos;
        }
        if (v <= Integer.MAX_VALUE) {
            return writeInt(b, pos, (int) v); // int division by a constant is a cheap multiply
        }
        int digits = 10;
        while (digits < 19 && v >= POWERS_OF_TEN[digits]) {
            digits++;
        }
        int end = pos + digits;
        int i = end;
        while (v > Integer.MAX_VALUE) {
            b[--i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        writeDigits(b, i, (int) v);
        return end;
    }

    /** The digits of {@code v} (10 or more) at {@code pos}; the position after them. */
    private static int writeInt(byte[] b, int pos, int v) {
        int digits = 2;
        while (digits < 10 && v >= POWERS_OF_TEN[digits]) {
            digits++;
        }
        writeDigits(b, pos + digits, v);
        return pos + digits;
    }

    /** Writes the digits of {@code v} (positive) backwards, ending just before {@code end}. */
    private static void writeDigits(byte[] b, int end, int v) {
        int i = end;
        while (v >= 100) { // two digits per division
            int q = v / 100;
            int r = v - q * 100;
            v = q;
            b[--i] = (byte) ('0' + r % 10);
            b[--i] = (byte) ('0' + r / 10);
        }
        if (v >= 10) {
            b[--i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        b[--i] = (byte) ('0' + v);
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    /** Appends {@code commands} commands encoded elsewhere (bytes of another writer's {@link #array()}). */
    public RespWriter raw(byte[] bytes, int offset, int length, int commands) {
        ensure(length);
        System.arraycopy(bytes, offset, buf, len, length);
        len += length;
        this.commands += commands;
        return this;
    }

    /** Drops what was encoded after {@link #size()} was {@code size} and {@link #commands()} was {@code commands}. */
    public void truncate(int size, int commands) {
        this.len = size;
        this.commands = commands;
    }

    /** The buffer; its first {@link #size()} bytes are the encoded commands. */
    public byte[] array() {
        return buf;
    }

    /** The position after the command that starts at {@code pos} in {@code b} (written by a RespWriter). */
    public static int skipCommand(byte[] b, int pos) {
        int[] at = {pos};
        long argc = readHeader(b, at);
        for (long i = 0; i < argc; i++) {
            int n = (int) readHeader(b, at); // first: it moves at[0] past the header
            at[0] += n + 2;
        }
        return at[0];
    }

    /** Argument {@code index} (0 = the command name) of the command that starts at {@code pos} in {@code b}. */
    public static byte[] argument(byte[] b, int pos, int index) {
        int[] at = {pos};
        readHeader(b, at);
        for (int i = 0; ; i++) {
            int n = (int) readHeader(b, at);
            if (i == index) {
                return Arrays.copyOfRange(b, at[0], at[0] + n);
            }
            at[0] += n + 2;
        }
    }

    /** The number of arguments of the command that starts at {@code pos} (its {@code *N} header). */
    public static int argumentCount(byte[] b, int pos) {
        return (int) readHeader(b, new int[] {pos});
    }

    /** The position of the first argument of the command that starts at {@code pos} (after its {@code *N} header). */
    public static int argumentsStart(byte[] b, int pos) {
        int[] at = {pos};
        readHeader(b, at);
        return at[0];
    }

    /** Reads {@code *N\r\n} or {@code $N\r\n} at {@code at[0]}, returns N and moves {@code at[0]} past it. */
    private static long readHeader(byte[] b, int[] at) {
        int i = at[0] + 1;
        long n = 0;
        while (b[i] != '\r') {
            n = n * 10 + (b[i++] - '0');
        }
        at[0] = i + 2;
        return n;
    }

    /** Number of commands encoded since the last {@link #reset()}. */
    public int commands() {
        return commands;
    }

    public int size() {
        return len;
    }

    public boolean isEmpty() {
        return len == 0;
    }

    public void writeTo(OutputStream out) throws IOException {
        if (len > 0) {
            out.write(buf, 0, len);
        }
    }

    /** Empties the buffer; a buffer grown for a huge pipeline shrinks back. */
    public void reset() {
        len = 0;
        commands = 0;
        if (buf.length > 4 * 1024 * 1024) {
            buf = new byte[64 * 1024];
        }
    }
}
