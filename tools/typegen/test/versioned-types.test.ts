// Versioned types (x-statefun-supersedes): the schema rule, --check-compat accepting a declared new
// version where it reports TYPENAME_CHANGED otherwise, and the TypeScript upgrade function.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkCompat } from "../src/compat/check-compat.js";
import { generate } from "../src/generate.js";
import { loadSchemas } from "../src/load-registry.js";
import { SchemaErrors } from "../src/schema-error.js";

const base = mkdtempSync(join(tmpdir(), "typegen-versioned-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let count = 0;

function schema(typeName: string, patch: Record<string, unknown> = {}): string {
  const name = typeName.split("/").pop();
  return JSON.stringify({
    $schema: "https://json-schema.org/draft/2020-12/schema",
    "x-statefun-typename": typeName,
    title: name,
    description: `The ${name} test type.`,
    type: "object",
    additionalProperties: false,
    required: ["name"],
    properties: { name: { type: "string" } },
    examples: [{ name: "a" }],
    ...patch,
  });
}

const v2 = (patch: Record<string, unknown> = {}): string =>
  schema("t/UserV2", {
    required: ["given"],
    properties: { given: { type: "string" } },
    examples: [{ given: "a" }],
    ...patch,
  });

function folder(files: Record<string, string>): string {
  const dir = join(base, `dir-${count++}`);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

const git = (cwd: string, ...args: string[]): string =>
  execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

/** A git repo on main whose one commit holds schemas/t/User.schema.json. */
function repo(): string {
  const dir = folder({ "schemas/t/User.schema.json": schema("t/User") });
  git(dir, "init", "-q", "-b", "main");
  git(dir, "config", "user.email", "t@example.com");
  git(dir, "config", "user.name", "t");
  git(dir, "config", "commit.gpgsign", "false");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "v1");
  return dir;
}

function rulesOf(dir: string): { pointer: string; rule: string; message: string }[] {
  try {
    loadSchemas(join(dir, "schemas"), dir);
    return [];
  } catch (error) {
    if (!(error instanceof SchemaErrors)) throw error;
    return error.errors.map((e) => ({ pointer: e.pointer, rule: e.rule, message: e.message }));
  }
}

describe("x-statefun-supersedes", () => {
  it("accepts a new version naming an older type of the registry (string or array)", () => {
    for (const supersedes of ["t/User", ["t/User"]]) {
      const dir = folder({
        "schemas/t/User.schema.json": schema("t/User"),
        "schemas/t/UserV2.schema.json": v2({ "x-statefun-supersedes": supersedes }),
      });
      const models = loadSchemas(join(dir, "schemas"), dir);
      expect(models.find((m) => m.typeName === "t/UserV2")?.supersedes).toEqual(["t/User"]);
      expect(models.find((m) => m.typeName === "t/User")?.supersedes).toEqual([]);
    }
  });

  it("refuses an unknown typename, the type itself, and malformed values, naming the fix", () => {
    const cases: [unknown, RegExp][] = [
      ["t/Gone", /t\/Gone is not in the registry: keep the old version's schema/],
      ["t/UserV2", /t\/UserV2 cannot supersede itself/],
      [[], /must be the typename of the older version, or an array/],
      [[3], /must be the typename of the older version/],
      [["t/User", "t/User"], /distinct typenames/],
      [{ from: "t/User" }, /must be the typename of the older version/],
    ];
    for (const [value, message] of cases) {
      const dir = folder({
        "schemas/t/User.schema.json": schema("t/User"),
        "schemas/t/UserV2.schema.json": v2({ "x-statefun-supersedes": value as never }),
      });
      expect(rulesOf(dir)).toEqual([
        {
          pointer: "/x-statefun-supersedes",
          rule: "invalid-supersedes",
          message: expect.stringMatching(message),
        },
      ]);
    }
  });

  it("emits a typed upgrade function for TypeScript, and none for a type without it", async () => {
    const dir = folder({
      "schemas/t/User.schema.json": schema("t/User"),
      "schemas/t/UserV2.schema.json": v2({ "x-statefun-supersedes": "t/User" }),
    });
    const result = await generate({
      root: dir,
      outputs: { typescript: "gen", go: null, java: null, python: null },
    });
    const file = (path: string) =>
      [...result.files.entries()].find(([p]) => p.endsWith(path))?.[1] ?? "";
    const v2Module = file("t/user-v2.ts");
    expect(v2Module).toContain('import type { User } from "./user.js";');
    expect(v2Module).toContain('export const USER_V2_SUPERSEDES = ["t/User"] as const;');
    expect(v2Module).toMatch(
      /export function upgradeUserToUserV2\(\s*from: ValueSpec<User>,\s*to: ValueSpec<UserV2>,\s*migrate: \(old: User\) => UserV2,\s*\): StateUpgrade<User, UserV2> \{\s*return stateUpgrade\(from, to, migrate, \{ from: "t\/User", to: USER_V2_TYPENAME \}\);/,
    );
    expect(file("t/user.ts")).not.toMatch(/upgrade|SUPERSEDES/);
  });
});

describe("--check-compat and new versions", () => {
  it("a new version file beside the old one passes; the old one must stay", () => {
    const dir = repo();
    writeFileSync(
      join(dir, "schemas/t/UserV2.schema.json"),
      v2({ "x-statefun-supersedes": "t/User" }),
    );
    expect(checkCompat({ root: dir, schemas: "schemas" }).violations).toEqual([]);
  });

  it("a typename changed in place is TYPENAME_CHANGED unless the schema supersedes the old one", () => {
    const dir = repo();
    writeFileSync(join(dir, "schemas/t/User.schema.json"), schema("t/UserV2"));
    const report = checkCompat({ root: dir, schemas: "schemas" });
    expect(report.violations.map((v) => v.message)).toEqual([
      expect.stringMatching(
        /#\/x-statefun-typename: TYPENAME_CHANGED: .*x-statefun-supersedes.*Versioned state/,
      ),
    ]);
    writeFileSync(
      join(dir, "schemas/t/User.schema.json"),
      schema("t/UserV2", { "x-statefun-supersedes": "t/User" }),
    );
    expect(checkCompat({ root: dir, schemas: "schemas" }).violations).toEqual([]);
  });

  it("a type moved to another file is TYPENAME_CHANGED unless the new file supersedes it", () => {
    const dir = repo();
    git(dir, "rm", "-q", "schemas/t/User.schema.json");
    mkdirSync(join(dir, "schemas/t"), { recursive: true });
    // same title, new typename: the check sees a move
    const moved = (patch: Record<string, unknown>) =>
      schema("t/UserV2", { title: "User", ...patch });
    writeFileSync(join(dir, "schemas/t/UserV2.schema.json"), moved({}));
    expect(checkCompat({ root: dir, schemas: "schemas" }).violations.map((v) => v.rule)).toEqual([
      "TYPENAME_CHANGED",
    ]);
    writeFileSync(
      join(dir, "schemas/t/UserV2.schema.json"),
      moved({ "x-statefun-supersedes": "t/User" }),
    );
    expect(checkCompat({ root: dir, schemas: "schemas" }).violations).toEqual([]);
    // ... and generation then insists the old schema stays
    expect(rulesOf(dir).map((e) => e.rule)).toContain("invalid-supersedes");
  });
});
