package dev.statefunts.flinkruntime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prepares the module.yaml the runtime loads: the user's file, document by document, with its
 * Kafka components either pointed at a real broker ({@code --kafka}) or left to the runner's
 * recorders and control ingress (no broker). The user's file is never modified; the runtime reads
 * a copy in the state dir.
 */
final class ModuleRewriter {
  private static final Pattern KIND =
      Pattern.compile("(?m)^kind:\\s*[\"']?(io\\.statefun\\.(kafka|kinesis)\\.v1/(ingress|egress))");
  private static final Pattern ID = Pattern.compile("(?m)^\\s+id:\\s*[\"']?([^\\s\"'#]+)");
  private static final Pattern ADDRESS = Pattern.compile("(?m)^(\\s+address:\\s*).*$");
  private static final Pattern SEPARATOR = Pattern.compile("(?m)^---[ \\t]*\\r?\\n?");

  /** The module the runtime loads, and what the runner does with its IO components. */
  static final class Prepared {
    final Path module;
    /** Egress ids to replace by recorders (Kafka egresses only without a broker; Kinesis always). */
    final Set<String> recordedEgresses = new LinkedHashSet<>();
    /** Kafka ingress and egress ids that reach the broker. */
    final Set<String> kafkaComponents = new LinkedHashSet<>();
    /** One line per component dropped or changed, for stderr. */
    final List<String> notes = new ArrayList<>();

    Prepared(Path module) {
      this.module = module;
    }
  }

  private ModuleRewriter() {}

  /**
   * Writes {@code <stateDir>/module.yaml}. With a broker, every {@code io.statefun.kafka.v1}
   * ingress and egress gets {@code address: <kafkaBootstrap>} and is kept as is otherwise; Kinesis
   * ingresses are dropped. Without one, Kafka and Kinesis ingresses are dropped (they would try to
   * reach their broker) and Kafka/Kinesis egresses are recorded.
   */
  static Prepared prepare(Path userModule, Path stateDir, String kafkaBootstrap) throws IOException {
    String text = new String(Files.readAllBytes(userModule), StandardCharsets.UTF_8);
    Prepared out = new Prepared(stateDir.resolve("module.yaml"));
    List<String> docs = new ArrayList<>();
    int index = 0;
    for (String doc : SEPARATOR.split(text)) {
      index++;
      Matcher kind = KIND.matcher(doc);
      if (!kind.find()) {
        docs.add(doc);
        continue;
      }
      Matcher idm = ID.matcher(doc);
      String id = idm.find() ? idm.group(1) : "?";
      String system = kind.group(2);
      boolean ingress = kind.group(3).equals("ingress");
      String where = "module.yaml document " + index + " (" + kind.group(1) + " " + id + ")";
      if (system.equals("kafka") && kafkaBootstrap != null) {
        Matcher address = ADDRESS.matcher(doc);
        if (address.find()) {
          doc = address.replaceFirst(Matcher.quoteReplacement(address.group(1) + kafkaBootstrap));
        } else {
          doc = doc.replaceFirst("(?m)^spec:[ \\t]*$", "spec:\n  address: " + kafkaBootstrap);
        }
        String change = "address set to the broker " + kafkaBootstrap;
        if (ingress) {
          // StateFun's binder and deserializer, with bad records named by topic/partition/offset
          doc = KIND.matcher(doc).replaceFirst("kind: " + CheckedKafkaIngress.KIND.namespace() + "/" + CheckedKafkaIngress.KIND.name());
          change += ", bound through " + CheckedKafkaIngress.KIND.namespace() + "/" + CheckedKafkaIngress.KIND.name();
        }
        out.kafkaComponents.add(id);
        out.notes.add(where + ": " + change);
        docs.add(doc);
      } else if (ingress) {
        out.notes.add(
            where
                + ": not started (no "
                + (system.equals("kafka") ? "--kafka broker" : "Kinesis")
                + " here); send messages with POST /in");
      } else {
        out.recordedEgresses.add(id);
        docs.add(doc);
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String d : docs) {
      if (d.trim().isEmpty()) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append("---\n");
      }
      sb.append(d.endsWith("\n") ? d : d + "\n");
    }
    Files.write(out.module, sb.toString().getBytes(StandardCharsets.UTF_8));
    return out;
  }
}
