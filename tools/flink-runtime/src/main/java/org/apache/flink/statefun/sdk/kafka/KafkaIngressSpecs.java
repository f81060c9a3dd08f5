package org.apache.flink.statefun.sdk.kafka;

/**
 * Reaches the package-private constructor of {@link KafkaIngressSpec} (statefun-kafka-io 3.3.0):
 * the same spec with another deserializer. Used by the runner's checked Kafka ingress only.
 */
public final class KafkaIngressSpecs {
  private KafkaIngressSpecs() {}

  /** {@code spec} with {@code deserializer} in place of its own. */
  public static <T> KafkaIngressSpec<T> withDeserializer(
      KafkaIngressSpec<T> spec, KafkaIngressDeserializer<T> deserializer) {
    return new KafkaIngressSpec<>(
        spec.id(), spec.properties(), spec.topics(), deserializer, spec.startupPosition());
  }
}
