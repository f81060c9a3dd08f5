// `statefun-ts dev` options checked before anything starts: a bad --calls-per-endpoint is
// refused with the flag and the rule, and --help documents it.
import { describe, expect, it } from "vitest";
import { spawnCli } from "./child-runtime.js";

describe("statefun-ts dev options", () => {
  it("refuses a --calls-per-endpoint that is not a whole number of 0 or more, naming the flag", async () => {
    for (const bad of ["1.5", "many", "-1"]) {
      const child = spawnCli(["dev", "--module", "module.yaml", `--calls-per-endpoint=${bad}`]);
      expect(await child.exited).toBe(1);
      expect(child.output()).toContain(
        `--calls-per-endpoint ${bad} is not a whole number (0 or more)`,
      );
    }
  });

  it("documents --calls-per-endpoint in --help", async () => {
    const child = spawnCli(["dev", "--help"]);
    expect(await child.exited).toBe(0);
    expect(child.output()).toMatch(/--calls-per-endpoint <n> +calls in flight per endpoint/);
  });
});
