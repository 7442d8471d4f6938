// Owned: created by cargo-flink-connector, yours to edit; `cargo flink-connector generate` never rewrites it.
package org.example.flink.connector.redis.resp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The slot map of a Redis Cluster: which master serves each of the 16384 hash slots, read with
 * {@code CLUSTER SHARDS} (Redis 7+; {@code CLUSTER SLOTS} on older servers, which do not know
 * SHARDS) from the first seed (or known node) that answers. Masters only: the connector reads and
 * writes on masters, so it sees its own writes.
 *
 * <p>Not thread-safe; a client refreshes it after a {@code MOVED} reply or a failed node.
 */
public final class RespCluster {

    public static final int SLOTS = 16384;

    private final RespTopology topology;
    /** slot → index into {@link #masters}. */
    private final int[] owner = new int[SLOTS];
    private final List<RespEndpoint> masters = new ArrayList<>();
    /** Per master, its slot ranges as [start, end] pairs, in CLUSTER SLOTS order. */
    private final List<List<int[]>> ranges = new ArrayList<>();
    private long version;

    public RespCluster(RespTopology topology) {
        this.topology = topology;
        Arrays.fill(owner, -1);
    }

    /** Increases whenever {@link #refresh} changed the map (so cached routes can be dropped). */
    public long version() {
        return version;
    }

    /**
     * Reads the slot map from the seed nodes and the masters known so far, the first that answers.
     * Fails naming every node tried.
     */
    public void refresh() throws RespException {
        List<RespEndpoint> candidates = new ArrayList<>(masters);
        for (RespEndpoint seed : topology.nodes()) {
            if (!containsAddress(candidates, seed)) {
                candidates.add(seed);
            }
        }
        StringBuilder failures = new StringBuilder();
        boolean onlyAuthFailed = true; // then retrying cannot help: fail at once
        for (RespEndpoint node : candidates) {
            try (RespConnection c = new RespConnection(node)) {
                Object reply = shards(c);
                if (reply == null) {
                    reply = c.call("CLUSTER", "SLOTS");
                }
                if (reply instanceof Object[] && ((Object[]) reply).length > 0) {
                    apply(node, (Object[]) reply);
                    return;
                }
                failures.append(failures.length() == 0 ? "" : "; ").append(node.address()).append(": no slots assigned");
                onlyAuthFailed = false;
            } catch (RespException e) {
                failures.append(failures.length() == 0 ? "" : "; ").append(e.getMessage());
                onlyAuthFailed &= e instanceof RespException.AuthenticationFailed;
            }
        }
        String message = "No node of the Redis Cluster answered CLUSTER SHARDS/SLOTS (seeds 'cluster.nodes' = " + topology.addresses()
                + "): " + failures;
        throw onlyAuthFailed ? new RespException.AuthenticationFailed(message) : new RespException(message, true);
    }

    /**
     * CLUSTER SHARDS turned into the CLUSTER SLOTS form [[start, end, [host, port]], …] (each
     * shard's master that is not marked failed), or null when the server does not know SHARDS
     * (Redis before 7.0), so the caller asks CLUSTER SLOTS.
     */
    private Object[] shards(RespConnection c) throws RespException {
        Object reply;
        try {
            reply = c.call("CLUSTER", "SHARDS");
        } catch (RespException e) {
            if (e.isConnectionFailure()) {
                throw e;
            }
            return null; // ERR unknown subcommand
        }
        if (!(reply instanceof Object[])) {
            return null;
        }
        List<Object> out = new ArrayList<>();
        for (Object shard : (Object[]) reply) {
            Map<String, Object> fields = map(shard);
            Object[] slots = (Object[]) fields.get("slots");
            Object[] nodes = (Object[]) fields.get("nodes");
            if (slots == null || nodes == null) {
                continue;
            }
            for (Object n : nodes) {
                Map<String, Object> node = map(n);
                if (!"master".equals(text(node.get("role"))) || "failed".equals(text(node.get("health")))) {
                    continue;
                }
                Object host = node.get("endpoint") != null ? node.get("endpoint") : node.get("ip");
                Object port = topology.template().ssl() && node.get("tls-port") != null ? node.get("tls-port") : node.get("port");
                if (port == null) {
                    continue;
                }
                for (int i = 0; i + 1 < slots.length; i += 2) {
                    out.add(new Object[] {slots[i], slots[i + 1], new Object[] {host == null ? new byte[0] : host, port}});
                }
                break;
            }
        }
        return out.toArray();
    }

    /** A RESP2 flat [key, value, key, value…] array as a map with text keys. */
    private static Map<String, Object> map(Object reply) {
        Map<String, Object> m = new LinkedHashMap<>();
        Object[] a = (Object[]) reply;
        for (int i = 0; i + 1 < a.length; i += 2) {
            m.put(text(a[i]), a[i + 1]);
        }
        return m;
    }

    private static String text(Object v) {
        return v instanceof byte[] ? new String((byte[]) v, StandardCharsets.UTF_8) : String.valueOf(v);
    }

    private static boolean containsAddress(List<RespEndpoint> list, RespEndpoint e) {
        for (RespEndpoint x : list) {
            if (x.address().equals(e.address())) {
                return true;
            }
        }
        return false;
    }

