package dev.statefunts.kafka;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node Apache Kafka 4 cluster in this JVM for tests: one KRaft node that is broker and
 * controller, listening on 127.0.0.1 only, with its data in a temp dir. Prints
 * {@code READY bootstrap=127.0.0.1:<port>} on stdout once clients can use it.
 */
public final class Main {
  private static final long JVM_START_MS = ManagementFactory.getRuntimeMXBean().getStartTime();

  private static final String USAGE =
      "usage: run.sh [--port <n>] [--topic <name>[:<partitions>]]... [--data-dir <dir>]\n"
          + "              [--conf <key>=<value>]... [--parent-pid <pid>  (exit when that process is gone)]\n";

  private static volatile Path tempDataDir;
  private static volatile KafkaRaftServer server;

  public static void main(String[] args) throws Exception {
    int port = 0;
    String dataDir = null;
    Map<String, Integer> topics = new LinkedHashMap<>();
    List<String[]> extraConf = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (a) {
        case "--port":
          port = Integer.parseInt(need(a, v));
          i++;
          break;
        case "--topic":
          for (String t : need(a, v).split(",")) {
            addTopic(topics, t.trim());
          }
          i++;
          break;
        case "--data-dir":
          dataDir = need(a, v);
          i++;
          break;
        case "--conf":
          String kv = need(a, v);
          int eq = kv.indexOf('=');
          if (eq <= 0) {
            fail("--conf expects key=value, got " + kv);
          }
          extraConf.add(new String[] {kv.substring(0, eq), kv.substring(eq + 1)});
          i++;
          break;
        case "--parent-pid":
          watchParent(Long.parseLong(need(a, v)));
          i++;
          break;
        case "-h":
        case "--help":
          System.out.print(USAGE);
          return;
        default:
          fail("unknown argument " + a);
      }
    }

    Path data;
    if (dataDir == null) {
      sweepStaleDataDirs();
      data = Files.createTempDirectory("statefun-ts-kafka-");
      tempDataDir = data;
      Files.write(
          data.resolve("owner.pid"),
          String.valueOf(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8));
    } else {
      data = Paths.get(dataDir).toAbsolutePath();
      Files.createDirectories(data);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(Main::shutdown, "shutdown"));

    int brokerPort = port == 0 ? freePort() : port;
    int controllerPort = freePort();
    Properties props = brokerConfig(brokerPort, controllerPort, data.resolve("logs"));
    for (String[] kv : extraConf) {
      props.setProperty(kv[0], kv[1]);
    }
    Path propsFile = data.resolve("server.properties");
    try (OutputStream out = Files.newOutputStream(propsFile)) {
      props.store(out, "statefun-ts test broker");
    }

    // kafka-storage format (idempotent with --ignore-formatted, so a --data-dir can be reused)
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    int formatted =
        StorageTool.execute(
            new String[] {
              "format", "-t", Uuid.randomUuid().toString(), "-c", propsFile.toString(), "--ignore-formatted"
            },
            quiet);
    if (formatted != 0) {
      fail("formatting the storage in " + data + " failed (kafka-storage format exit " + formatted + ")");
    }

    KafkaRaftServer s = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    server = s;
    s.startup();

