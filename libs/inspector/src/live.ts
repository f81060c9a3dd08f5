// Live updates: one EventSource on /api/events. Invocations go into a bounded list; `changed`
// events bump a version per topic, which the views watch to read their data again.
import { type Signal, signal } from "@preact/signals";
import type { ChangedEvent, InvocationJson } from "./api-types.js";
import { pushBounded } from "./ring.js";

/** How many invocations the page keeps (its ring buffer). */
export const PAGE_INVOCATION_BOUND = 500;

type Topic = ChangedEvent["topics"][number];

/** Whether the event stream is open. */
export const connected = signal<"connecting" | "live" | "lost">("connecting");
/** Recent invocations, newest first, at most {@link PAGE_INVOCATION_BOUND}. */
export const liveInvocations = signal<InvocationJson[]>([]);
/** Invocations the server left out because they came faster than the page reads them. */
export const skippedInvocations = signal(0);
/** One counter per topic, bumped on each change. */
export const versions: Record<Topic, Signal<number>> = {
  functions: signal(0),
  addresses: signal(0),
  delayed: signal(0),
  egress: signal(0),
  "dead-letters": signal(0),
};
/** The addresses named by the last changes (`namespace/type/id`). */
export const changedAddresses = signal<ReadonlySet<string>>(new Set());

/** Seeds the list with what the runtime still holds, then follows the stream. */
export function startLive(seed: () => Promise<readonly InvocationJson[]>): void {
  const source = new EventSource("/api/events");
  let pending: InvocationJson[] = [];
  let scheduled = false;
  source.addEventListener("hello", () => {
    connected.value = "live";
    // (Re)connected: read everything again, events may have been missed meanwhile.
    void seed().then((entries) => {
      liveInvocations.value = entries.slice(0, PAGE_INVOCATION_BOUND);
    });
    for (const version of Object.values(versions)) version.value += 1;
  });
  source.addEventListener("invocation", (event) => {
    pending.push(JSON.parse((event as MessageEvent<string>).data) as InvocationJson);
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      const known = new Set(liveInvocations.value.map((e) => e.seq));
      const fresh = pending.filter((e) => !known.has(e.seq));
      pending = [];
      liveInvocations.value = pushBounded(liveInvocations.value, fresh, PAGE_INVOCATION_BOUND);
    });
  });
  source.addEventListener("skipped", (event) => {
    const data = JSON.parse((event as MessageEvent<string>).data) as { invocations: number };
    skippedInvocations.value += data.invocations;
  });
  source.addEventListener("changed", (event) => {
    const data = JSON.parse((event as MessageEvent<string>).data) as ChangedEvent;
    changedAddresses.value = new Set(data.addresses);
    for (const topic of data.topics) versions[topic].value += 1;
  });
  source.addEventListener("error", () => {
    connected.value = source.readyState === EventSource.CLOSED ? "lost" : "connecting";
  });
}
