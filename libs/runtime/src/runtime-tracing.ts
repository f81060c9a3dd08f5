// Opt-in OpenTelemetry tracing of the runtime (RuntimeOptions.tracing, `dev --tracing`): a
// `statefun.delivery` span per batch delivered to a function, from the call to the committed
// reply (or the failure), through @opentelemetry/api (no-op until an OpenTelemetry SDK registers
// a tracer provider). An observer of RuntimeCore like the metrics.
import { type Span, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type {
  AddressKey,
  QueuedMessage,
  ReplyEffects,
  StoredEgressRecord,
} from "./durable-store.js";
import type { RuntimeObserver } from "./runtime-observer.js";

/** The span name and attribute keys of a delivery. */
export const RUNTIME_SPANS = {
  /** Span per batch delivered to a function. */
  delivery: "statefun.delivery",
  /** Attribute: `<namespace>/<type>`. */
  functionType: "statefun.function_type",
  /** Attribute: the address id. */
  id: "statefun.id",
  /** Attribute: messages in the batch. */
  batchSize: "statefun.batch_size",
  /** Attribute: messages the reply sent to functions. */
  outgoing: "statefun.outgoing_messages",
  /** Attribute: egress records the reply wrote. */
  egress: "statefun.egress_records",
  /** Attribute: state changes the reply made. */
  stateChanges: "statefun.state_changes",
} as const;

const key = (address: AddressKey): string =>
  `${address.namespace}/${address.type}\u0000${address.id}`;

/** A RuntimeObserver making one span per delivery (one call is in flight per address). */
export function tracingObserver(): RuntimeObserver {
  const tracer = trace.getTracer("@statefun-ts/runtime");
  const open = new Map<string, Span>();
  const end = (address: AddressKey): Span | undefined => {
    const k = key(address);
    const span = open.get(k);
    if (span !== undefined) open.delete(k);
    return span;
  };
  return {
    callStarted(address: AddressKey, batch: readonly QueuedMessage[]) {
      end(address)?.end(); // a call that never reported its end
      open.set(
        key(address),
        tracer.startSpan(RUNTIME_SPANS.delivery, {
          kind: SpanKind.CLIENT,
          attributes: {
            [RUNTIME_SPANS.functionType]: `${address.namespace}/${address.type}`,
            [RUNTIME_SPANS.id]: address.id,
            [RUNTIME_SPANS.batchSize]: batch.length,
          },
        }),
      );
    },
    replyApplied(effects: ReplyEffects, egress: readonly StoredEgressRecord[]) {
      const span = end(effects.self);
      if (span === undefined) return;
      span.setAttributes({
        [RUNTIME_SPANS.outgoing]: effects.outgoing.length,
        [RUNTIME_SPANS.egress]: egress.length,
        [RUNTIME_SPANS.stateChanges]: effects.stateChanges.length,
      });
      span.end();
    },
    callFailed(address: AddressKey, error: unknown) {
      const span = end(address);
      if (span === undefined) return;
      const message = error instanceof Error ? error.message : String(error);
      span.recordException(error instanceof Error ? error : message);
      span.setStatus({ code: SpanStatusCode.ERROR, message });
      span.end();
    },
  };
}
