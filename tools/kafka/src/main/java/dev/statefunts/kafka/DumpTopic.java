package dev.statefunts.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Prints every record of a topic, from the beginning to its end as the isolation level sees it
 * (for read_committed: the last stable offset), one JSON line each, with Kafka's own Java client:
 * the reference reader the exactly-once checks compare with.
 *
 * <p>usage: DumpTopic <bootstrap> <topic> <read_committed|read_uncommitted>
 */
public final class DumpTopic {
  private DumpTopic() {}

  public static void main(String[] args) {
    if (args.length != 3) {
      System.err.println("usage: DumpTopic <bootstrap> <topic> <read_committed|read_uncommitted>");
      System.exit(2);
    }
    Properties p = new Properties();
    p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, args[2]);
    p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    StringBuilder out = new StringBuilder();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (PartitionInfo info : c.partitionsFor(args[1], Duration.ofSeconds(30))) {
        parts.add(new TopicPartition(info.topic(), info.partition()));
      }
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
      long deadline = System.currentTimeMillis() + 120_000;
      while (!done(c, end) && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          out.append("{\"partition\":").append(r.partition());
          out.append(",\"offset\":").append(r.offset());
          out.append(",\"key\":").append(r.key() == null ? "null" : quote(r.key()));
          out.append(",\"value\":").append(r.value() == null ? "null" : quote(r.value()));
          out.append("}\n");
        }
      }
      if (!done(c, end)) {
        System.err.println("DumpTopic: did not reach the end offsets " + end + " in 120 s");
        System.exit(1);
      }
    }
    System.out.print(out);
    System.out.flush();
  }

  private static boolean done(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (c.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static String quote(byte[] bytes) {
    return "\"" + Base64.getEncoder().encodeToString(bytes) + "\"";
  }
}
