// Crash safety: the runtime SIGKILLed between a request and its commit loses and doubles nothing.
import { writeFileSync } from "node:fs";
import {
  Int32Type,
  KafkaEgressBuilder,
  StringType,
  statefulFunctionsBuilder,
  typeNameFrom,
} from "@statefun-ts/sdk";
import { afterEach, describe, expect, it } from "vitest";
import { type ReadyChild as Child, startChild } from "./child-runtime.js";
import {
  listTopic,
  moduleYaml,
  serveRecording,
  tempDir,
  waitFor,
  waitForRecords,
} from "./harness.js";

const OUT = typeNameFrom("test.io/out");
const SINK = typeNameFrom("test.fns/sink");
const count = { name: "count", valueType: Int32Type };

function functions() {
  return statefulFunctionsBuilder()
    .withSpec({
      functionType: typeNameFrom("test.fns/counter"),
      states: [count],
      function: (ctx) => {
        const n = (ctx.storage.get(count) ?? 0) + 1;
        ctx.storage.set(count, n);
        const target = { functionType: SINK, id: ctx.self.id };
        ctx.sendEgress(
          new KafkaEgressBuilder({ target: OUT, topic: "counts", key: ctx.self.id, value: `${n}` }),
        );
        ctx.send({ target, value: `msg ${n}`, valueType: StringType });
        ctx.sendAfterWithCancellationToken(50, `tok-${n}`, {
          target,
          value: `delayed ${n}`,
          valueType: StringType,
        });
      },
    })
    .withSpec({
      functionType: SINK,
      states: [],
      function: (ctx, message) => {
        ctx.sendEgress(
          new KafkaEgressBuilder({
            target: OUT,
            topic: "sink",
            key: ctx.self.id,
            value: message.asString(),
          }),
        );
      },
    })
    .asHandler();
}

async function put(child: Child, path: string, text: string): Promise<void> {
  const response = await fetch(`${child.ingressUrl}/${path}`, {
    method: "PUT",
    headers: { "Content-Type": "text/plain" },
    body: text,
  });
  expect(response.status).toBe(202);
}

describe("crash safety (runtime in a child process)", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("loses and doubles nothing when SIGKILLed between a request and its commit, and resumes on restart", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    let hold = true;
    let heldSeen = false;
    const served = await serveRecording(functions(), async (request) => {
      const texts = (request.invocations ?? []).map((i) =>
        StringType.deserialize(i.argument?.value ?? new Uint8Array()),
      );
      if (
        hold &&
        request.target?.type === "counter" &&
        texts.includes("m2") &&
        (request.state ?? []).length > 0
      ) {
        heldSeen = true;
        await new Promise(() => {}); // never answers: the runtime dies waiting
      }
      return undefined;
    });
    cleanups.push(served.close);
    const moduleFile = `${dir}/module.yaml`;
    writeFileSync(moduleFile, moduleYaml("test.fns", served.url));
    const stateFile = `${dir}/state.db`;

    const first = await startChild(moduleFile, stateFile);
    cleanups.push(() => {
      first.process.kill("SIGKILL");
    });
    await put(first, "test.fns/counter/a", "m1");
    await waitForRecords(first.egressUrl, "sink", 2);
    await put(first, "test.fns/counter/a", "m2");
    await waitFor("the held request", () => heldSeen);
    await put(first, "test.fns/counter/a", "m3"); // queued behind the in-flight batch
    first.process.kill("SIGKILL");
    await first.exited;

    hold = false;
    const second = await startChild(moduleFile, stateFile);
    cleanups.push(async () => {
      second.process.kill("SIGKILL");
    });
    await waitForRecords(second.egressUrl, "counts", 3);
    await waitForRecords(second.egressUrl, "sink", 6);
    // A marker after recovery: counter/a and sink/a handle their messages in order, and its
    // delayed message is due after every earlier one, so once "msg 4" and "delayed 4" are in,
    // any duplicate of m1..m3 or of their messages would be in too.
    await put(second, "test.fns/counter/a", "m4");
    const sink = await waitFor("the marker's messages in sink", async () => {
      const records = await listTopic(second.egressUrl, "sink");
      const values = records.map((r) => r.value);
      return values.includes("msg 4") && values.includes("delayed 4") ? records : undefined;
    });
    expect((await listTopic(second.egressUrl, "counts")).map((r) => r.value)).toEqual([
      "1",
      "2",
      "3",
      "4",
    ]);
    expect(sink.map((r) => r.value).sort()).toEqual([
      "delayed 1",
      "delayed 2",
      "delayed 3",
      "delayed 4",
      "msg 1",
      "msg 2",
      "msg 3",
      "msg 4",
    ]);
    expect(sink.every((r) => r.key === "a")).toBe(true);
    expect(second.output()).toContain("resuming");

    // SIGTERM stops the CLI cleanly.
    second.process.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  });
});
