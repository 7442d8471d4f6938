// Owned: created by cargo-flink-connector, yours to edit; `cargo flink-connector generate` never rewrites it.
package org.example.flink.connector.redis.resp;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * One blocking connection to Redis, used from one thread at a time: encode any number of commands
 * with {@link #writer()}, {@link #flush()} them in one go (pipelining), then {@link #read()} one
 * reply per command, in order.
 *
 * <p>{@link #open()} connects (TCP, then TLS through the JDK when configured), authenticates
 * ({@code AUTH [username] password}), selects the database and checks the server answers. Any I/O
 * failure closes the connection and surfaces as a {@link RespException} that names {@code
 * host:port}; {@link #ensureOpen()} reconnects. The password is never part of a message.
 */
public final class RespConnection implements Closeable {

    private final RespEndpoint endpoint;
    private final RespWriter writer = new RespWriter(64 * 1024);

    private Socket socket;
    private OutputStream out;
    private RespReader in;
    /** Replies sent for but not read yet: a connection left mid-pipeline is not reused. */
    private int unread;
    /** Incremented by every successful {@link #open()}: tells a reopened connection from the one bytes were sent on. */
    private long generation;

    public RespConnection(RespEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    public RespEndpoint endpoint() {
        return endpoint;
    }

    public boolean isOpen() {
        return socket != null;
    }

    /** Connects and authenticates; a no-op when already open. */
    public void open() throws RespException {
        if (socket != null) {
            return;
        }
        Socket s = connectSocket(endpoint);
        try {
            OutputStream o = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
            RespReader r = new RespReader(s.getInputStream());
            handshake(endpoint, o, r);
            socket = s;
            out = o;
            in = r;
            unread = 0;
            generation++;
            writer.reset();
        } catch (IOException | RuntimeException e) {
            closeQuietly(s);
            throw asRespException(endpoint, "connecting to", e);
        }
    }

    /** Opens the connection if it is closed or was left in the middle of a pipeline. */
    public void ensureOpen() throws RespException {
        if (socket != null && unread != 0) {
            close();
        }
        open();
    }

    /** The buffer commands are encoded into; {@link #flush()} sends them. */
    public RespWriter writer() {
        return writer;
    }

    /** Sends every command encoded since the last flush. */
    public void flush() throws RespException {
        if (socket == null) {
            writer.reset();
            throw new RespException("Not connected to Redis at " + endpoint.address(), true);
        }
        try {
            writer.writeTo(out);
            out.flush();
            unread += writer.commands();
        } catch (IOException e) {
            close();
            throw asRespException(endpoint, "sending to", e);
        } finally {
            writer.reset();
        }
    }

    /** How many times this connection was opened (see {@link #open()}). */
    public long generation() {
        return generation;
    }

    /** Sends what {@link #writer()} holds, then {@code length} bytes of {@code commands} commands encoded elsewhere. */
    public void send(byte[] bytes, int offset, int length, int commands) throws RespException {
        if (socket == null) {
            writer.reset();
            throw new RespException("Not connected to Redis at " + endpoint.address(), true);
        }
        try {
            writer.writeTo(out);
            out.write(bytes, offset, length);
            out.flush();
            unread += writer.commands() + commands;
        } catch (IOException e) {
            close();
            throw asRespException(endpoint, "sending to", e);
        } finally {
            writer.reset();
        }
    }

    /** Reads the next reply (see {@link RespReader} for its Java form). */
    public Object read() throws RespException {
        if (socket == null) {
            throw new RespException("Not connected to Redis at " + endpoint.address(), true);
        }
        try {
            Object reply = in.read();
            unread--;
            return reply;
        } catch (IOException e) {
            close();
            throw asRespException(endpoint, "reading from", e);
        }
    }

    /** Reads the next reply, returning only whether it was an error (see {@link RespReader#readError()}). */
    public RespError readError() throws RespException {
        if (socket == null) {
            throw new RespException("Not connected to Redis at " + endpoint.address(), true);
        }
        try {
            RespError error = in.readError();
            unread--;
            return error;
        } catch (IOException e) {
            close();
            throw asRespException(endpoint, "reading from", e);
        }
    }

    /** Sends one command and returns its reply; error replies are thrown. */
    public Object call(Object... args) throws RespException {
        ensureOpen();
        writer.command(args.length);
        for (Object a : args) {
            if (a instanceof byte[]) {
                writer.arg((byte[]) a);
            } else if (a instanceof Number) {
                writer.arg(((Number) a).longValue());
            } else {
                writer.arg(String.valueOf(a));
            }
        }
        flush();
        Object reply = read();
        if (reply instanceof RespError) {
            throw new RespException(
                    "Redis at "
                            + endpoint.address()
                            + " answered "
                            + args[0]
                            + " with: "
                            + endpoint.redact(((RespError) reply).message()),
                    false);
        }
        return reply;
    }

    @Override
    public void close() {
        Socket s = socket;
        socket = null;
        out = null;
        in = null;
        unread = 0;
        writer.reset();
        closeQuietly(s);
    }

    // ---------------------------------------------------------------------------------------------
    // shared with RespPipeline

    /** TCP connect with the connect timeout, then TLS (host name verified) when configured. */
    static Socket connectSocket(RespEndpoint ep) throws RespException {
        Socket socket = null;
        try {
            socket = connectAny(ep);
            if (ep.ssl()) {
                SSLSocketFactory factory = (SSLSocketFactory) SSLSocketFactory.getDefault();
                SSLSocket ssl = (SSLSocket) factory.createSocket(socket, ep.host(), ep.port(), true);
                SSLParameters params = ssl.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(params);
                ssl.setSoTimeout(ep.connectTimeoutMillis());
                ssl.startHandshake();
                socket = ssl;
            }
            socket.setSoTimeout(ep.readTimeoutMillis());
            return socket;
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw asRespException(ep, "connecting to", e);
        }
    }

    /** Tries every address of the host name in turn (e.g. 127.0.0.1 and ::1 for localhost). */
    private static Socket connectAny(RespEndpoint ep) throws IOException {
        InetAddress[] addresses = InetAddress.getAllByName(ep.host());
        IOException first = null;
        for (InetAddress address : addresses) {
            Socket socket = new Socket();
            try {
                socket.setTcpNoDelay(true);
                socket.setKeepAlive(true);
                socket.connect(new InetSocketAddress(address, ep.port()), ep.connectTimeoutMillis());
                return socket;
            } catch (IOException e) {
                closeQuietly(socket);
                if (first == null) {
                    first = e;
                }
            }
        }
        throw first != null ? first : new UnknownHostException(ep.host());
    }

    /** AUTH, SELECT and PING, pipelined; throws when any of them fails. */
    static void handshake(RespEndpoint ep, OutputStream out, RespReader in) throws IOException {
        RespWriter w = new RespWriter(256);
        boolean auth = ep.hasPassword();
        if (auth) {
            if (ep.username() != null) {
                w.command(3).arg("AUTH").arg(ep.username()).arg(ep.password());
            } else {
                w.command(2).arg("AUTH").arg(ep.password());
            }
        }
        boolean select = ep.database() != 0;
        if (select) {
            w.command(2).arg("SELECT").arg(ep.database());
        }
        w.command(1).arg("PING");
        w.writeTo(out);
        out.flush();
        Object authReply = auth ? in.read() : null;
        Object selectReply = select ? in.read() : null;
        Object pingReply = in.read();
        if (authReply instanceof RespError) {
            throw new RespException.AuthenticationFailed(
                    "Redis authentication failed for user '"
                            + ep.userForMessages()
                            + "' at "
                            + ep.address()
                            + " (check " + ep.option("username") + " and " + ep.option("password") + "): "
                            + ep.redact(((RespError) authReply).message()));
        }
        if (pingReply instanceof RespError) {
            String message = ((RespError) pingReply).message();
            if (message.startsWith("NOAUTH")) {
                throw new RespException.AuthenticationFailed(
                        "Redis at "
                                + ep.address()
                                + " requires authentication, but no " + ep.option("password") + " is configured: "
                                + message);
            }
            if (!(selectReply instanceof RespError)) {
                throw new RespException(
                        "Redis at " + ep.address() + " refused PING: " + ep.redact(message), false);
            }
        }
        if (selectReply instanceof RespError) {
            throw new RespException(
                    "Redis at "
                            + ep.address()
                            + " refused SELECT "
                            + ep.database()
                            + " (check 'database'): "
                            + ep.redact(((RespError) selectReply).message()),
                    false);
        }
    }

    /** Wraps {@code e} with a message that names the server and what was being done. */
    static RespException asRespException(RespEndpoint ep, String doing, Throwable e) {
        if (e instanceof RespException) {
            return (RespException) e;
        }
        String what;
        if (e instanceof UnknownHostException) {
            what = "unknown host";
        } else if (e instanceof ConnectException) {
            what = e.getMessage() == null ? "connection refused" : e.getMessage();
        } else if (e instanceof SocketTimeoutException) {
            what =
                    "timed out"
                            + ("connecting to".equals(doing)
                                    ? " after " + ep.connectTimeoutMillis() + " ms ('connect.timeout')"
                                    : " after " + ep.readTimeoutMillis() + " ms ('read.timeout')");
        } else {
            what = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        RespException wrapped =
                new RespException(
                        "Failed " + doing + " Redis at " + ep.address() + ": " + ep.redact(what), true);
        // keep the stack trace of the cause, not its message (it might carry the password)
        wrapped.setStackTrace(e.getStackTrace());
        return wrapped;
    }

    static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
