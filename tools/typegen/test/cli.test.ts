// The command line (bin/statefun-typegen.mjs): flags, exit codes and messages of --check-compat.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const bin = join(import.meta.dirname, "../bin/statefun-typegen.mjs");
const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
};

describe("statefun-typegen", () => {
  it("--check-compat against this repository's own history passes", () => {
    const { code, out } = run("--check-compat", "--against", "HEAD");
    expect(out).toMatch(/typegen: schemas are compatible with HEAD \([0-9a-f]{10}\)/);
    expect(code).toBe(0);
  });

  it("fails on an --against ref that does not exist, saying so", () => {
    const { code, out } = run("--check-compat", "--against", "no-such-ref-anywhere");
    expect(out).toContain(
      "compatibility not checked: --against no-such-ref-anywhere is not a commit here",
    );
    expect(code).toBe(1);
  });

  it("refuses --against without --check-compat, and unknown flags, with the usage", () => {
    expect(run("--against", "HEAD")).toMatchObject({
      code: 2,
      out: expect.stringContaining("--against needs --check-compat"),
    });
    expect(run("--chek")).toMatchObject({
      code: 2,
      out: expect.stringContaining("usage: statefun-typegen"),
    });
  });
});