    String bootstrap = "127.0.0.1:" + brokerPort;
    awaitReadyAndCreateTopics(bootstrap, topics);
    System.out.println("DATA_DIR " + data);
    System.out.println(
        "READY bootstrap=" + bootstrap + " startup_ms=" + (System.currentTimeMillis() - JVM_START_MS));
    System.out.flush();
    s.awaitShutdown();
  }

  static Properties brokerConfig(int brokerPort, int controllerPort, Path logDir) {
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", "1");
    p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.setProperty(
        "listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    p.setProperty("controller.listener.names", "CONTROLLER");
    p.setProperty("inter.broker.listener.name", "PLAINTEXT");
    p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.setProperty("log.dirs", logDir.toString());
    // one node: every internal topic has one replica (and few partitions, for a fast start)
    p.setProperty("num.partitions", "1");
    p.setProperty("default.replication.factor", "1");
    p.setProperty("min.insync.replicas", "1");
    p.setProperty("offsets.topic.replication.factor", "1");
    p.setProperty("offsets.topic.num.partitions", "1");
    p.setProperty("transaction.state.log.replication.factor", "1");
    p.setProperty("transaction.state.log.min.isr", "1");
    p.setProperty("transaction.state.log.num.partitions", "1");
    p.setProperty("share.coordinator.state.topic.replication.factor", "1");
    p.setProperty("share.coordinator.state.topic.min.isr", "1");
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    // Flink's Kafka producer asks for a 1 h transaction timeout unless told otherwise
    p.setProperty("transaction.max.timeout.ms", "3600000");
    p.setProperty("auto.create.topics.enable", "true");
    return p;
  }

  private static void awaitReadyAndCreateTopics(String bootstrap, Map<String, Integer> topics)
      throws InterruptedException {
    Properties c = new Properties();
    c.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    try (Admin admin = Admin.create(c)) {
      long deadline = System.currentTimeMillis() + 60_000;
      for (; ; ) {
        try {
          if (!admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty()) {
            break;
          }
        } catch (Exception e) {
          if (System.currentTimeMillis() > deadline) {
            fail("the broker did not become ready in 60 s: " + e);
          }
        }
        Thread.sleep(50);
      }
      List<NewTopic> create = new ArrayList<>();
      for (Map.Entry<String, Integer> t : topics.entrySet()) {
        create.add(new NewTopic(t.getKey(), t.getValue(), (short) 1));
      }
      if (!create.isEmpty()) {
        try {
          admin.createTopics(create).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            fail("creating topics " + topics + " failed: " + e.getCause());
          }
        } catch (Exception e) {
          fail("creating topics " + topics + " failed: " + e);
        }
      }
    }
  }

  private static void addTopic(Map<String, Integer> topics, String spec) {
    if (spec.isEmpty()) {
      return;
    }
    int colon = spec.lastIndexOf(':');
    String name = colon < 0 ? spec : spec.substring(0, colon);
    int partitions = 1;
    if (colon >= 0) {
      try {
        partitions = Integer.parseInt(spec.substring(colon + 1));
      } catch (NumberFormatException e) {
        partitions = -1;
      }
    }
    if (name.isEmpty() || partitions < 1) {
      fail("--topic expects <name> or <name>:<partitions> (partitions >= 1), got " + spec);
    }
    topics.put(name, partitions);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  private static String need(String flag, String v) {
    if (v == null) {
      fail(flag + " needs a value");
    }
    return v;
  }

  private static void fail(String msg) {
    System.err.println("statefun-ts kafka: " + msg);
    System.err.print(USAGE);
    System.exit(2);
  }

  /** Exits this JVM when the given process (e.g. the test runner) is gone. */
  private static void watchParent(long pid) {
    java.util.Optional<ProcessHandle> parent = ProcessHandle.of(pid);
    if (parent.isEmpty() || !parent.get().isAlive()) {
      fail("--parent-pid " + pid + " is not a running process");
    }
    Thread t =
        new Thread(
            () -> {
              while (parent.get().isAlive()) {
                try {
                  Thread.sleep(500);
                } catch (InterruptedException e) {
                  return;
                }
              }
              System.err.println("statefun-ts kafka: parent " + pid + " is gone, exiting");
              System.exit(0);
            },
            "parent-watch");
    t.setDaemon(true);
    t.start();
  }

  /** Shutdown hook: stops the broker (halting after 10 s), then deletes a temp data dir. */
  private static void shutdown() {
    Thread halter =
        new Thread(
            () -> {
              try {
                Thread.sleep(10_000);
              } catch (InterruptedException ignored) {
                return;
              }
              System.err.println("statefun-ts kafka: broker shutdown hangs, halting");
              deleteTree(tempDataDir);
              Runtime.getRuntime().halt(1);
            },
            "halter");
    halter.setDaemon(true);
    halter.start();
    KafkaRaftServer s = server;
    if (s != null) {
      try {
        s.shutdown();
        s.awaitShutdown();
      } catch (Throwable t) {
        System.err.println("statefun-ts kafka: broker shutdown failed: " + t);
      }
    }
    deleteTree(tempDataDir);
    halter.interrupt();
  }

  private static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    deleteFile(dir.toFile());
  }

  private static void deleteFile(File f) {
    File[] children = f.listFiles();
    if (children != null) {
      for (File c : children) {
        deleteFile(c);
      }
    }
    f.delete();
  }

  /** Removes data dirs left by brokers that were killed (their owner pid is gone). */
  private static void sweepStaleDataDirs() {
    File[] dirs =
        new File(System.getProperty("java.io.tmpdir"))
            .listFiles((d, name) -> name.startsWith("statefun-ts-kafka-"));
    if (dirs == null) {
      return;
    }
    for (File d : dirs) {
      try {
        Path owner = d.toPath().resolve("owner.pid");
        boolean stale;
        if (Files.exists(owner)) {
          long pid = Long.parseLong(new String(Files.readAllBytes(owner), StandardCharsets.UTF_8).trim());
          stale = ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
        } else {
          stale = System.currentTimeMillis() - d.lastModified() > 3_600_000L;
        }
        if (stale) {
          deleteFile(d);
        }
      } catch (Exception ignored) {
        // not ours to judge
      }
    }
  }
}
