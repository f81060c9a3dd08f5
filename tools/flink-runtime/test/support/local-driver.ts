// ScenarioDriver on the local runtime (@statefun-ts/runtime), through its HTTP ingress and its
// egress reader, exactly as a user would drive it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startRuntime } from "@statefun-ts/runtime";
import type { EgressOutput, ScenarioDriver } from "./driver.js";
import { waitForCount } from "./driver.js";

interface ListedRecord {
  offset: number;
  key: string | null;
  value: string;
  valueEncoding: "utf8" | "base64";
  typename: string;
  kind: "kafka" | "kinesis" | "generic";
  egress: string;
  timestamp: number;
}

/** Starts the local runtime on free 127.0.0.1 ports with `moduleYaml` (text) and a fresh state file. */
export async function startLocalDriver(moduleYaml: string): Promise<ScenarioDriver> {
  const dir = mkdtempSync(join(tmpdir(), "statefun-ts-e2e-local-"));
  const log: string[] = [];
  const start = () =>
    startRuntime({
      module: moduleYaml,
      stateFile: join(dir, "state.db"),
      ingressPort: 0,
      egressPort: 0,
      log: (level, message) => {
        log.push(`${level} ${message}`);
        if (log.length > 500) log.shift();
      },
      retry: { initialMs: 50, maxMs: 500 },
    });
  const startedAt = Date.now();
  let runtime = await start();
  const startupMs = Date.now() - startedAt;

  const records = async (egress: string, topic?: string): Promise<EgressOutput[]> => {
    const out: EgressOutput[] = [];
    const name = topic ?? egress;
    for (let from = 0; ; ) {
      const response = await fetch(`${runtime.egressUrl}/${name}/records?from=${from}&limit=1000`);
      if (response.status !== 200) {
        throw new Error(`listing ${name}: HTTP ${response.status} ${await response.text()}`);
      }
      const page = (await response.json()) as { records: ListedRecord[]; next: number };
      for (const r of page.records) {
        if (r.egress !== egress) continue;
        out.push({
          egress,
          kind: r.kind,
          ...(r.kind !== "generic" ? { topic: name } : {}),
          ...(r.key ? { key: r.key } : {}),
          value: Buffer.from(r.value, r.valueEncoding === "base64" ? "base64" : "utf8"),
          typename: r.typename,
          timeMs: r.timestamp,
        });
      }
      if (page.records.length < 1000) return out;
      from = page.next;
    }
  };
  const driver: ScenarioDriver = {
    name: "local",
    startupMs,
    async send(ns, type, id, typename, bytes) {
      const path = [ns, type, id].map(encodeURIComponent).join("/");
      const response = await fetch(`${runtime.ingressUrl}/${path}`, {
        method: "POST",
        headers: { "Content-Type": `application/vnd.${typename}` },
        body: bytes,
      });
      if (response.status !== 202) {
        throw new Error(`local ingress ${path}: HTTP ${response.status} ${await response.text()}`);
      }
    },
    records,
    async restart() {
      await runtime.close();
      runtime = await start();
    },
    waitForRecords: (egress, count, opts) =>
      waitForCount(driver, egress, count, opts).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}\nruntime log:\n${log.slice(-30).join("\n")}`);
      }),
    async stop() {
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return driver;
}
