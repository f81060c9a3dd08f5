// tools/scripts/progress.mjs: long steps (Node installs, native compiles, fixture and Maven
// builds) print their name, still-running lines and elapsed time.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { progress, runStep, startStep } from "../../scripts/progress.mjs";

describe("progress", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("prints the step's start, a line every 30 s, and the elapsed time", () => {
    const lines: string[] = [];
    const done = startStep("compile better-sqlite3", (line) => lines.push(line));
    vi.advanceTimersByTime(65_000);
    done();
    expect(lines).toEqual([
      "[progress] compile better-sqlite3: started",
      "[progress] compile better-sqlite3: still running after 30.0 s",
      "[progress] compile better-sqlite3: still running after 60.0 s",
      "[progress] compile better-sqlite3: done in 65.0 s",
    ]);
  });

  it("stays quiet for a step shorter than quietUnderMs, and speaks up when it is not", () => {
    const lines: string[] = [];
    startStep("up-to-date build", (line) => lines.push(line), { quietUnderMs: 2000 })();
    expect(lines).toEqual([]);
    const done = startStep("cold build", (line) => lines.push(line), { quietUnderMs: 2000 });
    vi.advanceTimersByTime(2500);
    done();
    expect(lines).toEqual([
      "[progress] cold build: started",
      "[progress] cold build: done in 2.5 s",
    ]);
  });

  it("reports a failed step as FAILED and rethrows", async () => {
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    await expect(
      progress("fixture build", () => Promise.reject(new Error("mvn failed"))),
    ).rejects.toThrow("mvn failed");
    expect(stderr.mock.calls.map(([line]) => String(line))).toEqual([
      "[progress] fixture build: started\n",
      "[progress] fixture build: FAILED in 0.0 s\n",
    ]);
    stderr.mockRestore();
  });
});

describe("runStep", () => {
  it("prints the command's output only when it fails, and names the step", async () => {
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    await runStep("ok step", process.execPath, ["-e", "console.log('quiet')"]);
    await expect(
      runStep("bad step", process.execPath, ["-e", "console.error('why'); process.exit(3)"]),
    ).rejects.toThrow(/bad step: .* exited with 3/);
    const written = stderr.mock.calls.map(([chunk]) => String(chunk)).join("");
    stderr.mockRestore();
    expect(written).not.toContain("quiet");
    expect(written).toContain("why");
    expect(written).toMatch(/\[progress\] bad step: FAILED in/);
  });
});
