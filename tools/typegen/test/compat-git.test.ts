// --check-compat against git history in throwaway repositories: the default ref (merge base with
// main, HEAD on a clean clone of main), a shallow clone, no git at all, an unknown ref,
// SCHEMA_REMOVED in every mode, "retired", and the transitive modes.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkCompat } from "../src/compat/check-compat.js";
import { COMPAT_MODES } from "../src/compat/compat-rules.js";

const base = mkdtempSync(join(tmpdir(), "typegen-compat-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let count = 0;

const git = (cwd: string, ...args: string[]): string =>
  execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

function user(props: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    $schema: "https://json-schema.org/draft/2020-12/schema",
    "x-statefun-typename": "t/User",
    title: "User",
    description: "A user.",
    type: "object",
    additionalProperties: false,
    required: ["name"],
    properties: props,
    examples: [{ name: "a" }],
    ...extra,
  });
}

function write(repo: string, file: string, text: string): void {
  mkdirSync(dirname(join(repo, file)), { recursive: true });
  writeFileSync(join(repo, file), text);
}

/** A repo on main with one commit of schemas/t/User.schema.json holding name and nickname. */
function repo(): string {
  const dir = join(base, `repo-${count++}`);
  mkdirSync(dir);
  git(dir, "init", "-q", "-b", "main");
  git(dir, "config", "user.email", "t@example.com");
  git(dir, "config", "user.name", "t");
  git(dir, "config", "commit.gpgsign", "false");
  write(
    dir,
    "schemas/t/User.schema.json",
    user({ name: { type: "string" }, nickname: { type: "string" } }),
  );
  commit(dir, "v1");
  return dir;
}

function commit(dir: string, message: string): void {
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", message);
}

const withoutNickname = user({ name: { type: "string" } });