    /** CLUSTER SLOTS: [[start, end, [host, port, id…], replicas…], …]. */
    private void apply(RespEndpoint askedNode, Object[] reply) {
        Map<String, Integer> index = new LinkedHashMap<>();
        List<RespEndpoint> newMasters = new ArrayList<>();
        List<List<int[]>> newRanges = new ArrayList<>();
        int[] newOwner = new int[SLOTS];
        Arrays.fill(newOwner, -1);
        for (Object entry : reply) {
            Object[] e = (Object[]) entry;
            int start = ((Long) e[0]).intValue();
            int end = ((Long) e[1]).intValue();
            Object[] master = (Object[]) e[2];
            String host = new String((byte[]) master[0], StandardCharsets.UTF_8);
            if (host.isEmpty() || "?".equals(host)) {
                host = askedNode.host(); // a node that does not know its own address
            }
            int port = ((Long) master[1]).intValue();
            RespEndpoint endpoint = topology.template().at(host, port);
            Integer i = index.get(endpoint.address());
            if (i == null) {
                i = newMasters.size();
                index.put(endpoint.address(), i);
                newMasters.add(endpoint);
                newRanges.add(new ArrayList<>());
            }
            newRanges.get(i).add(new int[] {start, end});
            for (int s = start; s <= end; s++) {
                newOwner[s] = i;
            }
        }
        boolean changed = !Arrays.equals(newOwner, owner) || !sameAddresses(newMasters, masters);
        masters.clear();
        masters.addAll(newMasters);
        ranges.clear();
        ranges.addAll(newRanges);
        System.arraycopy(newOwner, 0, owner, 0, SLOTS);
        if (changed) {
            version++;
        }
    }

    private static boolean sameAddresses(List<RespEndpoint> a, List<RespEndpoint> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).address().equals(b.get(i).address())) {
                return false;
            }
        }
        return true;
    }

    /** The masters, in a stable order for one map version. */
    public List<RespEndpoint> masters() {
        return masters;
    }

    /** The slot ranges of master {@code i}. */
    public List<int[]> ranges(int i) {
        return ranges.get(i);
    }

    /** The index (into {@link #masters()}) of the master serving {@code slot}, or -1 when none does. */
    public int ownerOf(int slot) {
        return owner[slot];
    }

    /** The master serving {@code slot}; an exception naming the slot when no master serves it. */
    public RespEndpoint masterOf(int slot) throws RespException {
        int i = owner[slot];
        if (i < 0) {
            throw new RespException("No master of the Redis Cluster serves hash slot " + slot + " (cluster down?)", true);
        }
        return masters.get(i);
    }

    /**
     * The hash slot of {@code key}: CRC16 (XMODEM) of the key, or of its hash tag — the part
     * between the first '{' and the next '}' when that is not empty — modulo 16384.
     */
    public static int slot(byte[] key) {
        return slot(key, 0, key.length);
    }

    /** The hash slot of the key in {@code key[from, to)}. */
    public static int slot(byte[] key, int from, int to) {
        int start = from;
        int end = to;
        for (int i = from; i < to; i++) {
            if (key[i] == '{') {
                for (int j = i + 1; j < to; j++) {
                    if (key[j] == '}') {
                        if (j > i + 1) {
                            start = i + 1;
                            end = j;
                        }
                        break;
                    }
                }
                break;
            }
        }
        return crc16(key, start, end) & (SLOTS - 1);
    }

    private static final int[] CRC16_TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int b = 0; b < 8; b++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            CRC16_TABLE[i] = crc & 0xffff;
        }
    }

    /** CRC16-CCITT (XMODEM: polynomial 0x1021, initial 0), as Redis Cluster uses. */
    static int crc16(byte[] bytes, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc = ((crc << 8) ^ CRC16_TABLE[((crc >>> 8) ^ bytes[i]) & 0xff]) & 0xffff;
        }
        return crc;
    }

    /** The address a MOVED/ASK error names ({@code MOVED 3999 127.0.0.1:6381}), as an endpoint. */
    public RespEndpoint redirectTarget(RespError error) {
        String[] parts = error.message().split(" ");
        String hostPort = parts[parts.length - 1];
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon);
        if (host.isEmpty()) {
            host = masters.isEmpty() ? topology.nodes().get(0).host() : masters.get(0).host();
        }
        return topology.template().at(host, Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** By slot: a short hash tag that hashes to it (see {@link #hashTag}); filled on first use. */
    private static volatile String[] hashTags;

    /**
     * A short string whose hash slot is {@code slot}, so {@code "{" + hashTag(slot) + "}…"} names a
     * key in that slot (e.g. a marker written by the same script as the slot's keys).
     */
    public static String hashTag(int slot) {
        String[] tags = hashTags;
        if (tags == null) {
            tags = new String[SLOTS];
            int missing = SLOTS;
            // about 170,000 CRC16s of 1-4 bytes cover every slot (coupon collector)
            for (int n = 0; missing > 0; n++) {
                String tag = Integer.toString(n, 36);
                int s = slot(tag.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                if (tags[s] == null) {
                    tags[s] = tag;
                    missing--;
                }
            }
            hashTags = tags;
        }
        return tags[slot];
    }

    /** Whether {@code error} redirects the command to another node. */
    public static boolean isRedirect(RespError error) {
        String code = error.code();
        return "MOVED".equals(code) || "ASK".equals(code);
    }
}
