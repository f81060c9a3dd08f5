package dev.statefunts.flinkruntime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.apache.flink.statefun.sdk.egress.generated.KafkaProducerRecord;
import org.apache.flink.statefun.sdk.egress.generated.KinesisEgressRecord;

/** The control HTTP API on 127.0.0.1 (see README.md). */
final class ControlServer {
  static final String KAFKA_TYPENAME =
      "type.googleapis.com/io.statefun.sdk.egress.KafkaProducerRecord";
  static final String KINESIS_TYPENAME =
      "type.googleapis.com/io.statefun.sdk.egress.KinesisEgressRecord";
  private static final String VND = "application/vnd.";

  static {
    // The JDK HttpServer leaves Nagle on unless this property is set before its first use: every
    // small reply then waits for the client's delayed ACK (~40 ms), capping the control ingress
    // at a few hundred requests per second. Set in code so no launcher can forget the flag.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;

  ControlServer(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    server.setExecutor(Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "control-http");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::handle);
  }

  int port() {
    return server.getAddress().getPort();
  }

  void start() {
    server.start();
  }

  void stop() {
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      String path = ex.getRequestURI().getRawPath();
      String method = ex.getRequestMethod();
      if (path.startsWith("/in/")) {
        if (!method.equals("POST") && !method.equals("PUT")) {
          reply(ex, 405, "{\"error\":\"use POST\"}");
          return;
        }
        handleIn(ex, path.substring("/in/".length()));
      } else if (path.equals("/egress") || path.equals("/egress/")) {
        reply(ex, 200, egressIndex());
      } else if (path.startsWith("/egress/")) {
        handleEgress(ex, path.substring("/egress/".length()));
      } else if (path.equals("/health")) {
        boolean up = State.sourceRunning;
        reply(ex, up ? 200 : 503, health(up));
      } else if (path.equals("/fail") && method.equals("POST")) {
        State.failRequested = true;
        reply(ex, 202, "{\"failRequested\":true}");
      } else if (path.equals("/shutdown") && method.equals("POST")) {
        reply(ex, 202, "{\"shuttingDown\":true}");
        Main.shutdownSoon();
      } else {
        reply(ex, 404, "{\"error\":" + str("no route " + method + " " + path) + "}");
      }
    } catch (Exception e) {
      reply(ex, 500, "{\"error\":" + str(String.valueOf(e)) + "}");
    } finally {
      ex.close();
    }
  }

  private void handleIn(HttpExchange ex, String rest) throws IOException {
    String[] parts = rest.split("/", 3);
    if (parts.length < 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
      reply(ex, 400, "{\"error\":\"expected /in/<namespace>/<type>/<id>\"}");
      return;
    }
    String ns = dec(parts[0]);
    String type = dec(parts[1]);
    String id = dec(parts[2]);
    String typename = typename(ex);
    if (typename == null || typename.isEmpty()) {
      reply(
          ex,
          400,
          "{\"error\":\"missing typename: send Content-Type: application/vnd.<typename>, "
              + "header X-Typename: <typename> or query ?typename=<typename>\"}");
      return;
    }
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readAllBytes();
    }
    long offset = State.append(new Inbound(ns, type, id, typename, body));
    reply(ex, 202, "{\"offset\":" + offset + "}");
  }

  private static String typename(HttpExchange ex) {
    String q = query(ex, "typename");
    if (q != null) {
      return q;
    }
    String h = ex.getRequestHeaders().getFirst("X-Typename");
    if (h != null) {
      return h.trim();
    }
    String ct = ex.getRequestHeaders().getFirst("Content-Type");
    if (ct != null) {
      ct = ct.trim();
      int semi = ct.indexOf(';');
      if (semi >= 0) {
        ct = ct.substring(0, semi).trim();
      }
      if (ct.regionMatches(true, 0, VND, 0, VND.length())) {
        return ct.substring(VND.length());
      }
    }
    return null;
  }

  private void handleEgress(HttpExchange ex, String rawId) throws IOException {
    String id = dec(rawId);
    int from = 0;
    String f = query(ex, "from");
    if (f != null) {
      try {
        from = Integer.parseInt(f);
      } catch (NumberFormatException e) {
        reply(ex, 400, "{\"error\":\"from must be an integer\"}");
        return;
      }
    }
    List<State.Record> records = State.records(id, from);
    if (records == null) {
      reply(
          ex,
          404,
          "{\"error\":"
              + str("unknown egress " + id + "; declared: " + State.egressCounts().keySet())
              + "}");
      return;
    }
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < records.size(); i++) {
      if (i > 0) {
        sb.append(",\n");
      }
      appendRecord(sb, id, records.get(i));
    }
    sb.append("]");
    reply(ex, 200, sb.toString());
  }

  static void appendRecord(StringBuilder sb, String egressId, State.Record r) {
    sb.append("{\"index\":").append(r.index);
    sb.append(",\"egress\":").append(str(egressId));
    sb.append(",\"typename\":").append(str(r.typename));
    sb.append(",\"value\":").append(str(State.b64(r.value)));
    sb.append(",\"timeMs\":").append(r.timeMs);
    if (KAFKA_TYPENAME.equals(r.typename)) {
      try {
        KafkaProducerRecord k = KafkaProducerRecord.parseFrom(r.value);
        sb.append(",\"kafka\":{\"topic\":").append(str(k.getTopic()));
        sb.append(",\"key\":").append(str(k.getKey()));
        sb.append(",\"value\":").append(str(State.b64(k.getValueBytes().toByteArray())));
        sb.append("}");
      } catch (Exception e) {
        sb.append(",\"decodeError\":").append(str(String.valueOf(e)));
      }
    } else if (KINESIS_TYPENAME.equals(r.typename)) {
      try {
        KinesisEgressRecord k = KinesisEgressRecord.parseFrom(r.value);
        sb.append(",\"kinesis\":{\"stream\":").append(str(k.getStream()));
        sb.append(",\"partitionKey\":").append(str(k.getPartitionKey()));
        sb.append(",\"explicitHashKey\":").append(str(k.getExplicitHashKey()));
        sb.append(",\"value\":").append(str(State.b64(k.getValueBytes().toByteArray())));
        sb.append("}");
      } catch (Exception e) {
        sb.append(",\"decodeError\":").append(str(String.valueOf(e)));
      }
    }
    sb.append("}");
  }

  private static String egressIndex() {
    StringBuilder sb = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, Integer> e : State.egressCounts().entrySet()) {
      if (!first) {
        sb.append(",");
      }
      first = false;
      sb.append(str(e.getKey())).append(":").append(e.getValue());
    }
    return sb.append("}").toString();
  }

  private static String health(boolean up) {
    return "{\"status\":"
        + str(up ? "RUNNING" : (State.SOURCE_STARTS.get() == 0 ? "STARTING" : "RESTARTING"))
        + ",\"sourceStarts\":"
        + State.SOURCE_STARTS.get()
        + ",\"accepted\":"
        + State.accepted()
        + ",\"delivered\":"
        + State.deliveredOffset
        + ",\"restoredOffset\":"
        + State.restoredOffset
        + ",\"completedCheckpoints\":"
        + State.completedCheckpoints
        + ",\"lastCheckpointId\":"
        + State.lastCheckpointId
        + ",\"lastCheckpointOffset\":"
        + State.lastCheckpointOffset
        + ",\"lastCheckpointTakenMs\":"
        + State.lastCheckpointTakenMs
        + ",\"startupMs\":"
        + (State.readyAtMs < 0 ? -1 : State.readyAtMs - Main.JVM_START_MS)
        + ",\"lastIngressError\":"
        + (State.lastIngressError == null ? "null" : str(State.lastIngressError))
        + "}";
  }

  private static String query(HttpExchange ex, String name) {
    String q = ex.getRequestURI().getRawQuery();
    if (q == null) {
      return null;
    }
    for (String kv : q.split("&")) {
      int eq = kv.indexOf('=');
      String k = dec(eq < 0 ? kv : kv.substring(0, eq));
      if (k.equals(name)) {
        return eq < 0 ? "" : dec(kv.substring(eq + 1));
      }
    }
    return null;
  }

  private static String dec(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  static String str(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
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
    return sb.append('"').toString();
  }

  private static void reply(HttpExchange ex, int code, String json) throws IOException {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.sendResponseHeaders(code, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(b);
      }
    }
  }
}
