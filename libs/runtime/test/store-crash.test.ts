// SIGKILL of a process writing the store as fast as it can: turns that enqueue messages and
// consume the earlier ones (queue watermarks), with the consumed rows collected in bulk every
// 4,096. After each kill the reopened file holds exactly the messages after the last consumed
// one: nothing consumed comes back, nothing enqueued is lost, whatever the kill interrupted.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { DurableStore } from "../src/durable-store.js";
import { MIN_GARBAGE_ROWS } from "../src/store/queue-room.js";
import { sleep, tempDir, waitFor } from "./harness.js";

const CHILD = fileURLToPath(new URL("./fixtures/store-crash-child.mjs", import.meta.url));
const self = { namespace: "crash.fns", type: "counter", id: "a" };
const number = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);

describe("the store under SIGKILL", () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  });

  it("keeps exactly the messages after the last consumed one, across kills mid-turn and mid-collection", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const file = `${dir}/state.db`;
    let upto = 0;
    for (let round = 0; round < 6; round += 1) {
      const child = spawn(process.execPath, [CHILD, file], { stdio: ["ignore", "pipe", "pipe"] });
      cleanups.push(() => child.kill("SIGKILL"));
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.stderr.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      const exited = new Promise((resolve) => child.on("exit", resolve));
      await waitFor(`the writer's first turn (round ${round})`, () => output.includes("ready"));
      await sleep(30 + Math.random() * 220);
      child.kill("SIGKILL");
      await exited;
      expect(output).toBe("ready\n");

      const store = new DurableStore(file);
      try {
        const stored = store.readStates(self, ["upto"], 0).get("upto");
        const now = stored === undefined ? 0 : number(stored);
        expect(now).toBeGreaterThanOrEqual(upto);
        upto = now;
        // The last committed turn enqueued 64 and consumed everything before them.
        const queued = store.takeBatch(self, 0).map((m) => number(m.argument.value));
        expect(queued).toEqual(Array.from({ length: 64 }, (_, i) => upto + 1 + i));
        const db = store.database();
        const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
        expect(count("SELECT COUNT(*) AS n FROM queued")).toBe(64);
        // The consumed rows are collected as they go: fewer than the threshold plus a turn remain.
        expect(count("SELECT COUNT(*) AS n FROM queue")).toBeLessThan(MIN_GARBAGE_ROWS + 128);
      } finally {
        store.close();
      }
    }
    // Enough turns ran for several collections to happen (and some kills to land near one).
    expect(upto).toBeGreaterThan(4 * MIN_GARBAGE_ROWS);
  });
});
