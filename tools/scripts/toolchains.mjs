// Missing toolchains (go, java, mvn, python3, ...) in the test suites that need them: in CI
// (env CI set) a missing toolchain FAILS the suite with a test naming the tool; locally the cases
// that need it are registered as skipped tests whose title gives the reason, so they are counted
// (tools/scripts/test-summary.mjs) and never silently dropped.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

/** True when the environment says this is CI (`CI` set to anything but "", "0" or "false"). */
export function inCI(env = process.env) {
  const value = (env.CI ?? "").trim().toLowerCase();
  return value !== "" && value !== "0" && value !== "false";
}

/** The tools of `tools` that are not on `env.PATH`. */
export function missingTools(tools, env = process.env) {
  return tools.filter(
    (tool) =>
      spawnSync("bash", ["-c", 'command -v "$1"', "bash", tool], { env, stdio: "ignore" })
        .status !== 0,
  );
}

/**
 * Whether a failed command's exit code and output mean "a toolchain is missing": exit 127 (the
 * shell's "command not found", which set -e propagates from nested scripts), and the tool's name
 * when the output gives one ("toolchain 'go' not found" or "go: command not found").
 */
export function missingToolchainIn(exitCode, output) {
  if (exitCode !== 127) return undefined;
  const named =
    /toolchain '([^']+)' not found/.exec(output) ?? /([\w.+-]+): command not found/.exec(output);
  return {
    tool: named?.[1],
    reason: output.trim().split("\n").filter(Boolean).at(-1) ?? "exit 127",
  };
}

/**
 * Registers one test per missing toolchain of `suite` with vitest's `it`: in CI a test that fails
 * with `reason` (naming the tool); locally a skipped test whose title says what is skipped and why.
 * `missing` lists { tool, reason, skips } (skips: what cannot run without it).
 */
export function toolchainTests(it, suite, missing, env = process.env) {
  for (const { tool, reason, skips } of missing) {
    if (inCI(env)) {
      it(`${suite}: toolchain '${tool}' is required in CI`, () => {
        throw new Error(
          `${suite}: toolchain '${tool}' is missing in CI (${reason}); ${skips} cannot run`,
        );
      });
    } else {
      it.skip(`${suite}: ${skips} SKIPPED, toolchain '${tool}' missing: ${reason}`, () => {});
    }
  }
}

/** The title suffix of a test skipped for a missing toolchain ("" when it runs). */
export function skipNote(reason) {
  return reason ? ` (SKIPPED: ${reason})` : "";
}

/**
 * A PATH like `path` on which `tools` are missing: each folder holding one of them is replaced by
 * a temp folder of symlinks to everything else in it. For tests of the behaviour above.
 */
export function pathWithout(tools, path = process.env.PATH ?? "") {
  return path
    .split(delimiter)
    .map((dir) => {
      if (!tools.some((tool) => existsSync(join(dir, tool)))) return dir;
      const mirror = mkdtempSync(join(tmpdir(), "path-without-"));
      for (const entry of readdirSync(dir)) {
        if (!tools.includes(entry)) symlinkSync(join(dir, entry), join(mirror, entry));
      }
      return mirror;
    })
    .join(delimiter);
}
