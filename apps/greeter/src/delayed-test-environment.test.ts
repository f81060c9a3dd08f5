// The greeter's delayed-message example on virtual time: the reply comes exactly 30 minutes
// later, a newer message replaces the pending reply, and `cancel` cancels it.
import { createTestEnvironment, type TestEnvironment } from "@statefun-ts/testing";
import { afterEach, describe, expect, it } from "vitest";
import {
  DEFAULT_DELAY_MS,
  DELAYED,
  delayedSpec,
  GREETS_EGRESS,
  INBOX,
  inboxSpec,
  recentGreetings,
} from "./index.js";

const MINUTE = 60_000;
let env: TestEnvironment | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

async function start(): Promise<TestEnvironment> {
  env = await createTestEnvironment({ functions: [delayedSpec(), inboxSpec] });
  return env;
}

const replies = (e: TestEnvironment) => e.egress(GREETS_EGRESS).map((r) => `${r.key}: ${r.text()}`);

describe("delayed messages on virtual time", () => {
  it("delivers the reply after 30 minutes, not before", async () => {
    const e = await start();
    const sentAt = e.now;
    await e.send({ target: { functionType: DELAYED, id: "Eve" }, value: "hello" });
    expect(e.pendingDelayed).toBe(1);

    await e.advance(DEFAULT_DELAY_MS - 1);
    expect(replies(e)).toEqual([]);
    expect(e.state({ functionType: INBOX, id: "Eve" }, recentGreetings)).toBeUndefined();

    await e.advance(1);
    expect(replies(e)).toEqual(["Eve: Hello from the future!"]);
    expect(e.egress(GREETS_EGRESS)[0]?.timestamp).toBe(sentAt + 30 * MINUTE);
    expect(e.state({ functionType: INBOX, id: "Eve" }, recentGreetings)).toEqual([
      "Hello from the future!",
    ]);
    expect(e.pendingDelayed).toBe(0);
  });

  it("never delivers a cancelled reply", async () => {
    const e = await start();
    await e.send({ target: { functionType: DELAYED, id: "Fay" }, value: "hello" });
    await e.advance(10 * MINUTE);
    await e.send({ target: { functionType: DELAYED, id: "Fay" }, value: "cancel" });
    expect(e.pendingDelayed).toBe(0);

    await e.advance(24 * 60 * MINUTE);
    expect(replies(e)).toEqual([]);
  });

  it("replaces a pending reply with the newer one (one token per caller)", async () => {
    const e = await start();
    await e.send({ target: { functionType: DELAYED, id: "Gil" }, value: "first" });
    await e.advance(10 * MINUTE);
    await e.send({ target: { functionType: DELAYED, id: "Gil" }, value: "second" });

    await e.advance(30 * MINUTE - 1);
    expect(replies(e)).toEqual([]);
    await e.advance(60 * MINUTE);
    expect(replies(e)).toEqual(["Gil: Hello from the future!"]);
    expect(e.egress(GREETS_EGRESS)[0]?.timestamp).toBe(e.now - 60 * MINUTE + 1);
  });

  it("fires delayed messages of several addresses in due order within one advance", async () => {
    env = await createTestEnvironment({ functions: [delayedSpec(5 * MINUTE), inboxSpec] });
    const start = env.now;
    await env.send({ target: { functionType: DELAYED, id: "late" }, value: "x" });
    await env.advance(MINUTE);
    await env.send({ target: { functionType: DELAYED, id: "later" }, value: "x" });

    await env.advance(60 * MINUTE);
    expect(env.egress(GREETS_EGRESS).map((r) => [r.key, r.timestamp - start])).toEqual([
      ["late", 5 * MINUTE],
      ["later", 6 * MINUTE],
    ]);
  });
});
