// Owned: created by cargo-flink-connector, yours to edit; `cargo flink-connector generate` never rewrites it.
package org.example.flink.connector.redis.resp;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * One connection shared by many concurrent requests (asynchronous lookups): callers encode a
 * command and get a future; a writer thread sends whatever has accumulated in large writes, a
 * reader thread completes the futures in order as replies arrive. Any number of requests are in
 * flight at once, so throughput is bound by Redis, not by round trips.
 *
 * <p>When the connection breaks (or a reply is overdue by more than the read timeout), every
 * request in flight fails with a {@link RespException} naming {@code host:port}, and the next
 * {@link #send} connects again. Thread-safe.
 */
public final class RespPipeline implements Closeable {

    /** Encodes one command. */
    public interface Command {
        void writeTo(RespWriter writer);
    }

    private final RespEndpoint endpoint;
    private final String threadName;
    private final Object lock = new Object();
    private Link link;
    private boolean closed;

    public RespPipeline(RespEndpoint endpoint, String threadName) {
        this.endpoint = endpoint;
        this.threadName = threadName;
    }

    public RespEndpoint endpoint() {
        return endpoint;
    }

    /** Connects now (instead of on the first {@link #send}); throws when that fails. */
    public void connect() throws RespException {
        synchronized (lock) {
            currentLink();
        }
    }

    /**
     * Queues {@code command}; the future completes with its reply (a {@link RespError} is a reply,
     * not a failure) or fails with a {@link RespException}.
     */
    public CompletableFuture<Object> send(Command command) {
        CompletableFuture<Object> future = new CompletableFuture<>();
        synchronized (lock) {
            Link l;
            try {
                l = currentLink();
            } catch (RespException e) {
                future.completeExceptionally(e);
                return future;
            }
            command.writeTo(l.pendingBytes);
            l.pending.add(future);
            if (l.oldestSentAt == 0) {
                l.oldestSentAt = System.nanoTime();
            }
            if (l.writerWaiting) {
                lock.notifyAll(); // wake the writer; a busy writer picks the command up by itself
            }
        }
        return future;
    }

    private Link currentLink() throws RespException {
        if (closed) {
            throw new RespException("The Redis connection to " + endpoint.address() + " is closed", false);
        }
        if (link == null || link.failed) {
            link = new Link(); // connects; throws when that fails
        }
        return link;
    }

    @Override
    public void close() {
        Link l;
        synchronized (lock) {
            closed = true;
            l = link;
            link = null;
            lock.notifyAll();
        }
        if (l != null) {
            l.fail(new RespException("The Redis connection to " + endpoint.address() + " was closed", false));
        }
    }

    /** One socket with its writer and reader threads; replaced by a new one after a failure. */
    private final class Link {
        final Socket socket;
        final OutputStream out;
        final RespReader in;
        /** Guarded by {@code lock}: commands not yet handed to the socket, and replies awaited. */
        RespWriter pendingBytes = new RespWriter(16 * 1024);
        RespWriter spareBytes = new RespWriter(16 * 1024);
        final ArrayDeque<CompletableFuture<Object>> pending = new ArrayDeque<>();
        /** nanoTime when the oldest unanswered request was queued; 0 when none. */
        long oldestSentAt;
        /** Guarded by {@code lock}: the writer thread waits for commands. */
        boolean writerWaiting;
        volatile boolean failed;

        Link() throws RespException {
            Socket s = RespConnection.connectSocket(endpoint);
            try {
                OutputStream o = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
                RespReader r = new RespReader(s.getInputStream());
                RespConnection.handshake(endpoint, o, r);
                socket = s;
                out = o;
                in = r;
            } catch (IOException | RuntimeException e) {
                RespConnection.closeQuietly(s);
                throw RespConnection.asRespException(endpoint, "connecting to", e);
            }
            start(this::writeLoop, "writer");
            start(this::readLoop, "reader");
        }

        private void start(Runnable loop, String role) {
            Thread t = new Thread(loop, threadName + "-" + role);
            t.setDaemon(true);
            t.start();
        }

        private void writeLoop() {
            try {
                while (true) {
                    RespWriter toSend;
                    synchronized (lock) {
                        while (!failed && pendingBytes.isEmpty()) {
                            writerWaiting = true;
                            try {
                                lock.wait();
                            } finally {
                                writerWaiting = false;
                            }
                        }
                        if (failed) {
                            return;
                        }
                        toSend = pendingBytes;
                        pendingBytes = spareBytes;
                        spareBytes = toSend;
                    }
                    toSend.writeTo(out);
                    out.flush();
                    synchronized (lock) {
                        toSend.reset();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(new RespException("Interrupted writing to Redis at " + endpoint.address(), true));
            } catch (IOException | RuntimeException e) {
                fail(RespConnection.asRespException(endpoint, "sending to", e));
            }
        }

        private void readLoop() {
            while (!failed) {
                Object reply;
                try {
                    reply = in.read();
                } catch (SocketTimeoutException e) {
                    long oldest;
                    synchronized (lock) {
                        oldest = oldestSentAt;
                    }
                    long waitedMillis = oldest == 0 ? 0 : (System.nanoTime() - oldest) / 1_000_000L;
                    if (oldest != 0 && waitedMillis >= endpoint.readTimeoutMillis()) {
                        fail(RespConnection.asRespException(endpoint, "reading from", e));
                        return;
                    }
                    continue; // idle, or the oldest request is not overdue yet
                } catch (IOException | RuntimeException e) {
                    fail(RespConnection.asRespException(endpoint, "reading from", e));
                    return;
                }
                CompletableFuture<Object> future;
                synchronized (lock) {
                    future = pending.poll();
                    oldestSentAt = pending.isEmpty() ? 0 : System.nanoTime();
                }
                if (future == null) {
                    fail(new RespException("Redis at " + endpoint.address() + " sent an unexpected reply", true));
                    return;
                }
                future.complete(reply);
            }
        }

        /** Closes the socket and fails every request in flight (once). */
        void fail(RespException cause) {
            ArrayDeque<CompletableFuture<Object>> failing;
            synchronized (lock) {
                if (failed) {
                    return;
                }
                failed = true;
                failing = new ArrayDeque<>(pending);
                pending.clear();
                lock.notifyAll();
            }
            RespConnection.closeQuietly(socket);
            for (CompletableFuture<Object> f : failing) {
                f.completeExceptionally(cause);
            }
        }
    }
}
