// The greeter's logs: the level from --log-level or LOG_LEVEL, and the function service writing
// JSON lines through pino when stdout is not a terminal.
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
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
});
