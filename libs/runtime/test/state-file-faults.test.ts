// Issue 16 rows: one owner per state file (a second runtime, a second --reset), a process holding
// SQLite's write lock when a delayed message falls due, a read-only state file, a full disk.
import { spawn } from "node:child_process";
import { chmodSync, chownSync, existsSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import {
  KafkaEgressBuilder,
  StringType,
  statefulFunctionsBuilder,
  typeNameFrom,
} from "@statefun-ts/sdk";
import { afterEach, describe, expect, it } from "vitest";
import { spawnCli, startChild } from "./child-runtime.js";
import {
  listTopic,
  memoryLog,
  moduleYaml,
  runtimeFor,
  send,
  serveRecording,
  sleep,
  tempDir,
  waitFor,
  waitForRecords,
} from "./harness.js";

const OUT = typeNameFrom("test.io/out");

/** Writes each message to topic "out"; a message "later" also sends "fired" to itself after 1.5 s. */
function echo() {
  return statefulFunctionsBuilder()
    .withSpec({
      functionType: typeNameFrom("test.fns/echo"),
      states: [],
      function: (ctx, message) => {
        const text = message.asString();
        ctx.sendEgress(
          new KafkaEgressBuilder({ target: OUT, topic: "out", key: ctx.self.id, value: text }),
        );
        if (text === "later") {
          ctx.sendAfter(1500, { target: ctx.self, value: "fired", valueType: StringType });
        }
      },
    })
    .asHandler();
}

const BETTER_SQLITE3 = createRequire(import.meta.url).resolve("better-sqlite3");

/** A separate process that holds SQLite's write lock on `file` for `ms`; resolves once it holds it. */
async function holdWriteLock(file: string, ms: number) {
  const script = `
    const Database = require(${JSON.stringify(BETTER_SQLITE3)});
    const db = new Database(${JSON.stringify(file)});
    db.exec("BEGIN IMMEDIATE");
    process.stdout.write("locked\\n");
    setTimeout(() => { db.exec("COMMIT"); db.close(); process.stdout.write("released\\n"); }, ${ms});
  `;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  child.stdout?.on("data", (c: Buffer) => {
    output += c.toString();
  });
  await waitFor("the lock holder", () => output.includes("locked"));
  return {
    released: () => output.includes("released"),
    exited: new Promise<void>((resolve) => child.once("exit", () => resolve())),
    kill: () => void child.kill("SIGKILL"),
  };
}

describe("state file faults", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("refuses a second runtime and a second --reset on a state file in use, naming the file and the pid, and deletes nothing", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const served = await serveRecording(echo(), () => new Promise(() => {})); // hung function
    cleanups.push(served.close);
    const moduleFile = `${dir}/module.yaml`;
    writeFileSync(moduleFile, moduleYaml("test.fns", served.url));
    const stateFile = `${dir}/state.db`;
    const first = await startChild(moduleFile, stateFile);
    cleanups.push(() => {
      first.process.kill("SIGKILL");
    });
    for (let i = 0; i < 200; i += 1) {
      const response = await fetch(`${first.ingressUrl}/test.fns/echo/${i % 7}`, {
        method: "PUT",
        headers: { "Content-Type": "text/plain" },
        body: `m${i}`,
      });
      expect(response.status).toBe(202);
    }
    const pid = String(first.process.pid);

    // Same ports and --reset: refused before anything is deleted.
    const ingressPort = new URL(first.ingressUrl).port;
    const egressPort = new URL(first.egressUrl).port;
    const reset = spawnCli([
      "dev",
      "--no-inspector",
      "--module",
      moduleFile,
      "--state-file",
      stateFile,
      "--reset",
      "--ingress-port",
      ingressPort,
      "--egress-port",
      egressPort,
    ]);
    expect(await reset.exited).not.toBe(0);
    expect(reset.output()).toContain(`state file ${stateFile} is in use by process ${pid}`);
    expect(reset.output()).toContain("Nothing was changed or deleted");

    // Other ports: refused too.
    const second = spawnCli([
      "dev",
      "--no-inspector",
      "--module",
      moduleFile,
      "--state-file",
      stateFile,
      "--ingress-port",
      "0",
      "--egress-port",
      "0",
    ]);
    expect(await second.exited).not.toBe(0);
    expect(second.output()).toContain(`is in use by process ${pid}`);

    // The first runtime still has all 200 messages.
    expect(existsSync(stateFile)).toBe(true);
    first.process.kill("SIGKILL");
    await first.exited;
    const Database = (await import("better-sqlite3")).default;
    const db = new Database(stateFile, { readonly: true });
    expect((db.prepare("SELECT COUNT(*) AS n FROM queue").get() as { n: number }).n).toBe(200);
    db.close();
    // Once the owner is gone (even SIGKILLed), the next runtime starts.
    const third = await startChild(moduleFile, stateFile);
    cleanups.push(() => {
      third.process.kill("SIGKILL");
    });
    expect(third.output()).toContain("resuming 200 queued message(s)");
  }, 60_000);

  it("survives another process holding the write lock for 6 s when a delayed message falls due: 503 at the ingress, the delay fires after", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const served = await serveRecording(echo());
    cleanups.push(served.close);
    const moduleFile = `${dir}/module.yaml`;
    writeFileSync(moduleFile, moduleYaml("test.fns", served.url));
    const stateFile = `${dir}/state.db`;
    const child = await startChild(moduleFile, stateFile);
    cleanups.push(() => {
      child.process.kill("SIGKILL");
    });
    const put = (text: string) =>
      fetch(`${child.ingressUrl}/test.fns/echo/a`, {
        method: "PUT",
        headers: { "Content-Type": "text/plain" },
        body: text,
      });
    expect((await put("later")).status).toBe(202);
    await waitForRecords(child.egressUrl, "out", 1);
    const holder = await holdWriteLock(stateFile, 6000);
    cleanups.push(() => {
      holder.kill();
    });
    // The delayed message falls due while the lock is held; the ingress says why it cannot accept.
    await sleep(500);
    const refused = await put("during");
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(((await refused.json()) as { error: string }).error).toContain("SQLITE_BUSY");
    await holder.exited;
    expect(child.process.exitCode).toBeNull();
    const records = await waitForRecords(child.egressUrl, "out", 2, 15_000);
    expect(records.map((r) => r.value)).toEqual(["later", "fired"]);
    expect(child.output()).toContain("cannot release due delayed messages");
    expect((await put("after")).status).toBe(202);
    await waitForRecords(child.egressUrl, "out", 3);
    expect(child.process.exitCode).toBeNull();
  }, 60_000);

  it("refuses to start on a read-only state file with a reason, and changes nothing", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const moduleFile = `${dir}/module.yaml`;
    writeFileSync(moduleFile, moduleYaml("test.fns", "http://127.0.0.1:9/statefun"));
    const stateFile = `${dir}/state.db`;
    const first = await startChild(moduleFile, stateFile);
    expect(
      (
        await fetch(`${first.ingressUrl}/test.fns/echo/a`, {
          method: "PUT",
          headers: { "Content-Type": "text/plain" },
          body: "kept",
        })
      ).status,
    ).toBe(202);
    first.process.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    const before = statSync(stateFile);
    chmodSync(stateFile, 0o444);
    // root ignores file modes: run the runtime as an unprivileged user then.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    if (process.getuid?.() === 0) {
      chownSync(dir, 65534, 65534);
      chownSync(`${dir}/module.yaml`, 65534, 65534);
      for (const suffix of [".lock", ".lock-wal", ".lock-shm"]) {
        if (existsSync(stateFile + suffix)) chownSync(stateFile + suffix, 65534, 65534);
      }
    }
    const second = spawnCli(
      [
        "dev",
        "--no-inspector",
        "--module",
        moduleFile,
        "--state-file",
        stateFile,
        "--ingress-port",
        "0",
        "--egress-port",
        "0",
      ],
      asUser,
    );
    const code = await Promise.race([second.exited, sleep(20_000).then(() => "still running")]);
    second.process.kill("SIGKILL");
    expect(code).not.toBe(0);
    expect(code).not.toBe("still running");
    expect(second.output()).toContain(`cannot open state file ${stateFile}`);
    expect(second.output()).toMatch(/read-only/);
    expect(statSync(stateFile).size).toBe(before.size);
  }, 60_000);

  it("answers 503 when the disk is full (size cap), applies nothing half, and keeps serving reads", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const served = await serveRecording(echo(), () => new Promise(() => {})); // hung: the queue grows
    cleanups.push(served.close);
    const logs = memoryLog();
    const runtime = await runtimeFor(moduleYaml("test.fns", served.url), `${dir}/state.db`, logs, {
      maxStateBytes: 256 * 1024,
    });
    cleanups.push(() => runtime.close());
    let accepted = 0;
    let full: { status: number; json: Record<string, unknown> } | undefined;
    for (let i = 0; i < 200 && !full; i += 1) {
      const answer = await send(runtime, `test.fns/echo/${i % 5}`, "x".repeat(4000));
      if (answer.status === 202) accepted += 1;
      else full = answer;
    }
    expect(full?.status).toBe(503);
    expect(String(full?.json.error)).toContain("SQLITE_FULL");
    expect(String(full?.json.error)).toContain("nothing was changed");
    // Nothing half-applied: exactly the accepted messages are queued.
    expect(runtime.stats().queued).toBe(accepted);
    expect(runtime.core.queuedMessages()).toHaveLength(accepted);
    // The runtime keeps serving reads.
    expect((await fetch(`${runtime.egressUrl}/topics`)).status).toBe(200);
    expect(await listTopic(runtime.egressUrl, "out")).toEqual([]);
  });
});
