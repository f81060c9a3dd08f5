// The inspector's live updates: one server-sent event stream per open page, fed by the activity
// recorder, flushed at most every 200 ms with bounded backlogs (a slow page loses events, it
// never makes the runtime buffer without bound).
import type { ServerResponse } from "node:http";
import type { ChangedEvent, InvocationJson } from "@statefun-ts/inspector/api-types";
import {
  type ActivityRecorder,
  RATE_WINDOW_SECONDS,
  type RecorderEvent,
} from "./activity-recorder.js";

/** Flush period of a stream, in ms. */
export const FLUSH_MS = 200;
/** Invocations one flush sends at most (the newest); the rest are counted as skipped. */
export const MAX_INVOCATIONS_PER_FLUSH = 50;
/** Addresses one `changed` event names at most. */
const MAX_ADDRESSES = 50;
/** A comment line every 15 s keeps proxies and the browser from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

/**
 * Serves `GET /api/events`: events `hello` (`{ now }`), `invocation` (an InvocationJson),
 * `changed` (a ChangedEvent: what to read again) and `skipped` (`{ invocations }` left out
 * because they came faster than a page can show them).
 */
export function openEventStream(response: ServerResponse, recorder: ActivityRecorder): void {
  response.writeHead(200, {
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-store",
    Connection: "keep-alive",
    "X-Accel-Buffering": "no",
  });
  response.write(`retry: 2000\nevent: hello\ndata: ${JSON.stringify({ now: Date.now() })}\n\n`);
  let invocations: InvocationJson[] = [];
  let skipped = 0;
  const topics = new Set<ChangedEvent["topics"][number]>();
  const addresses = new Set<string>();
  let flushTimer: NodeJS.Timeout | undefined;
  let decayTimer: NodeJS.Timeout | undefined;
  let congested = false;

  const write = (text: string): void => {
    if (congested) return;
    if (!response.write(text)) {
      congested = true;
      response.once("drain", () => {
        congested = false;
      });
    }
  };
  const flush = (): void => {
    flushTimer = undefined;
    if (congested) {
      skipped += invocations.length;
      invocations = [];
      // Keep topics and addresses: they are re-read once the page catches up.
      flushTimer = setTimeout(flush, FLUSH_MS);
      return;
    }
    let text = "";
    if (skipped > 0) {
      text += `event: skipped\ndata: ${JSON.stringify({ invocations: skipped })}\n\n`;
      skipped = 0;
    }
    for (const entry of invocations)
      text += `event: invocation\ndata: ${JSON.stringify(entry)}\n\n`;
    invocations = [];
    if (topics.size > 0) {
      const changed: ChangedEvent = { topics: [...topics], addresses: [...addresses] };
      text += `event: changed\ndata: ${JSON.stringify(changed)}\n\n`;
      if (topics.has("functions")) {
        // Calls per second fall back to 0 when calls stop: say so once the window has passed.
        if (decayTimer) clearTimeout(decayTimer);
        decayTimer = setTimeout(
          () => {
            decayTimer = undefined;
            onEvent({ kind: "changed", changed: { topics: ["functions"], addresses: [] } });
          },
          RATE_WINDOW_SECONDS * 1000 + 100,
        );
      }
      topics.clear();
      addresses.clear();
    }
    if (text !== "") write(text);
  };
  const onEvent = (event: RecorderEvent): void => {
    if (event.kind === "invocation") {
      invocations.push(event.entry);
      if (invocations.length > MAX_INVOCATIONS_PER_FLUSH) {
        invocations.shift();
        skipped += 1;
      }
    } else {
      for (const topic of event.changed.topics) topics.add(topic);
      for (const address of event.changed.addresses) {
        if (addresses.size < MAX_ADDRESSES) addresses.add(address);
      }
    }
    flushTimer ??= setTimeout(flush, FLUSH_MS);
  };
  const unsubscribe = recorder.subscribe(onEvent);
  const heartbeat = setInterval(() => write(": keep-alive\n\n"), HEARTBEAT_MS);
  const close = (): void => {
    unsubscribe();
    clearInterval(heartbeat);
    if (flushTimer) clearTimeout(flushTimer);
    if (decayTimer) clearTimeout(decayTimer);
  };
  response.on("close", close);
}
