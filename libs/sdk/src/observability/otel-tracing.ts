// HandlerOptions.tracing: OpenTelemetry spans through @opentelemetry/api (an optional peer
// dependency, loaded only when the option is on; its spans are no-ops until an OpenTelemetry SDK
// registers a tracer provider): `statefun.batch` per batch, `statefun.invoke` per invocation.

import type { Address } from "../address.js";
import type { BatchHook, BatchScope } from "../batch-hook.js";
import type { RegisteredFunction } from "../function-registration.js";
import type { StatefulFunctionFn } from "../stateful-function.js";

// The part of @opentelemetry/api 1.x used here, typed structurally (no import of the package).
interface Span {
  setAttribute(key: string, value: string | number | boolean): unknown;
  recordException(exception: Error | string): void;
  setStatus(status: { code: number; message?: string }): unknown;
  end(): void;
}
type OtelContext = object;
interface Tracer {
  startSpan(
    name: string,
    options?: { kind?: number; attributes?: Record<string, string | number | boolean> },
    context?: OtelContext,
  ): Span;
}
/** What the SDK uses of `@opentelemetry/api`. */
export interface OtelApi {
  readonly trace: {
    getTracer(name: string, version?: string): Tracer;
    setSpan(context: OtelContext, span: Span): OtelContext;
  };
  readonly context: {
    active(): OtelContext;
    with<R>(context: OtelContext, fn: () => R): R;
  };
}

/** The span names and attribute keys. */
export const SDK_SPANS = {
  /** Span per batch. */
  batch: "statefun.batch",
  /** Span per invocation, a child of its batch span. */
  invoke: "statefun.invoke",
  /** Attribute: `<namespace>/<type>`. */
  functionType: "statefun.function_type",
  /** Attribute: the address id. */
  id: "statefun.id",
  /** Attribute: invocations in the batch. */
  batchSize: "statefun.batch_size",
  /** Attribute: the invocation's position in its batch, from 1. */
  invocation: "statefun.invocation",
  /** Attribute: `true` on the span of a missing-state handshake. */
  missingStates: "statefun.missing_states",
} as const;

const SPAN_KIND_SERVER = 1;
const SPAN_KIND_INTERNAL = 0;
const STATUS_ERROR = 2;

function fail(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({
    code: STATUS_ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}

/** The batch hook that traces batches and invocations with `api`'s global tracer provider. */
export function tracingHook(api: OtelApi): BatchHook {
  const tracer = api.trace.getTracer("@statefun-ts/sdk");
  return {
    begin(fn: RegisteredFunction, self: Address, size: number): BatchScope {
      const functionType = fn.functionType.toString();
      const batch = tracer.startSpan(SDK_SPANS.batch, {
        kind: SPAN_KIND_SERVER,
        attributes: {
          [SDK_SPANS.functionType]: functionType,
          [SDK_SPANS.id]: self.id,
          [SDK_SPANS.batchSize]: size,
        },
      });
      const parent = api.trace.setSpan(api.context.active(), batch);
      let n = 0;
      const run: StatefulFunctionFn = (ctx, message) => {
        const span = tracer.startSpan(
          SDK_SPANS.invoke,
          {
            kind: SPAN_KIND_INTERNAL,
            attributes: {
              [SDK_SPANS.functionType]: functionType,
              [SDK_SPANS.id]: self.id,
              [SDK_SPANS.batchSize]: size,
              [SDK_SPANS.invocation]: ++n,
            },
          },
          parent,
        );
        let result: void | Promise<void>;
        try {
          // Spans the function starts are children of its invocation's span.
          result = api.context.with(api.trace.setSpan(parent, span), () => fn.run(ctx, message));
        } catch (error) {
          fail(span, error);
          span.end();
          throw error;
        }
        if (result !== undefined && typeof (result as Promise<void>).then === "function") {
          return (result as Promise<void>).then(
            () => span.end(),
            (error: unknown) => {
              fail(span, error);
              span.end();
              throw error;
            },
          );
        }
        span.end();
        return result;
      };
      return {
        fn: { ...fn, run },
        end(error) {
          if (error !== undefined) fail(batch, error);
          batch.end();
        },
      };
    },
    missingStates(fn, self) {
      tracer
        .startSpan(SDK_SPANS.batch, {
          kind: SPAN_KIND_SERVER,
          attributes: {
            [SDK_SPANS.functionType]: fn.functionType.toString(),
            [SDK_SPANS.id]: self.id,
            [SDK_SPANS.missingStates]: true,
          },
        })
        .end();
    },
  };
}
