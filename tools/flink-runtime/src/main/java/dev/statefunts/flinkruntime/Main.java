package dev.statefunts.flinkruntime;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.statefun.flink.harness.Harness;
import org.apache.flink.statefun.sdk.io.EgressIdentifier;
import org.apache.flink.statefun.sdk.reqreply.generated.TypedValue;

/**
 * Runs the real StateFun 3.3 runtime (Flink 1.16 MiniCluster) in this JVM, serving the remote
 * endpoints of a module.yaml, with an HTTP control ingress and recording egresses.
 */
public final class Main {
  static final long JVM_START_MS = ManagementFactory.getRuntimeMXBean().getStartTime();

  private static final String USAGE =
      "usage: run.sh --module <module.yaml> [--egress <ns/name>]... [--control-port <port>]\n"
          + "              [--parallelism <n>] [--checkpoint-interval <duration>]\n"
          + "              [--state-dir <dir>] [--restart-delay <duration>]"
          + " [--conf <key>=<value>]...\n"
          + "              [--kafka <bootstrap>  (Kafka ingresses and egresses of module.yaml use this broker)]\n"
          + "              [--parent-pid <pid>  (exit when that process is gone)]\n";

  private static volatile Path tempStateDir;

  public static void main(String[] args) throws Exception {
    String module = null;
    Set<String> egresses = new LinkedHashSet<>();
    int controlPort = 0;
    int parallelism = 1;
    String checkpointInterval = "1s";
    String restartDelay = "500ms";
    String stateDir = null;
    String kafka = null;
    List<String[]> extraConf = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (a) {
        case "--module":
          module = need(a, v);
          i++;
          break;
        case "--egress":
          for (String e : need(a, v).split(",")) {
            if (!e.trim().isEmpty()) {
              egresses.add(checkId(e.trim()));
            }
          }
          i++;
          break;
        case "--control-port":
          controlPort = Integer.parseInt(need(a, v));
          i++;
          break;
        case "--parallelism":
          parallelism = Integer.parseInt(need(a, v));
          i++;
          break;
        case "--checkpoint-interval":
          checkpointInterval = need(a, v);
          i++;
          break;
        case "--restart-delay":
          restartDelay = need(a, v);
          i++;
          break;
        case "--kafka":
          kafka = need(a, v).trim();
          if (kafka.isEmpty()) {
            fail("--kafka needs a bootstrap address host:port[,host:port...]");
          }
          i++;
          break;
        case "--state-dir":
          stateDir = need(a, v);
          i++;
          break;
        case "--parent-pid":
          watchParent(Long.parseLong(need(a, v)));
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
        case "-h":
        case "--help":
          System.out.print(USAGE);
          return;
        default:
          fail("unknown argument " + a);
      }
    }
    if (module == null) {
      fail("--module is required");
    }
    Path modulePath = Paths.get(module.startsWith("file:") ? module.replaceFirst("^file://", "") : module)
        .toAbsolutePath()
        .normalize();
    if (!Files.isRegularFile(modulePath)) {
      fail("module.yaml not found: " + modulePath);
    }

    Path state;
    if (stateDir == null) {
      sweepStaleStateDirs();
      state = Files.createTempDirectory("statefun-ts-flink-");
      tempStateDir = state;
      Files.write(
          state.resolve("owner.pid"),
          String.valueOf(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8));
    } else {
      state = Paths.get(stateDir).toAbsolutePath();
      Files.createDirectories(state);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(Main::cleanup, "cleanup"));
    // The runtime reads a copy: Kafka components pointed at --kafka, or recorded/dropped without it.
    ModuleRewriter.Prepared prepared = ModuleRewriter.prepare(modulePath, state, kafka);
    egresses.addAll(prepared.recordedEgresses);
    for (String note : prepared.notes) {
      System.err.println("statefun-ts flink-runtime: " + note);
    }

    ControlServer control = new ControlServer(controlPort);
    control.start();
    String controlUrl = "http://127.0.0.1:" + control.port();
    System.out.println("CONTROL " + controlUrl);
    System.out.flush();

