// A missing toolchain, for real: the Go fixture is built with a PATH that lacks `go` (and, for a
// nested "command not found", one that lacks `mvn` and `protoc`, which scripts/protoc.sh needs),
// inside a child vitest whose output goes through tools/scripts/test-summary.mjs as in CI. With
// CI set the suite fails with a test naming the tool; without it the cases are skipped tests with
// the reason in their title, counted in the summary line.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { missingToolchainIn, pathWithout } from "../../../tools/scripts/toolchains.mjs";
import { buildFixture } from "../src/fixtures.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "../../..");
const emptyHome = mkdtempSync(join(tmpdir(), "no-m2-"));
afterAll(() => rmSync(emptyHome, { recursive: true, force: true }));

/** Runs the probe suite in a child vitest, piped through the CI summary. */
function probe(env: NodeJS.ProcessEnv): { status: number | null; output: string } {
  const vitest = spawnSync(
    process.execPath,
    [join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "--root", join(HERE, "toolchain-probe")],
    { env, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 },
  );
  const output = `${vitest.stdout}${vitest.stderr}`;
  const summary = execFileSync(process.execPath, [join(ROOT, "tools/scripts/test-summary.mjs")], {
    input: output,
    encoding: "utf8",
  });
  return { status: vitest.status, output: summary };
}

/** The environment of the child vitest: this one without CI, plus `extra`. */
function childEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of ["CI", "VITEST", "VITEST_WORKER_ID", "VITEST_POOL_ID"]) delete env[key];
  return { ...env, ...extra };
}

describe("a missing toolchain", () => {
  const noGo = pathWithout(["go"]);

  it("makes the Go fixture build exit 127 with a message naming go", async () => {
    const outcome = await buildFixture("go", { env: { ...process.env, PATH: noGo, FORCE: "1" } });
    expect(outcome.ready).toBe(false);
    if (outcome.ready) return;
    expect(outcome.reason).toContain("toolchain 'go' not found");
    expect(missingToolchainIn(127, outcome.reason)?.tool).toBe("go");
  });

  it("in a nested script (scripts/protoc.sh without protoc and mvn) is a missing toolchain too", async () => {
    const env = {
      ...process.env,
      PATH: pathWithout(["mvn", "protoc"]),
      HOME: emptyHome,
      FORCE: "1",
    };
    const outcome = await buildFixture("go", { env });
    expect(outcome.ready).toBe(false);
    if (outcome.ready) return;
    expect(outcome.reason).toMatch(/'protoc' not found on PATH, and 'mvn' is missing/);
    expect(missingToolchainIn(127, outcome.reason)?.tool).toBe("protoc");
  });

  it("reads bash's own 'command not found' from any nested script as the tool's name", () => {
    const nested = spawnSync("bash", ["-c", 'set -e; x="$(bash -c no-such-tool-xyz)"; echo "$x"'], {
      encoding: "utf8",
    });
    expect(nested.status).toBe(127);
    expect(missingToolchainIn(nested.status, nested.stderr)?.tool).toBe("no-such-tool-xyz");
    expect(missingToolchainIn(1, nested.stderr)).toBeUndefined();
  });

  it("fails the suite in CI, naming the tool", () => {
    const { status, output } = probe(childEnv({ CI: "true", PROBE_PATH: noGo }));
    expect(status).not.toBe(0);
    expect(output).toContain("compat probe: toolchain 'go' is required in CI");
    expect(output).toMatch(
      /toolchain 'go' is missing in CI \(go fixture: toolchain 'go' not found/,
    );
    expect(output).toContain("vitest: 1 passed, 1 failed, 1 skipped");
  }, 120_000);

  it("outside CI, reports the cases as skipped tests with the reason, counted in the summary", () => {
    const { status, output } = probe(childEnv({ PROBE_PATH: noGo }));
    expect(status, output).toBe(0);
    expect(output).toContain("vitest: 1 passed, 0 failed, 2 skipped");
    expect(output).toContain(
      "compat probe: every case with the go SDK SKIPPED, toolchain 'go' missing: go fixture: toolchain 'go' not found",
    );
    expect(output).toContain("a case with the go SDK (SKIPPED: go toolchain missing: go fixture");
  }, 120_000);
});
