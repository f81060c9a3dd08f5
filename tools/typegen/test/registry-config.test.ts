// registry.config.json: a bad config fails naming the key and the fix; the outputs it names are
// where generation writes.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generate, WORKSPACE_ROOT } from "../src/generate.js";
import {
  parseRegistryConfig,
  RegistryConfigError,
  readRegistryConfig,
} from "../src/registry-config.js";

const all = { typescript: "ts", go: "go", java: "java", python: "py" };
mkdirSync(join(WORKSPACE_ROOT, "tools/typegen/.tmp"), { recursive: true });
const work = mkdtempSync(join(WORKSPACE_ROOT, "tools/typegen/.tmp/config-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("registry.config.json", () => {
  it("reads the workspace's config", () => {
    const config = readRegistryConfig(WORKSPACE_ROOT);
    expect(config.schemas).toBe("schemas");
    expect(Object.keys(config.outputs).sort()).toEqual(["go", "java", "python", "typescript"]);
  });

  const bad: [string, unknown, RegExp][] = [
    ["not an object", [], /must hold a JSON object/],
    ["an unknown key", { outputs: all, output: {} }, /unknown key "output"/],
    ["no outputs", { schemas: "schemas" }, /"outputs" must map each language/],
    ["an unknown language", { outputs: { ...all, rust: "rs" } }, /unknown language "rust"/],
    ["a missing language", { outputs: { typescript: "ts" } }, /lacks go, java, python/],
    ["a non-string folder", { outputs: { ...all, go: 1 } }, /"outputs.go" must be a folder/],
    [
      "an empty schemas folder",
      { schemas: "", outputs: all },
      /"schemas" must be the schemas folder/,
    ],
  ];
  for (const [what, value, message] of bad) {
    it(`refuses ${what}`, () => {
      expect(() => parseRegistryConfig(value, "registry.config.json")).toThrow(RegistryConfigError);
      expect(() => parseRegistryConfig(value, "registry.config.json")).toThrow(message);
    });
  }

  it("skips a language mapped to null", () => {
    expect(parseRegistryConfig({ outputs: { ...all, java: null } }, "f").outputs.java).toBeNull();
  });

  it("refuses a missing or unparsable file, naming it", () => {
    expect(() => readRegistryConfig(work)).toThrow(/registry.config.json is missing/);
    writeFileSync(join(work, "registry.config.json"), "{");
    expect(() => readRegistryConfig(work)).toThrow(/registry.config.json: not valid JSON/);
  });

  it("sends each language where the config says", async () => {
    const root = mkdtempSync(join(work, "root-"));
    cpSync(join(WORKSPACE_ROOT, "schemas"), join(root, "types"), { recursive: true });
    writeFileSync(
      join(root, "registry.config.json"),
      JSON.stringify({
        schemas: "types",
        outputs: { typescript: null, go: null, java: "out/j", python: "out/p" },
      }),
    );
    const { files, outputDirs } = await generate({ root });
    expect(outputDirs).toEqual([join(root, "out/j"), join(root, "out/p")]);
    expect([...files.keys()].every((p) => p.startsWith(join(root, "out/")))).toBe(true);
    expect(files.get(join(root, "out/p/statefun_registry/user.py"))).toContain(
      "from types/com.example/User.schema.json",
    );
  });
});