    Harness harness =
        new Harness()
            .withFlinkJobName("statefun-ts-flink-runtime")
            .withParallelism(parallelism)
            .withConfiguration("statefun.remote.module-name", prepared.module.toUri().toString())
            // one JVM, loopback only, no fixed ports
            .withConfiguration("rest.bind-address", "127.0.0.1")
            .withConfiguration("rest.address", "127.0.0.1")
            .withConfiguration("rest.bind-port", "0")
            .withConfiguration("jobmanager.rpc.address", "127.0.0.1")
            .withConfiguration("taskmanager.host", "127.0.0.1")
            .withConfiguration("taskmanager.numberOfTaskSlots", String.valueOf(parallelism))
            .withConfiguration("parallelism.default", String.valueOf(parallelism))
            // checkpoints every second into a local directory
            .withConfiguration("execution.checkpointing.interval", checkpointInterval)
            .withConfiguration("execution.checkpointing.mode", "EXACTLY_ONCE")
            .withConfiguration("state.backend", "hashmap")
            .withConfiguration("state.checkpoints.dir", state.resolve("checkpoints").toUri().toString())
            .withConfiguration("state.savepoints.dir", state.resolve("savepoints").toUri().toString())
            .withConfiguration("io.tmp.dirs", state.resolve("tmp").toString())
            // failures restart the job from the last checkpoint, practically forever
            .withConfiguration("restart-strategy", "fixed-delay")
            .withConfiguration("restart-strategy.fixed-delay.attempts", String.valueOf(Integer.MAX_VALUE))
            .withConfiguration("restart-strategy.fixed-delay.delay", restartDelay)
            .withConfiguration("pipeline.closure-cleaner-level", "NONE")
            .withFlinkSourceFunction(ControlModule.INGRESS, new ControlSource());
    Files.createDirectories(state.resolve("tmp"));
    for (String[] kv : extraConf) {
      harness.withConfiguration(kv[0], kv[1]);
    }
    for (String e : egresses) {
      int slash = e.lastIndexOf('/');
      State.declareEgress(e);
      harness.withConsumingEgress(
          new EgressIdentifier<>(e.substring(0, slash), e.substring(slash + 1), TypedValue.class),
          new RecordingConsumer(e));
    }
    System.out.println("MODULE " + modulePath.toUri());
    System.out.println("EGRESSES " + String.join(",", egresses));
    if (kafka != null) {
      System.out.println("KAFKA " + kafka + " " + String.join(",", prepared.kafkaComponents));
    }
    System.out.println("STATE_DIR " + state);
    System.out.flush();

    Thread readyWatcher =
        new Thread(
            () -> {
              while (State.readyAtMs < 0) {
                try {
                  Thread.sleep(20);
                } catch (InterruptedException e) {
                  return;
                }
              }
              System.out.println(
                  "READY startup_ms=" + (State.readyAtMs - JVM_START_MS) + " control=" + controlUrl);
              System.out.flush();
            },
            "ready-watcher");
    readyWatcher.setDaemon(true);
    readyWatcher.start();

    try {
      harness.start(); // blocks while the job runs
      System.err.println("statefun-ts flink-runtime: the Flink job finished");
    } catch (Throwable t) {
      System.err.println("statefun-ts flink-runtime: the Flink job failed for good:");
      t.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  private static String checkId(String id) {
    int slash = id.lastIndexOf('/');
    if (slash <= 0 || slash == id.length() - 1) {
      fail("egress id must be <namespace>/<name>, got " + id);
    }
    return id;
  }

  private static String need(String flag, String v) {
    if (v == null) {
      fail(flag + " needs a value");
    }
    return v;
  }

  private static void fail(String msg) {
    System.err.println("statefun-ts flink-runtime: " + msg);
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
              System.err.println("statefun-ts flink-runtime: parent " + pid + " is gone, exiting");
              shutdownSoon();
            },
            "parent-watch");
    t.setDaemon(true);
    t.start();
  }

  static void shutdownSoon() {
    Thread t =
        new Thread(
            () -> {
              try {
                Thread.sleep(100);
              } catch (InterruptedException ignored) {
                // exit anyway
              }
              Thread halter =
                  new Thread(
                      () -> {
                        try {
                          Thread.sleep(5000);
                        } catch (InterruptedException ignored) {
                          // halt anyway
                        }
                        Runtime.getRuntime().halt(0);
                      },
                      "halter");
              halter.setDaemon(true);
              halter.start();
              System.exit(0);
            },
            "shutdown");
    t.start();
  }

  private static void cleanup() {
    Path dir = tempStateDir;
    if (dir == null) {
      return;
    }
    // Flink's own shutdown hooks may still be deleting files in there: retry, ignore races.
    for (int attempt = 0; attempt < 5 && Files.exists(dir); attempt++) {
      deleteTree(dir.toFile());
      if (Files.exists(dir)) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private static void deleteTree(java.io.File f) {
    java.io.File[] children = f.listFiles();
    if (children != null) {
      for (java.io.File c : children) {
        deleteTree(c);
      }
    }
    f.delete();
  }

  /** Removes state dirs left by runners that were killed (their owner pid is gone). */
  private static void sweepStaleStateDirs() {
    java.io.File[] dirs =
        new java.io.File(System.getProperty("java.io.tmpdir"))
            .listFiles((d, name) -> name.startsWith("statefun-ts-flink-"));
    if (dirs == null) {
      return;
    }
    for (java.io.File d : dirs) {
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
          deleteTree(d);
        }
      } catch (Exception ignored) {
        // not ours to judge
      }
    }
  }

}
