// The greeter's logs: the level from --log-level or LOG_LEVEL, and the function service writing
// JSON lines through pino when stdout is not a terminal.
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { Int32Type, StringType } from "@statefun-ts/sdk";
import { toFunctionCodec } from "@statefun-ts/sdk/wire";
import { describe, expect, it } from "vitest";
import { greeterApp } from "./greeter-app.js";
import { greeterLogger, logLevelFrom } from "./greeter-logger.js";

describe("the greeter's logger", () => {
  it("takes --log-level (both forms) over LOG_LEVEL, and refuses an unknown level", () => {
    expect(logLevelFrom(["--log-level", "warn"], { LOG_LEVEL: "debug" })).toBe("warn");
    expect(logLevelFrom(["--log-level=error"], {})).toBe("error");
    expect(logLevelFrom([], { LOG_LEVEL: "debug" })).toBe("debug");
    expect(logLevelFrom([], {})).toBeUndefined();
    expect(() => logLevelFrom(["--log-level"], {})).toThrow("--log-level needs a level");
    expect(() => logLevelFrom(["--log-level", "loud"], {})).toThrow("is not a log level");
    expect(greeterLogger(["--log-level", "warn"]).level).toBe("warn");
  });

  it("writes JSON lines (stdout is not a terminal here) with the greeter's name", () => {
    expect(process.stdout.isTTY).not.toBe(true);
    let text = "";
    const out = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    });
    const logger = greeterLogger(["--log-level", "info"], out);
    logger.debug("not written");
    logger.info("greeter functions at http://127.0.0.1:8000/statefun");
    expect(
      text
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line)),
    ).toEqual([
      expect.objectContaining({
        level: 30,
        name: "greeter",
        msg: "greeter functions at http://127.0.0.1:8000/statefun",
      }),
    ]);
  });

  it("reports a failed request to the greeter's pino logger, nothing on success", async () => {
    let text = "";
    const out = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    });
    const logger = greeterLogger([], out);
    const server = greeterApp({ handler: { logger } }).listen(0, "127.0.0.1");
    await once(server, "listening");
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/statefun`;
    const call = (typename: string, value: Uint8Array) =>
      fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/octet-stream" },
        body: toFunctionCodec.encode({
          invocation: {
            target: { namespace: "com.example.fns", type: "greeter", id: "Bob" },
            state: [{ stateName: "seen_count" }],
            invocations: [{ argument: { typename, hasValue: true, value } }],
          },
        }),
      });
    try {
      expect((await call("io.statefun.types/string", StringType.serialize("Bob"))).status).toBe(
        200,
      );
      expect(text).toBe("");
      expect((await call("io.statefun.types/int", Int32Type.serialize(7))).status).toBe(500);
      const line = JSON.parse(text.trim()) as {
        level: number;
        name: string;
        msg: string;
        err: { message: string };
      };
      expect(line).toMatchObject({ level: 50, name: "greeter" });
      expect(line.msg).toContain("com.example.fns/greeter:Bob");
      expect(line.err.message).toContain("the greeter takes an io.statefun.types/string name");
    } finally {
      server.close();
    }
  });
});
