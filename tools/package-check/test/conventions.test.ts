// The packed libraries against npm's conventions: publint (strict), arethetypeswrong (node16 and
// bundler resolution; require() of these ES modules is allowed, see the README), and the manifest
// fields a user or a registry reads.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { describe, expect, inject, it } from "vitest";
import { PUBLISHED_LIBS } from "../../scripts/pack-libs.mjs";

const root = join(import.meta.dirname, "../../..");
const tarballs = inject("tarballs");

/** The files and manifest inside a tarball (npm's `package/` prefix removed). */
function contents(tarball: string): { files: string[]; manifest: Record<string, unknown> } {
  const files = execFileSync("tar", ["tzf", tarball], { encoding: "utf8" })
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => line.replace(/^package\//, ""));
  const manifest = JSON.parse(
    execFileSync("tar", ["xzf", tarball, "-O", "package/package.json"], { encoding: "utf8" }),
  ) as Record<string, unknown>;
  return { files, manifest };
}

describe.each(PUBLISHED_LIBS)("libs/%s as published", (lib) => {
  const tarball = tarballs[lib]!;

  it("passes publint (strict: warnings are errors)", async () => {
    const bytes = readFileSync(tarball);
    const pkgJson = contents(tarball).manifest;
    const { messages } = await publint({
      pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) },
      strict: true,
      level: "warning",
    });
    expect(messages.map((m) => formatMessage(m, pkgJson) ?? m.code)).toEqual([]);
  });

  it("passes arethetypeswrong for node16 (ESM and CJS importers) and bundlers", () => {
    const args = [
      join(root, "node_modules/@arethetypeswrong/cli/dist/index.js"),
      tarball,
      "--profile",
      "node16",
      // require() of an ES module works on every supported Node (20.19+, 22.12+), and the
      // install test proves it from a CommonJS project.
      "--ignore-rules",
      "cjs-resolves-to-esm",
      "--no-definitely-typed",
      "--format",
      "ascii",
      "--no-color",
      "--no-emoji",
    ];
    let output = "";
    let status = 0;
    try {
      output = execFileSync(process.execPath, args, { encoding: "utf8" });
    } catch (error) {
      const failed = error as { status: number; stdout: string; stderr: string };
      status = failed.status;
      output = failed.stdout + failed.stderr;
    }
    expect({ status, output }).toMatchObject({ status: 0 });
  });

  it("has the manifest fields users and registries read, and only the files meant", () => {
    const { files, manifest } = contents(tarball);
    const source = JSON.parse(readFileSync(join(root, "libs", lib, "package.json"), "utf8")) as {
      version: string;
    };
    expect(manifest).toMatchObject({
      name: `@statefun-ts/${lib}`,
      version: source.version,
      license: "Apache-2.0",
      type: "module",
      engines: { node: "^20.19.0 || >=22.12.0" },
      repository: { type: "git", directory: `libs/${lib}` },
      publishConfig: { access: "public" },
    });
    expect((manifest.keywords as string[]).length).toBeGreaterThan(2);
    expect(manifest.sideEffects).toEqual(lib === "runtime" ? ["./dist/cli/main.js"] : false);
    // workspace-only parts are stripped: sources are shipped for source maps, never resolved
    expect(JSON.stringify(manifest.exports)).not.toContain("development");
    expect(manifest).not.toHaveProperty("nx");
    expect(manifest).not.toHaveProperty("devDependencies");
    expect(files).toEqual(expect.arrayContaining(["README.md", "LICENSE", "package.json"]));
    if (lib !== "inspector")
      expect(files).toEqual(expect.arrayContaining(["dist/index.js", "dist/index.d.ts"]));
    expect(files.filter((f) => /\.test\.|tsbuildinfo|^test\/|^out-tsc\//.test(f))).toEqual([]);
    expect(
      files.filter((f) => !/^(dist|src)\/|^(README\.md|LICENSE|package\.json)$/.test(f)),
    ).toEqual([]);
    // every dependency is a real dependency of the code, with a range a registry can satisfy
    for (const [name, range] of Object.entries(
      (manifest.dependencies ?? {}) as Record<string, string>,
    )) {
      expect(range, `${name}: ${range}`).not.toMatch(/^(\*|file:|workspace:|link:)/);
    }
  });
});
