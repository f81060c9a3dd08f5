package dev.statefunts.flinkruntime;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.statefun.extensions.ComponentBinder;
import org.apache.flink.statefun.extensions.ComponentJsonObject;
import org.apache.flink.statefun.extensions.ExtensionModule;
import org.apache.flink.statefun.flink.core.spi.ExtensionResolver;
import org.apache.flink.statefun.flink.core.spi.ExtensionResolverAccessor;
import org.apache.flink.statefun.sdk.FunctionType;
import org.apache.flink.statefun.sdk.FunctionTypeNamespaceMatcher;
import org.apache.flink.statefun.sdk.StatefulFunctionProvider;
import org.apache.flink.statefun.sdk.TypeName;
import org.apache.flink.statefun.sdk.io.EgressSpec;
import org.apache.flink.statefun.sdk.io.IngressIdentifier;
import org.apache.flink.statefun.sdk.io.IngressSpec;
import org.apache.flink.statefun.sdk.io.Router;
import org.apache.flink.statefun.sdk.kafka.KafkaIngressDeserializer;
import org.apache.flink.statefun.sdk.kafka.KafkaIngressSpec;
import org.apache.flink.statefun.sdk.kafka.KafkaIngressSpecs;
import org.apache.flink.statefun.sdk.spi.StatefulFunctionModule;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * StateFun's own Kafka ingress ({@code io.statefun.kafka.v1/ingress}, bound by StateFun's binder
 * and deserializer) with one addition: a record that cannot be routed fails with a message naming
 * the ingress, topic, partition and offset and saying what is wrong, and /health reports it as
 * {@code lastIngressError}. The runner's copy of module.yaml names this kind instead of StateFun's
 * ({@link ModuleRewriter}); the spec is passed through unchanged.
 */
public final class CheckedKafkaIngress implements ExtensionModule, ComponentBinder {
  static final TypeName KIND = TypeName.parseFrom("statefun-ts.flink-runtime/checked-kafka-ingress");
  private static final TypeName STATEFUN_KIND = TypeName.parseFrom("io.statefun.kafka.v1/ingress");

  @Override
  public void configure(Map<String, String> globalConfigurations, ExtensionModule.Binder binder) {
    binder.bindExtension(KIND, this);
  }

  @Override
  public void bind(ComponentJsonObject component, StatefulFunctionModule.Binder binder) {
    ExtensionResolver resolver = ExtensionResolverAccessor.getExtensionResolver(binder);
    ComponentBinder statefun = resolver.resolveExtension(STATEFUN_KIND, ComponentBinder.class);
    ObjectNode node = component.get().deepCopy();
    node.put(ComponentJsonObject.BINDER_KIND_FIELD, STATEFUN_KIND.namespace() + "/" + STATEFUN_KIND.name());
    statefun.bind(new ComponentJsonObject(node), new CheckingBinder(binder));
  }

  /** Passes everything through, giving Kafka ingress specs the checking deserializer. */
  private static final class CheckingBinder implements StatefulFunctionModule.Binder {
    private final StatefulFunctionModule.Binder delegate;

    CheckingBinder(StatefulFunctionModule.Binder delegate) {
      this.delegate = delegate;
    }

    @Override
    public <T> void bindIngress(IngressSpec<T> spec) {
      if (spec instanceof KafkaIngressSpec) {
        KafkaIngressSpec<T> kafka = (KafkaIngressSpec<T>) spec;
        delegate.bindIngress(
            KafkaIngressSpecs.withDeserializer(
                kafka, new CheckingDeserializer<>(kafka.id(), kafka.deserializer())));
      } else {
        delegate.bindIngress(spec);
      }
    }

    @Override
    public <T> void bindEgress(EgressSpec<T> spec) {
      delegate.bindEgress(spec);
    }

    @Override
    public void bindFunctionProvider(FunctionType functionType, StatefulFunctionProvider provider) {
      delegate.bindFunctionProvider(functionType, provider);
    }

    @Override
    public void bindFunctionProvider(
        FunctionTypeNamespaceMatcher namespaceMatcher, StatefulFunctionProvider provider) {
      delegate.bindFunctionProvider(namespaceMatcher, provider);
    }

    @Override
    public <T> void bindIngressRouter(IngressIdentifier<T> id, Router<T> router) {
      delegate.bindIngressRouter(id, router);
    }
  }

  /** StateFun's deserializer, with records checked first and failures named by position. */
  static final class CheckingDeserializer<T> implements KafkaIngressDeserializer<T> {
    private static final long serialVersionUID = 1L;
    private final String ingress;
    private final KafkaIngressDeserializer<T> delegate;

    CheckingDeserializer(IngressIdentifier<T> id, KafkaIngressDeserializer<T> delegate) {
      this.ingress = id.namespace() + "/" + id.name();
      this.delegate = delegate;
    }

    @Override
    public T deserialize(ConsumerRecord<byte[], byte[]> record) {
      String problem = problemOf(record);
      if (problem == null) {
        try {
          return delegate.deserialize(record);
        } catch (RuntimeException e) {
          problem = "StateFun's deserializer failed: " + e;
        }
      }
      String message =
          "Kafka ingress "
              + ingress
              + ": the record at topic "
              + record.topic()
              + " partition "
              + record.partition()
              + " offset "
              + record.offset()
              + " cannot be routed: "
              + problem
              + ". Records of an io.statefun.kafka.v1/ingress need a UTF-8 key (the target"
              + " function's id) and a value of the topic's valueType; fix the producer, and move"
              + " the consumer past this offset to go on (the job restarts on it until then).";
      State.lastIngressError = message;
      throw new IllegalArgumentException(message);
    }

    private static String problemOf(ConsumerRecord<byte[], byte[]> record) {
      byte[] key = record.key();
      if (key == null) {
        return "it has no key";
      }
      if (key.length == 0) {
        return "its key is empty";
      }
      try {
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(key));
      } catch (CharacterCodingException e) {
        return "its key is not valid UTF-8";
      }
      if (record.value() == null) {
        return "it has no value (a tombstone)";
      }
      return null;
    }
  }
}
