// The batch hook of a handler from its options: metrics, tracing, both, or none (then the
// dispatcher runs batches exactly as without observability).

import { type BatchHook, combineHooks } from "../batch-hook.js";
import type { ResolvedHandlerOptions } from "../handler-options.js";
import { requireOptional } from "./optional-module.js";
import { type OtelApi, tracingHook } from "./otel-tracing.js";
import { prometheusHook } from "./prometheus-metrics.js";

/** The hook the options ask for; `undefined` when neither metrics nor tracing is on. */
export function handlerHook(options: ResolvedHandlerOptions): BatchHook | undefined {
  let hook: BatchHook | undefined;
  if (options.metrics !== undefined) {
    hook = prometheusHook(options.metrics);
  }
  if (options.tracing) {
    const tracing = tracingHook(requireOptional<OtelApi>("@opentelemetry/api", "tracing"));
    hook = hook === undefined ? tracing : combineHooks(hook, tracing);
  }
  return hook;
}
