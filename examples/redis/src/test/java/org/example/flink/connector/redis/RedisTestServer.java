// Owned: created by cargo-flink-connector, yours to edit; `cargo flink-connector generate` never rewrites it.
package org.example.flink.connector.redis;

import org.example.flink.connector.redis.resp.RespConnection;
import org.example.flink.connector.redis.resp.RespEndpoint;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

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
 * daemonized with a pid file, and stopped by that PID (never by name); optionally speaking only TLS
 * ({@link Tls}). Without redis-server on the PATH the tests are skipped with a message, or fail
 * when {@code CI=true}. {@link #perTestClass()} makes one a JUnit extension.
 */
final class RedisTestServer implements AutoCloseable, BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    static final String PASSWORD = "123456";
    /** The Sentinels' own password ({@link #startSentinel}). */
    static final String SENTINEL_PASSWORD = "s3ntinel";

    /**
     * The test certificates: self-signed, made once per JVM (keytool) into one temporary directory,
     * and trusted by the JDK's default SSLContext through {@code javax.net.ssl.trustStore}, which
     * the JDK reads once, so every TLS test shares them.
     */
    enum Tls {
        /** Subject alternative name {@code dns:localhost} only: clients must connect to "localhost". */
        LOCALHOST("localhost", "dns:localhost"),
        /** {@code ip:127.0.0.1} only: the address cluster nodes and Sentinels announce. */
        IP("127.0.0.1", "ip:127.0.0.1");

        /** The name the certificate is valid for (the host clients connect to). */
        final String host;
        private final String san;

        Tls(String host, String san) {
            this.host = host;
            this.san = san;
        }

        File cert() {
            return new File(certificates(), name().toLowerCase(java.util.Locale.ROOT) + "-cert.pem");
        }

        File key() {
            return new File(certificates(), name().toLowerCase(java.util.Locale.ROOT) + "-key.pem");
        }
    }

    private static File certificates;

    private final File dir;
    private final File pidFile;
    private final boolean persistent;
    /** The plain-text port (closed with TLS); chosen when the server is started. */
    int port;
    /** With TLS: the TLS port (the plain port is closed), else 0. */
    final int tlsPort;
    /** With TLS: its certificate, else null. */
    final Tls tls;
    /** Further redis-server arguments (cluster mode, replication). */
    private final List<String> extraArgs = new ArrayList<>();
    /** A Sentinel: started from its config file with --sentinel. */
    private boolean sentinel;

    private RedisTestServer(File dir, int port, boolean persistent, Tls tls) throws Exception {
        this.dir = dir;
        this.pidFile = new File(dir, "redis.pid");
        this.port = port;
        this.persistent = persistent;
        this.tls = tls;
        this.tlsPort = tls == null ? 0 : freePort();
    }

    /** A server without persistence, started with further arguments (e.g. --cluster-enabled yes). */
    static RedisTestServer startWith(String... args) throws Exception {
        return startWith(null, args);
    }

    /** The same, speaking only TLS with certificate {@code tls} when that is not null. */
    static RedisTestServer startWith(Tls tls, String... args) throws Exception {
        requireRedisServer();
        File dir = Files.createTempDirectory("redis-test-").toFile();
        RedisTestServer server = new RedisTestServer(dir, freePort(), false, tls);
        server.extraArgs.addAll(Arrays.asList(args));
        server.launch();
        return server;
    }

    /**
     * A Sentinel (password {@value #SENTINEL_PASSWORD}) monitoring {@code masterName} at {@code
     * 127.0.0.1:masterPort} with quorum 2, declaring it down after 1 s; with {@code tls}, it speaks
     * only TLS, to clients and to the servers and Sentinels it watches.
     */
    static RedisTestServer startSentinel(Tls tls, String masterName, int masterPort) throws Exception {
        requireRedisServer();
        File dir = Files.createTempDirectory("redis-sentinel-").toFile();
        RedisTestServer server = new RedisTestServer(dir, freePort(), false, tls);
        server.sentinel = true;
        String conf = "port " + (tls == null ? server.port : 0) + "\nbind 127.0.0.1\ndaemonize yes\n"
                + (tls == null ? "" : "tls-port " + server.tlsPort + "\ntls-cert-file " + tls.cert().getAbsolutePath()
                        + "\ntls-key-file " + tls.key().getAbsolutePath() + "\ntls-ca-cert-file " + tls.cert().getAbsolutePath()
                        + "\ntls-auth-clients no\ntls-replication yes\n")
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
     * A server without persistence for one test class, as a JUnit extension ({@code
     * @RegisterExtension static final}): started before the class's first test, emptied (FLUSHALL)
     * before each test, stopped after the last one.
     */
    static RedisTestServer perTestClass() {
        try {
            return new RedisTestServer(Files.createTempDirectory("redis-test-").toFile(), 0, false, null);
        } catch (Exception e) {
            throw new IllegalStateException("Could not prepare a Redis test server", e);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        requireRedisServer();
        port = freePort();
        launch();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        call("FLUSHALL");
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }

    /**
     * With {@code persistent}, every acknowledged write is in an append-only file ({@code
     * appendfsync always}) that survives {@link #restart()}.
     */
    static RedisTestServer start(boolean persistent) throws Exception {
        requireRedisServer();
        File dir = Files.createTempDirectory("redis-test-").toFile();
        RedisTestServer server = new RedisTestServer(dir, freePort(), persistent, null);
        server.launch();
        return server;
    }

    /** A standalone server that only speaks TLS, on {@link #tlsPort}, as {@link Tls#LOCALHOST}. */
    static RedisTestServer startTls() throws Exception {
        return startWith(Tls.LOCALHOST);
    }

    /**
     * The directory of the {@link Tls} certificates and keys (PEM, as Redis reads them), made on
     * first use: a key pair per certificate from the JDK's keytool, both certificates in one PKCS12
     * trust store that this JVM's default SSLContext is told to trust.
     */
    static synchronized File certificates() {
        if (certificates != null) {
            return certificates;
        }
        try {
            File dir = Files.createTempDirectory("redis-tls-").toFile();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(dir)));
            String keytool = new File(System.getProperty("java.home"), "bin/keytool").getAbsolutePath();
            java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            java.util.Base64.Encoder base64 = java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
            List<Process> keytools = new ArrayList<>(); // in parallel: each is a JVM start
            for (Tls tls : Tls.values()) {
                String name = tls.name().toLowerCase(java.util.Locale.ROOT);
                keytools.add(new ProcessBuilder(keytool, "-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048",
                        "-validity", "2", "-dname", "CN=" + tls.host, "-ext", "SAN=" + tls.san,
                        "-keystore", new File(dir, name + ".p12").getAbsolutePath(), "-storetype", "PKCS12",
                        "-storepass", "changeit", "-keypass", "changeit")
                        .redirectErrorStream(true).redirectOutput(new File(dir, name + ".log")).start());
            }
            for (int i = 0; i < keytools.size(); i++) {
                Process p = keytools.get(i);
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    File log = new File(dir, Tls.values()[i].name().toLowerCase(java.util.Locale.ROOT) + ".log");
                    throw new IllegalStateException("keytool -genkeypair failed: " + new String(Files.readAllBytes(log.toPath()), StandardCharsets.UTF_8));
                }
            }
            for (Tls tls : Tls.values()) {
                String name = tls.name().toLowerCase(java.util.Locale.ROOT);
                File keyStore = new File(dir, name + ".p12");
                java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
                try (java.io.InputStream in = new java.io.FileInputStream(keyStore)) {
                    ks.load(in, "changeit".toCharArray());
                }
                java.security.cert.Certificate cert = ks.getCertificate(name);
                trust.setCertificateEntry(name, cert);
                String certPem = "-----BEGIN CERTIFICATE-----\n" + base64.encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n";
                // the private key as PKCS#8 PEM, which Redis (OpenSSL) reads
                String keyPem = "-----BEGIN PRIVATE KEY-----\n"
                        + base64.encodeToString(ks.getKey(name, "changeit".toCharArray()).getEncoded())
                        + "\n-----END PRIVATE KEY-----\n";
                Files.write(new File(dir, name + "-cert.pem").toPath(), certPem.getBytes(StandardCharsets.US_ASCII));
                Files.write(new File(dir, name + "-key.pem").toPath(), keyPem.getBytes(StandardCharsets.US_ASCII));
            }
            File trustStore = new File(dir, "truststore.p12");
            try (java.io.OutputStream out = new java.io.FileOutputStream(trustStore)) {
                trust.store(out, "changeit".toCharArray());
            }
            // the JDK's default SSLSocketFactory, which the connector uses, trusts what these name
            System.setProperty("javax.net.ssl.trustStore", trustStore.getAbsolutePath());
            System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
            System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
            certificates = dir;
            return dir;
        } catch (Exception e) {
            throw new IllegalStateException("Could not make the test certificates", e);
        }
    }

    /** The port clients connect to: the TLS port of a TLS server, else the plain one. */
    int clientPort() {
        return tls == null ? port : tlsPort;
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
        if (tls != null) {
            cmd.set(2, "0"); // no plain-text port
            // replicas (and cluster buses, with --tls-cluster yes) connect over TLS, trusting the same certificate
            cmd.addAll(Arrays.asList(
                    "--tls-port", String.valueOf(tlsPort),
                    "--tls-cert-file", tls.cert().getAbsolutePath(),
                    "--tls-key-file", tls.key().getAbsolutePath(),
                    "--tls-ca-cert-file", tls.cert().getAbsolutePath(),
                    "--tls-auth-clients", "no",
                    "--tls-replication", "yes"));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("redis-server did not start: " + log());
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
                    throw new IllegalStateException("redis-server on port " + clientPort() + " does not answer: " + log(), e);
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
                    throw new IllegalStateException("redis-server on port " + clientPort() + " does not answer: " + log(), e);
                }
            }
            Thread.sleep(20);
        }
    }

    /** An authenticated connection to this server (not yet open), over TLS to a TLS server. */
    RespConnection connect() {
        return new RespConnection(new RespEndpoint(tls == null ? "127.0.0.1" : tls.host, clientPort(), null,
                sentinel ? SENTINEL_PASSWORD : PASSWORD, 0, tls != null, 2000, 5000));
    }

    /** Calls one command on a fresh connection. */
    Object call(Object... args) throws IOException {
        try (RespConnection c = connect()) {
            return c.call(args);
        }
    }

    /** How often this server ran {@code command} ({@code INFO commandstats}; refused calls not counted). */
    long commandCalls(String command) throws IOException {
        return stat("commandstats", "cmdstat_" + command + ":calls=");
    }

    /** How many error replies with {@code code} (MOVED, NOPERM, …) this server sent ({@code INFO errorstats}). */
    long errors(String code) throws IOException {
        return stat("errorstats", "errorstat_" + code + ":count=");
    }

    private long stat(String section, String prefix) throws IOException {
        for (String line : new String((byte[]) call("INFO", section), StandardCharsets.UTF_8).split("\r\n")) {
            if (line.startsWith(prefix)) {
                int end = line.indexOf(',', prefix.length());
                return Long.parseLong(line.substring(prefix.length(), end < 0 ? line.length() : end));
            }
        }
        return 0;
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