describe("--check-compat against git", () => {
  it("compares a branch with its merge base with main and names rule, pointer and fix", () => {
    const dir = repo();
    git(dir, "checkout", "-q", "-b", "feature");
    write(dir, "schemas/t/User.schema.json", withoutNickname);
    commit(dir, "drop nickname");
    const report = checkCompat({ root: dir, schemas: "schemas" });
    expect(report.checked).toBe(true);
    expect(report.against).toMatch(/^the merge base with main \([0-9a-f]{10}\)$/);
    expect(report.violations.map((v) => v.message)).toEqual([
      expect.stringMatching(
        /^schemas\/t\/User\.schema\.json#\/properties\/nickname: FIELD_REMOVED: the optional property "nickname" was removed from a closed object \(mode backward, against the merge base with main .*\): .*; to make it compatible: keep the property/,
      ),
    ]);
  });

  it("checks uncommitted changes against HEAD on main, and passes a clean clone of main", () => {
    const dir = repo();
    write(dir, "schemas/t/User.schema.json", withoutNickname);
    const dirty = checkCompat({ root: dir, schemas: "schemas" });
    expect(dirty.against).toMatch(/^HEAD \([0-9a-f]{10}, the merge base with main\)$/);
    expect(dirty.violations.map((v) => v.rule)).toEqual(["FIELD_REMOVED"]);
    git(dir, "checkout", "-q", "--", ".");
    const clone = join(base, `clone-${count++}`);
    execFileSync("git", ["clone", "-q", dir, clone]);
    const clean = checkCompat({ root: clone, schemas: "schemas" });
    expect(clean).toMatchObject({ checked: true, compared: 1, violations: [] });
    expect(clean.against).toMatch(/^HEAD \(.*the merge base with main\)$/);
    // a detached CI checkout without a local main branch uses origin/main
    git(clone, "checkout", "-q", "--detach");
    git(clone, "branch", "-q", "-D", "main");
    const detached = checkCompat({ root: clone, schemas: "schemas" });
    expect(detached).toMatchObject({ checked: true, violations: [] });
    expect(detached.against).toMatch(/the merge base with origin\/main\)$/);
  });

  it("works in a shallow clone with the history it has, and says so", () => {
    const dir = repo();
    git(dir, "checkout", "-q", "-b", "feature");
    write(dir, "schemas/t/User.schema.json", withoutNickname);
    commit(dir, "drop nickname");
    const clone = join(base, `shallow-${count++}`);
    execFileSync("git", [
      "clone",
      "-q",
      "--depth",
      "1",
      "--branch",
      "feature",
      `file://${dir}`,
      clone,
    ]);
    const report = checkCompat({ root: clone, schemas: "schemas" });
    expect(report.checked).toBe(true);
    expect(report.notes.join("\n")).toMatch(/shallow clone/);
    expect(report.violations).toEqual([]); // HEAD is the only version it can see
    const unknown = checkCompat({ root: clone, schemas: "schemas", against: "main~5" });
    expect(unknown).toMatchObject({ checked: false });
    expect(unknown.reason).toMatch(
      /--against main~5 is not a commit here \(this is a shallow clone: fetch it first/,
    );
  });

  it("passes, saying why, outside a git checkout", () => {
    const dir = join(base, `plain-${count++}`);
    write(dir, "schemas/t/User.schema.json", withoutNickname);
    const report = checkCompat({ root: dir, schemas: "schemas" });
    expect(report).toMatchObject({ checked: false, violations: [] });
    expect(report.reason).toMatch(/not a git checkout/);
  });

  for (const mode of COMPAT_MODES) {
    const fails = ["backward", "full", "backward_transitive", "full_transitive"].includes(mode);
    it(`SCHEMA_REMOVED ${fails ? "fails" : "passes"} in mode ${mode}, and "retired" records why`, () => {
      const dir = repo();
      write(
        dir,
        "schemas/t/Old.schema.json",
        user(
          { name: { type: "string" } },
          { "x-statefun-typename": "t/Old", title: "Old", "x-statefun-compatibility": mode },
        ),
      );
      commit(dir, "add Old");
      rmSync(join(dir, "schemas/t/Old.schema.json"));
      const report = checkCompat({ root: dir, schemas: "schemas" });
      expect(report.violations.map((v) => `${v.file}#${v.pointer}: ${v.rule}`)).toEqual(
        fails ? ["schemas/t/Old.schema.json#: SCHEMA_REMOVED"] : [],
      );
      const retired = checkCompat({
        root: dir,
        schemas: "schemas",
        retired: { "t/Old": "never stored or sent by anyone" },
      });
      expect(retired.violations).toEqual([]);
      expect(retired.ignored.map((v) => v.ignoredBecause)).toEqual(
        fails ? ["retired in registry.config.json: never stored or sent by anyone"] : [],
      );
    });
  }

  it("transitive modes compare with every earlier version, not only the one at the ref", () => {
    const dir = repo();
    // v2 drops nickname while the schema says "none"; v3 (working tree) asks for a transitive mode
    write(
      dir,
      "schemas/t/User.schema.json",
      user({ name: { type: "string" } }, { "x-statefun-compatibility": "none" }),
    );
    commit(dir, "v2");
    write(
      dir,
      "schemas/t/User.schema.json",
      user({ name: { type: "string" } }, { "x-statefun-compatibility": "backward" }),
    );
    expect(checkCompat({ root: dir, schemas: "schemas" }).violations).toEqual([]);
    write(
      dir,
      "schemas/t/User.schema.json",
      user({ name: { type: "string" } }, { "x-statefun-compatibility": "backward_transitive" }),
    );
    const report = checkCompat({ root: dir, schemas: "schemas" });
    expect(report.violations.map((v) => [v.pointer, v.rule, v.against])).toEqual([
      [
        "/properties/nickname",
        "FIELD_REMOVED",
        git(dir, "rev-parse", "--short=10", "HEAD~1").trim(),
      ],
    ]);
  });
});
