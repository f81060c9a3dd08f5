// The API reference (`npm run docs`, TypeDoc over sdk, testing and runtime) builds with
// treatWarningsAsErrors: every public symbol documented, nothing referenced but unexported.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";

const root = join(import.meta.dirname, "../../..");
const out = mkdtempSync(join(tmpdir(), "statefun-ts-docs-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

it("builds the API reference of sdk, testing and runtime without a warning", () => {
  let output = "";
  let status = 0;
  try {
    output = execFileSync(
      process.execPath,
      [join(root, "node_modules/typedoc/bin/typedoc"), "--out", out, "--logLevel", "Warn"],
      { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    );
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    status = failed.status;
    output = failed.stdout + failed.stderr;
  }
  expect({ status, output }).toEqual({ status: 0, output: "" });
  expect(existsSync(join(out, "index.html"))).toBe(true);
  const modules = readdirSync(join(out, "modules")).join(" ");
  for (const lib of ["sdk", "testing", "runtime"]) expect(modules).toContain(`_statefun-ts_${lib}`);
}, 600_000);
