import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Runtime, startRuntime } from "@statefun-ts/runtime";
import Database from "better-sqlite3";
import type { ExchangeRecord, ExchangeRuntime } from "../src/index.js";

/** module.yaml: each function type pattern served by a URL, plus the Kafka egress compat/kafka. */
export function moduleYaml(
  routes: ReadonlyArray<readonly [functions: string, url: string]>,
): string {
  const endpoints = routes.map(
    ([functions, url]) => `kind: io.statefun.endpoints.v2/http
spec:
  functions: ${functions}
  urlPathTemplate: ${url}
  transport:
    type: io.statefun.transports.v1/async
    call: 30s
    connect: 5s
`,
  );
  const egress = `kind: io.statefun.kafka.v1/egress
spec:
  id: compat/kafka
  address: 127.0.0.1:9092
`;
  return [...endpoints, egress].join("---\n");
}

/** A local runtime on a fresh state file, with helpers to send, read egress and read state. */
export class LiveRuntime {
  private constructor(
    readonly runtime: Runtime,
    readonly dir: string,
    readonly log: string[],
  ) {}

  static async start(module: string, stateDir?: string): Promise<LiveRuntime> {
    const dir = stateDir ?? (await mkdtemp(join(tmpdir(), "compat-live-")));
    const log: string[] = [];
    const runtime = await startRuntime({
      module,
      stateFile: join(dir, "state.db"),
      ingressPort: 0,
      egressPort: 0,
      log: (level, message) => {
        log.push(`${level} ${message}`);
      },
      retry: { initialMs: 50, maxMs: 500 },
    });
    return new LiveRuntime(runtime, dir, log);
  }

  /** Sends `bytes` of `typename` to `<functionType>/<id>` through the HTTP ingress. */
  async send(functionType: string, id: string, typename: string, bytes: Uint8Array): Promise<void> {
    const response = await fetch(
      `${this.runtime.ingressUrl}/${functionType}/${encodeURIComponent(id)}`,
      {
        method: "POST",
        headers: { "Content-Type": `application/vnd.${typename}` },
        body: bytes,
      },
    );
    if (response.status !== 202) {
      throw new Error(
        `ingress refused ${functionType}/${id}: ${response.status} ${await response.text()}`,
      );
    }
  }

  /** Every record of an egress topic so far, without consuming. */
  async records(
    topic: string,
  ): Promise<Array<{ key: string | null; value: Uint8Array; typename: string }>> {
    const out: Array<{ key: string | null; value: Uint8Array; typename: string }> = [];
    let from = 0;
    for (;;) {
      const response = await fetch(
        `${this.runtime.egressUrl}/${topic}/records?from=${from}&limit=1000`,
      );
      if (response.status === 404) return out;
      const page = (await response.json()) as {
        records: Array<{
          key: string | null;
          value: string;
          valueEncoding: string;
          typename: string;
        }>;
        next: number;
      };
      for (const r of page.records) {
        out.push({
          key: r.key,
          typename: r.typename,
          value: new Uint8Array(
            Buffer.from(r.value, r.valueEncoding === "base64" ? "base64" : "utf8"),
          ),
        });
      }
      if (page.records.length < 1000) return out;
      from = page.next;
    }
  }

  /** This runtime as the exchange runner sees it (Kafka records are filed by topic here). */
  exchangeRuntime(): ExchangeRuntime {
    return {
      send: (functionType, id, typename, bytes) => this.send(functionType, id, typename, bytes),
      records: async (egress, topic): Promise<ExchangeRecord[]> => this.records(topic ?? egress),
    };
  }

  /** The stored bytes of a state, read from the runtime's SQLite file (undefined: absent). */
  state(functionType: string, id: string, name: string): Uint8Array | undefined {
    const [namespace, type] = functionType.split("/") as [string, string];
    const db = new Database(this.runtime.stateFile, { readonly: true, fileMustExist: true });
    try {
      const row = db
        .prepare("SELECT value FROM state WHERE namespace = ? AND type = ? AND id = ? AND name = ?")
        .get(namespace, type, id, name) as { value: Buffer } | undefined;
      return row === undefined ? undefined : new Uint8Array(row.value);
    } finally {
      db.close();
    }
  }

  /** Waits until `done()` holds, polling; fails with `describe()` after `timeoutMs`. */
  async until(
    done: () => Promise<boolean>,
    describe: () => Promise<string>,
    timeoutMs = 60_000,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await done())) {
      if (Date.now() > deadline) {
        throw new Error(
          `timed out: ${await describe()}\nruntime log (last 20):\n${this.log.slice(-20).join("\n")}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async close(removeState = true): Promise<void> {
    await this.runtime.close();
    if (removeState) await rm(this.dir, { recursive: true, force: true });
  }
}
