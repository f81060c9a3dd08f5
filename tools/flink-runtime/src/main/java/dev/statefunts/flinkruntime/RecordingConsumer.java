package dev.statefunts.flinkruntime;

import org.apache.flink.statefun.flink.harness.io.SerializableConsumer;
import org.apache.flink.statefun.sdk.reqreply.generated.TypedValue;

/** Records every TypedValue sent to one egress id (at-least-once: replays may repeat records). */
public final class RecordingConsumer implements SerializableConsumer<TypedValue> {
  private static final long serialVersionUID = 1L;

  private final String egressId;

  public RecordingConsumer(String egressId) {
    this.egressId = egressId;
  }

  @Override
  public void accept(TypedValue value) {
    State.record(egressId, value.getTypename(), value.getValue().toByteArray());
  }
}
