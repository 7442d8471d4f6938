// Owned: created by cargo-flink-connector, yours to edit; `cargo flink-connector generate` never rewrites it.
package org.example.flink.connector.redis;

import org.example.flink.connector.redis.resp.RespConnection;
import org.example.flink.connector.redis.resp.RespEndpoint;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} for tests: on a free port of 127.0.0.1, password {@value #PASSWORD},
 * daemonized with a pid file, and stopped by that PID (never by name). Without redis-server on the
 * PATH the tests are skipped with a message, or fail when {@code CI=true}.
 */
final class RedisTestServer implements AutoCloseable {

    static final String PASSWORD = "123456";
    /** The Sentinels' own password ({@link #startSentinel}). */
    static final String SENTINEL_PASSWORD = "s3ntinel";

    private final File dir;
    private final File pidFile;
    private final boolean persistent;
    final int port;
    /** With TLS: the TLS port (the plain port is closed), else 0. */
    final int tlsPort;
    /** Further redis-server arguments (cluster mode, replication). */
    private final List<String> extraArgs = new ArrayList<>();
    /** A Sentinel: started from its config file with --sentinel. */
    private boolean sentinel;

    private RedisTestServer(File dir, int port, boolean persistent, int tlsPort) {
        this.dir = dir;
        this.pidFile = new File(dir, "redis.pid");
        this.port = port;
        this.persistent = persistent;
        this.tlsPort = tlsPort;
    }

    /** A server without persistence, started with further arguments (e.g. --cluster-enabled yes). */
    static RedisTestServer startWith(String... args) throws Exception {
        requireRedisServer();
        File dir = Files.createTempDirectory("redis-test-").toFile();
        RedisTestServer server = new RedisTestServer(dir, freePort(), false, 0);
        server.extraArgs.addAll(Arrays.asList(args));
        server.launch();
        return server;
    }

    /**
     * A Sentinel (password {@value #SENTINEL_PASSWORD}) monitoring {@code masterName} at {@code
     * 127.0.0.1:masterPort} with quorum 2, declaring it down after 1 s.
     */
    static RedisTestServer startSentinel(String masterName, int masterPort) throws Exception {
        requireRedisServer();
        File dir = Files.createTempDirectory("redis-sentinel-").toFile();
        RedisTestServer server = new RedisTestServer(dir, freePort(), false, 0);
        server.sentinel = true;
        String conf = "port " + server.port + "\nbind 127.0.0.1\ndaemonize yes\n"
                + "pidfile " + server.pidFile.getAbsolutePath() + "\n"
                + "logfile " + new File(dir, "redis.log").getAbsolutePath() + "\n"
                + "dir " + dir.getAbsolutePath() + "\n"
                + "requirepass " + SENTINEL_PASSWORD + "\n"
                + "sentinel sentinel-pass " + SENTINEL_PASSWORD + "\n"
                + "sentinel monitor " + masterName + " 127.0.0.1 " + masterPort + " 2\n"
                + "sentinel auth-pass " + masterName + " " + PASSWORD + "\n"
                + "sentinel down-after-milliseconds " + masterName + " 1000\n"
                + "sentinel failover-timeout " + masterName + " 5000\n";
        Files.write(new File(dir, "sentinel.conf").toPath(), conf.getBytes(StandardCharsets.US_ASCII));
        server.launch();
        return server;
    }

    /** A server without persistence. */
    static RedisTestServer start() throws Exception {
        return start(false);
    }

    /**
     * With {@code persistent}, every acknowledged write is in an append-only file ({@code
     * appendfsync always}) that survives {@link #restart()}.
     */
    static RedisTestServer start(boolean persistent) throws Exception {
        requireRedisServer();
        File dir = Files.createTempDirectory("redis-test-").toFile();
        RedisTestServer server = new RedisTestServer(dir, freePort(), persistent, 0);
        server.launch();
        return server;
    }

    /**
     * A server that only speaks TLS, on {@link #tlsPort}, with a self-signed certificate for the
     * host name {@code localhost} (made with the JDK's keytool). {@link #trustStore()} trusts it.
     */
    static RedisTestServer startTls() throws Exception {
        requireRedisServer();
        File dir = Files.createTempDirectory("redis-test-").toFile();
        makeCertificate(dir);
        RedisTestServer server = new RedisTestServer(dir, freePort(), false, freePort());
        server.launch();
        return server;
    }

    /** A PKCS12 trust store holding the TLS server's certificate (password {@code changeit}). */
    File trustStore() {
        return new File(dir, "truststore.p12");
    }

    private static void makeCertificate(File dir) throws Exception {
        String keytool = new File(System.getProperty("java.home"), "bin/keytool").getAbsolutePath();
        File keyStore = new File(dir, "server.p12");
        run(keytool, "-genkeypair", "-alias", "redis", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-keystore", keyStore.getAbsolutePath(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
        File cert = new File(dir, "cert.pem");
        run(keytool, "-exportcert", "-rfc", "-alias", "redis", "-keystore", keyStore.getAbsolutePath(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-file", cert.getAbsolutePath());
        run(keytool, "-importcert", "-noprompt", "-alias", "redis", "-file", cert.getAbsolutePath(),
                "-keystore", new File(dir, "truststore.p12").getAbsolutePath(), "-storetype", "PKCS12",
                "-storepass", "changeit");
        // the private key as PKCS#8 PEM, which Redis (OpenSSL) reads
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        try (java.io.InputStream in = new java.io.FileInputStream(keyStore)) {
            ks.load(in, "changeit".toCharArray());
        }
        java.security.Key key = ks.getKey("redis", "changeit".toCharArray());
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Files.write(new File(dir, "key.pem").toPath(), pem.getBytes(StandardCharsets.US_ASCII));
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = readAll(p.getInputStream());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + new String(output, StandardCharsets.UTF_8));
        }
    }

    private static byte[] readAll(java.io.InputStream in) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        for (int n; (n = in.read(buf)) > 0; ) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static void requireRedisServer() {
        String problem = null;
        try {
            Process p = new ProcessBuilder("redis-server", "--version").redirectErrorStream(true).start();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                problem = "redis-server --version failed";
            }
        } catch (IOException e) {
            problem = "redis-server is not installed (apt-get install redis-server)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "interrupted";
        }
        if (problem != null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(problem + "; CI=true, so this is a failure, not a skip");
            }
            Assumptions.assumeTrue(false, "Skipping the Redis tests: " + problem);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void launch() throws Exception {
        if (sentinel) {
            Process p = new ProcessBuilder("redis-server", new File(dir, "sentinel.conf").getAbsolutePath(), "--sentinel")
                    .redirectErrorStream(true).start();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("redis-server --sentinel did not start: " + log());
            }
            waitForPing();
            return;
        }
        List<String> cmd =
                new ArrayList<>(
                        Arrays.asList(
                                "redis-server",
                                "--port", String.valueOf(port),
                                "--bind", "127.0.0.1",
                                "--save", "",
                                "--appendonly", persistent ? "yes" : "no",
                                "--daemonize", "yes",
                                "--pidfile", pidFile.getAbsolutePath(),
                                "--requirepass", PASSWORD,
                                "--dir", dir.getAbsolutePath(),
                                "--logfile", new File(dir, "redis.log").getAbsolutePath()));
        if (persistent) {
            cmd.addAll(Arrays.asList("--appendfsync", "always"));
        }
        cmd.addAll(extraArgs);
        if (tlsPort != 0) {
            cmd.set(2, "0"); // no plain-text port
            cmd.addAll(Arrays.asList(
                    "--tls-port", String.valueOf(tlsPort),
                    "--tls-cert-file", new File(dir, "cert.pem").getAbsolutePath(),
                    "--tls-key-file", new File(dir, "key.pem").getAbsolutePath(),
                    "--tls-ca-cert-file", new File(dir, "cert.pem").getAbsolutePath(),
                    "--tls-auth-clients", "no"));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("redis-server did not start: " + log());
        }
        if (tlsPort != 0) {
            waitForPidFile();
            return; // readiness over TLS is checked by the test, which configures the trust store
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (RespConnection c = connect()) {
                c.open();
                // Redis answers PING while still loading the AOF: wait until it is loaded
                Object info = c.call("INFO", "persistence");
                if (new String((byte[]) info, StandardCharsets.UTF_8).contains("loading:0")) {
                    return;
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("redis-server on port " + port + " does not answer: " + log(), e);
                }
            }
            Thread.sleep(20);
        }
    }

    private void waitForPing() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (RespConnection c = connect()) {
                c.open();
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("redis-server on port " + port + " does not answer: " + log(), e);
                }
            }
            Thread.sleep(20);
        }
    }

    private void waitForPidFile() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (pid() <= 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server wrote no pid file: " + log());
            }
            Thread.sleep(20);
        }
    }

    /** An authenticated connection to this server (not yet open). */
    RespConnection connect() {
        return new RespConnection(new RespEndpoint("127.0.0.1", port, null, sentinel ? SENTINEL_PASSWORD : PASSWORD, 0, false, 2000, 5000));
    }

    /** Calls one command on a fresh connection. */
    Object call(Object... args) throws IOException {
        try (RespConnection c = connect()) {
            return c.call(args);
        }
    }

    /** The server's PID from its pid file, or -1 when it is not running. */
    private long pid() throws IOException {
        if (!pidFile.isFile()) {
            return -1;
        }
        String text = new String(Files.readAllBytes(pidFile.toPath()), StandardCharsets.US_ASCII).trim();
        return text.isEmpty() ? -1 : Long.parseLong(text);
    }

    /** Stops the server started here (SIGTERM to the PID in its pid file) and waits for it to exit. */
    void stop() throws Exception {
        long pid = pid();
        if (pid <= 0) {
            return;
        }
        new ProcessBuilder("kill", String.valueOf(pid)).redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (isAlive(pid)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server (pid " + pid + ") did not stop");
            }
            Thread.sleep(20);
        }
        Files.deleteIfExists(pidFile.toPath());
    }

    private static boolean isAlive(long pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-0", String.valueOf(pid)).redirectErrorStream(true).start();
        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    /** Stops the server and starts it again on the same port (and data directory). */
    void restart() throws Exception {
        stop();
        launch();
    }

    String log() {
        try {
            File log = new File(dir, "redis.log");
            return log.isFile() ? new String(Files.readAllBytes(log.toPath()), StandardCharsets.UTF_8) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        File[] files = dir.listFiles();
        if (files != null) {
            for (File f : files) {
                deleteRecursively(f);
            }
        }
        dir.delete();
    }

    private static void deleteRecursively(File f) {
        File[] children = f.listFiles();
        if (children != null) {
            for (File c : children) {
                deleteRecursively(c);
            }
        }
        f.delete();
    }
}
