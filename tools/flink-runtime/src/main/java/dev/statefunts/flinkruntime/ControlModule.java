package dev.statefunts.flinkruntime;

import com.google.protobuf.ByteString;
import java.util.Map;
import org.apache.flink.statefun.sdk.FunctionType;
import org.apache.flink.statefun.sdk.io.IngressIdentifier;
import org.apache.flink.statefun.sdk.io.Router;
import org.apache.flink.statefun.sdk.reqreply.generated.TypedValue;
import org.apache.flink.statefun.sdk.spi.StatefulFunctionModule;

/**
 * Binds the router of the control ingress. The ingress itself (a {@link ControlSource}) and the
 * recording egresses are installed through the harness.
 */
public final class ControlModule implements StatefulFunctionModule {
  public static final IngressIdentifier<Inbound> INGRESS =
      new IngressIdentifier<>(Inbound.class, "statefun-ts.flink-runtime", "control");

  @Override
  public void configure(Map<String, String> globalConfiguration, Binder binder) {
    binder.bindIngressRouter(INGRESS, new InboundRouter());
  }

  /** Routes each message to its target address with the posted TypedValue as argument. */
  public static final class InboundRouter implements Router<Inbound> {
    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void route(Inbound m, Downstream<Inbound> downstream) {
      TypedValue argument =
          TypedValue.newBuilder()
              .setTypename(m.typename)
              .setHasValue(true)
              .setValue(ByteString.copyFrom(m.value))
              .build();
      // The remote function receives the TypedValue itself, as from a Kafka ingress.
      ((Downstream) downstream).forward(new FunctionType(m.namespace, m.type), m.id, argument);
    }
  }
}
