package dev.statefunts.flinkruntime;

import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.source.RichSourceFunction;

/**
 * A replayable source over the in-JVM ingress log (like a one-partition Kafka topic): it
 * checkpoints its offset, so after a failure the job resumes from the last checkpoint and the
 * messages after it are delivered again (exactly-once state effects, like a real source).
 */
public final class ControlSource extends RichSourceFunction<Inbound>
    implements CheckpointedFunction, CheckpointListener {
  private static final long serialVersionUID = 1L;

  private transient ListState<Long> offsetState;
  private transient volatile boolean running;
  private long offset;
  private transient java.util.Map<Long, long[]> pendingCheckpoints;

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    offsetState =
        context
            .getOperatorStateStore()
            .getListState(new ListStateDescriptor<>("control-ingress-offset", Long.class));
    pendingCheckpoints = new java.util.concurrent.ConcurrentHashMap<>();
    offset = 0;
    if (context.isRestored()) {
      for (Long o : offsetState.get()) {
        offset = Math.max(offset, o);
      }
      State.restoredOffset = offset;
    }
    State.deliveredOffset = offset;
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    offsetState.clear();
    offsetState.add(offset);
    pendingCheckpoints.put(
        context.getCheckpointId(), new long[] {offset, System.currentTimeMillis()});
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    long[] o = pendingCheckpoints.remove(checkpointId);
    pendingCheckpoints.keySet().removeIf(id -> id < checkpointId);
    State.completedCheckpoints++;
    State.lastCheckpointId = checkpointId;
    if (o != null) {
      State.lastCheckpointOffset = o[0];
      State.lastCheckpointTakenMs = o[1];
    }
  }

  @Override
  public void run(SourceContext<Inbound> ctx) throws Exception {
    running = true;
    State.SOURCE_STARTS.incrementAndGet();
    State.sourceRunning = true;
    if (State.readyAtMs < 0) {
      State.readyAtMs = System.currentTimeMillis();
    }
    try {
      while (running) {
        if (State.failRequested) {
          State.failRequested = false;
          throw new RuntimeException("statefun-ts flink-runtime: injected failure (POST /fail)");
        }
        Inbound m = State.take(offset, 50);
        if (m == null) {
          continue;
        }
        synchronized (ctx.getCheckpointLock()) {
          ctx.collect(m);
          offset++;
          State.deliveredOffset = offset;
        }
      }
    } finally {
      State.sourceRunning = false;
    }
  }

  @Override
  public void cancel() {
    running = false;
  }
}
