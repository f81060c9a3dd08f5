package dev.statefunts.flinkruntime;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Process-wide state shared by the control HTTP server and the Flink tasks. The MiniCluster runs
 * in this JVM and loads user classes parent-first, so these statics are the same objects on both
 * sides.
 */
public final class State {
  private State() {}

  // ---------------------------------------------------------------- ingress log
  private static final List<Inbound> INBOX = new ArrayList<>();

  /** Appends a message; returns its offset in the ingress log. */
  public static long append(Inbound m) {
    synchronized (INBOX) {
      INBOX.add(m);
      INBOX.notifyAll();
      return INBOX.size() - 1;
    }
  }

  /** Returns the message at offset, waiting up to waitMs for it; null when none yet. */
  public static Inbound take(long offset, long waitMs) throws InterruptedException {
    synchronized (INBOX) {
      if (offset >= INBOX.size() && waitMs > 0) {
        INBOX.wait(waitMs);
      }
      return offset < INBOX.size() ? INBOX.get((int) offset) : null;
    }
  }

  public static long accepted() {
    synchronized (INBOX) {
      return INBOX.size();
    }
  }

  // ---------------------------------------------------------------- source lifecycle
  public static volatile boolean sourceRunning = false;
  public static final AtomicLong SOURCE_STARTS = new AtomicLong();
  public static volatile long deliveredOffset = 0;
  public static volatile long restoredOffset = -1;
  public static volatile long completedCheckpoints = 0;
  public static volatile long lastCheckpointId = -1;
  public static volatile long lastCheckpointOffset = 0;
  /** Wall-clock time at which the last completed checkpoint was taken at the source. */
  public static volatile long lastCheckpointTakenMs = -1;
  public static volatile boolean failRequested = false;
  public static volatile long readyAtMs = -1;
  /** The last Kafka record a checked Kafka ingress could not route (null: none). */
  public static volatile String lastIngressError = null;

  // ---------------------------------------------------------------- egress records
  /** One record seen by an egress. */
  public static final class Record {
    final long index;
    final long timeMs;
    final String typename;
    final byte[] value;

    Record(long index, long timeMs, String typename, byte[] value) {
      this.index = index;
      this.timeMs = timeMs;
      this.typename = typename;
      this.value = value;
    }
  }

  private static final Map<String, List<Record>> EGRESS = new LinkedHashMap<>();

  public static void declareEgress(String id) {
    synchronized (EGRESS) {
      EGRESS.computeIfAbsent(id, k -> new ArrayList<>());
    }
  }

  public static void record(String egressId, String typename, byte[] value) {
    synchronized (EGRESS) {
      List<Record> list = EGRESS.computeIfAbsent(egressId, k -> new ArrayList<>());
      list.add(new Record(list.size(), System.currentTimeMillis(), typename, value));
    }
  }

  /** A copy of the records of one egress from index from on, or null if the egress is unknown. */
  public static List<Record> records(String egressId, int from) {
    synchronized (EGRESS) {
      List<Record> list = EGRESS.get(egressId);
      if (list == null) {
        return null;
      }
      int start = Math.max(0, Math.min(from, list.size()));
      return new ArrayList<>(list.subList(start, list.size()));
    }
  }

  public static Map<String, Integer> egressCounts() {
    synchronized (EGRESS) {
      Map<String, Integer> out = new LinkedHashMap<>();
      EGRESS.forEach((k, v) -> out.put(k, v.size()));
      return out;
    }
  }

  static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}
