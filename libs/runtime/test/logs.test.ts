// The runtime's pino logs: JSON lines when not on a terminal, readable lines with pretty, levels
// from the option or STATEFUN_LOG_LEVEL, nothing built for levels that are off (egress lines),
// and `statefun-ts dev` writing JSON lines with --log-level.
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { Writable } from "node:stream";
import { KafkaEgressBuilder, statefulFunctionsBuilder, typeNameFrom } from "@statefun-ts/sdk";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger, type LogLevel, logEnabled, pinoLog, type RuntimeLog } from "../src/index.js";
import { spawnCli, startChild } from "./child-runtime.js";
import {
  moduleYaml,
  runtimeFor,
  send,
  serve,
  tempDir,
  waitFor,
  waitForRecords,
} from "./harness.js";

function sink(): { stream: Writable; text: () => string } {
  let text = "";
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

const dir = tempDir();
afterEach(() => {
  delete process.env.STATEFUN_LOG_LEVEL;
});

describe("createLogger and pinoLog", () => {
  it("writes JSON lines with the level and message, and skips levels below the one set", () => {
    const out = sink();
    const log = pinoLog(createLogger({ pretty: false, level: "warn", destination: out.stream }));
    log("info", "not written");
    log("warn", 'a "quoted" warning');
    log("error", "an error");
    const lines = out
      .text()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { level: number; msg: string; name: string });
    expect(lines.map((l) => [l.level, l.msg, l.name])).toEqual([
      [40, 'a "quoted" warning', "statefun-ts"],
      [50, "an error", "statefun-ts"],
    ]);
    expect(logEnabled(log, "info")).toBe(false);
    expect(logEnabled(log, "warn")).toBe(true);
  });

  it("writes readable lines when pretty (a terminal), not JSON", () => {
    const out = sink();
    const log = pinoLog(createLogger({ pretty: true, destination: out.stream }));
    log("info", "ready: ingress http://127.0.0.1:1");
    const line = out.text().trim();
    expect(line).toMatch(/INFO.*ready: ingress http:\/\/127\.0\.0\.1:1$/);
    expect(() => JSON.parse(line)).toThrow();
  });

  it("takes the level from STATEFUN_LOG_LEVEL, and refuses an unknown level naming the valid ones", () => {
    process.env.STATEFUN_LOG_LEVEL = "error";
    expect(createLogger({ pretty: false, destination: sink().stream }).level).toBe("error");
    expect(createLogger({ level: "debug", destination: sink().stream }).level).toBe("debug");
    expect(() => createLogger({ level: "loud" })).toThrow(
      "--log-level loud is not a log level; use one of trace, debug, info, warn, error, fatal, silent",
    );
    process.env.STATEFUN_LOG_LEVEL = "chatty";
    expect(() => createLogger()).toThrow("STATEFUN_LOG_LEVEL chatty is not a log level");
  });
});

describe("the runtime with a log whose info level is off", () => {
  it("builds no egress line (the per-record log is skipped), but still delivers", async () => {
    const OUT = typeNameFrom("com.example.logs/out");
    const handler = statefulFunctionsBuilder()
      .withSpec({
        functionType: typeNameFrom("com.example.logs/fn"),
        function: (ctx, message) => {
          ctx.sendEgress(
            new KafkaEgressBuilder({
              target: OUT,
              topic: "t",
              key: "k",
              value: message.asString(),
            }),
          );
        },
      })
      .asHandler();
    const functions = await serve(handler);
    const asked: LogLevel[] = [];
    const lines: string[] = [];
    const log: RuntimeLog = Object.assign(
      (level: LogLevel, message: string) => {
        lines.push(`${level} ${message}`);
      },
      {
        enabled: (level: LogLevel) => {
          asked.push(level);
          return level !== "info";
        },
      },
    );
    const runtime = await runtimeFor(
      moduleYaml(
        "com.example.logs",
        functions.url,
        "---\nkind: io.statefun.kafka.v1/egress\nspec:\n  id: com.example.logs/out\n  address: k:9092\n",
      ),
      ":memory:",
      { lines, log },
    );
    try {
      for (let i = 0; i < 5; i++) {
        expect((await send(runtime, "com.example.logs/fn/a", `v${i}`)).status).toBe(202);
      }
      await waitForRecords(runtime.egressUrl, "t", 5);
      expect(asked).toContain("info");
      expect(lines.filter((line) => line.includes("topic=t"))).toEqual([]);
    } finally {
      await runtime.close();
      await functions.close();
    }
  });
});

describe("statefun-ts dev logs", () => {
  it("writes JSON lines when stdout is a pipe, documents --log-level, refuses a bad one", async () => {
    const module = `${dir.dir}/module.yaml`;
    writeFileSync(module, moduleYaml("com.example.logs", "http://127.0.0.1:1/statefun"));
    const child = await startChild(module, ":memory:");
    child.process.kill("SIGTERM");
    expect(await child.exited).toBe(0);
    const lines = child
      .output()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(
      lines.some((l) => l.level === 30 && l.msg.startsWith("statefun-ts runtime ready:")),
    ).toBe(true);
    expect(lines.at(-1)?.msg).toBe("received SIGTERM, stopping");

    const help = spawnCli(["dev", "--help"]);
    expect(await help.exited).toBe(0);
    expect(help.output()).toContain("--log-level <level>");
    const bad = spawnCli(["dev", "--module", module, "--log-level", "loud"]);
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toContain("--log-level loud is not a log level");
  });

  it("writes only what --log-level lets through", async () => {
    // A port picked free, so the test knows where the ingress is without the (info) ready line.
    const probe = createServer().listen(0, "127.0.0.1");
    await once(probe, "listening");
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const module = `${dir.dir}/module2.yaml`;
    writeFileSync(module, moduleYaml("com.example.logs", "http://127.0.0.1:1/statefun"));
    const child = spawnCli([
      "dev",
      "--module",
      module,
      "--state-file",
      ":memory:",
      "--ingress-port",
      String(port),
      "--egress-port",
      "0",
      "--no-inspector",
      "--log-level",
      "warn",
    ]);
    // The function endpoint does not answer: the runtime warns that it retries.
    await waitFor("the ingress", async () => {
      const response = await fetch(`http://127.0.0.1:${port}/com.example.logs/fn/a`, {
        method: "PUT",
        headers: { "Content-Type": "text/plain" },
        body: "hi",
      }).catch(() => undefined);
      return response?.status === 202;
    });
    await waitFor("the retry warning", () => child.output().includes("retrying"));
    child.process.kill("SIGTERM");
    expect(await child.exited).toBe(0);
    const lines = child
      .output()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.level === 40)).toBe(true);
  });
});
