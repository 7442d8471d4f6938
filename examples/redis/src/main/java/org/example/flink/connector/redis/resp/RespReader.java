// Owned: created by cargo-flink-connector, yours to edit; `cargo flink-connector generate` never rewrites it.
package org.example.flink.connector.redis.resp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Parses RESP2 replies from a stream through its own buffer. A reply is returned as:
 *
 * <ul>
 *   <li>simple string {@code +OK} → {@link String}
 *   <li>error {@code -ERR …} → {@link RespError} (a value, not an exception)
 *   <li>integer {@code :1} → {@link Long}
 *   <li>bulk string {@code $3 abc} → {@code byte[]}; nil bulk {@code $-1} → {@code null}
 *   <li>array {@code *2 …} → {@code Object[]} of the above; nil array {@code *-1} → {@code null}
 * </ul>
 *
 * Not thread-safe. Throws {@link IOException} when the stream breaks or does not speak RESP.
 */
public final class RespReader {

    private final InputStream in;
    private final byte[] buf;
    private int pos;
    private int limit;

    public RespReader(InputStream in) {
        this(in, 64 * 1024);
    }

    public RespReader(InputStream in, int bufferSize) {
        this.in = in;
        this.buf = new byte[bufferSize];
    }

    /** True when a complete read from the socket is still buffered (no blocking needed to start). */
    public boolean hasBuffered() {
        return pos < limit;
    }

    public Object read() throws IOException {
        byte type = readByte();
        switch (type) {
            case '+':
                return readLine();
            case '-':
                return new RespError(readLine());
            case ':':
                return readLongLine();
            case '$':
                {
                    long n = readLongLine();
                    if (n < 0) {
                        return null;
                    }
                    if (n > Integer.MAX_VALUE - 16) {
                        throw new IOException("Bulk reply of " + n + " bytes is too large");
                    }
                    byte[] value = new byte[(int) n];
                    readFully(value);
                    expectCrlf();
                    return value;
                }
            case '*':
                {
                    long n = readLongLine();
                    if (n < 0) {
                        return null;
                    }
                    Object[] items = new Object[(int) n];
                    for (int i = 0; i < items.length; i++) {
                        items[i] = read();
                    }
                    return items;
                }
            default:
                throw new IOException(
                        "Not a RESP reply (first byte 0x"
                                + Integer.toHexString(type & 0xff)
                                + "): is this port a Redis server?");
        }
    }

    /**
     * Reads the next reply without materializing it; returns its {@link RespError} when it is an
     * error, else null. For pipelines whose replies only need checking (+OK, :1, …).
     */
    public RespError readError() throws IOException {
        byte type = readByte();
        switch (type) {
            case '+':
            case ':':
                skipLine();
                return null;
            case '-':
                return new RespError(readLine());
            case '$':
                {
                    long n = readLongLine();
                    if (n >= 0) {
                        skip(n + 2);
                    }
                    return null;
                }
            case '*':
                {
                    long n = readLongLine();
                    RespError first = null;
                    for (long i = 0; i < n; i++) {
                        RespError e = readError();
                        if (first == null) {
                            first = e;
                        }
                    }
                    return first;
                }
            default:
                throw new IOException(
                        "Not a RESP reply (first byte 0x"
                                + Integer.toHexString(type & 0xff)
                                + "): is this port a Redis server?");
        }
    }

    private void skipLine() throws IOException {
        while (true) {
            if (pos == limit) {
                fill();
            }
            if (buf[pos++] == '\n') {
                return;
            }
        }
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            if (pos == limit) {
                fill();
            }
            int step = (int) Math.min(n, limit - pos);
            pos += step;
            n -= step;
        }
    }

    private byte readByte() throws IOException {
        if (pos == limit) {
            fill();
        }
        return buf[pos++];
    }

    private void fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n < 0) {
            throw new EOFException("Connection closed by the server");
        }
        pos = 0;
        limit = n;
    }

    private void readFully(byte[] dst) throws IOException {
        int off = 0;
        while (off < dst.length) {
            if (pos == limit) {
                if (dst.length - off >= buf.length) {
                    // large value: read straight into the destination
                    int n = in.read(dst, off, dst.length - off);
                    if (n < 0) {
                        throw new EOFException("Connection closed by the server");
                    }
                    off += n;
                    continue;
                }
                fill();
            }
            int n = Math.min(limit - pos, dst.length - off);
            System.arraycopy(buf, pos, dst, off, n);
            pos += n;
            off += n;
        }
    }

    private void expectCrlf() throws IOException {
        if (readByte() != '\r' || readByte() != '\n') {
            throw new IOException("Malformed RESP reply: missing CRLF");
        }
    }

    private String readLine() throws IOException {
        StringBuilder sb = null;
        int start = pos;
        while (true) {
            if (pos == limit) {
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(new String(buf, start, pos - start, StandardCharsets.UTF_8));
                fill();
                start = 0;
            }
            if (buf[pos] == '\r') {
                String tail = new String(buf, start, pos - start, StandardCharsets.UTF_8);
                pos++;
                if (readByte() != '\n') {
                    throw new IOException("Malformed RESP reply: CR without LF");
                }
                return sb == null ? tail : sb.append(tail).toString();
            }
            pos++;
        }
    }

    private long readLongLine() throws IOException {
        long v = 0;
        boolean negative = false;
        byte b = readByte();
        if (b == '-') {
            negative = true;
            b = readByte();
        }
        while (b != '\r') {
            if (b < '0' || b > '9') {
                throw new IOException("Malformed RESP integer");
            }
            v = v * 10 + (b - '0');
            b = readByte();
        }
        if (readByte() != '\n') {
            throw new IOException("Malformed RESP reply: CR without LF");
        }
        return negative ? -v : v;
    }
}
