// The checker on a small workspace of its own: clean, it reports nothing; with one violation
// planted, it reports exactly that one, naming the files involved.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkArchitecture } from "../src/check-architecture.js";
import type { Rule } from "../src/violation.js";

type Files = Record<string, string>;

const pkg = (name: string) =>
  JSON.stringify({
    name,
    type: "module",
    exports: { ".": { development: "./src/index.ts", default: "./dist/index.js" } },
  });

/** A clean workspace: a layered library, a library using it, an app using both. */
const CLEAN: Files = {
  "tsconfig.base.json": JSON.stringify({
    compilerOptions: {
      target: "es2022",
      module: "nodenext",
      moduleResolution: "nodenext",
      customConditions: ["development"],
      strict: true,
      skipLibCheck: true,
      types: [],
    },
  }),
  "libs/core/package.json": pkg("@fx/core"),
  "libs/core/layers.json": JSON.stringify({
    scope: ["src/**"],
    exclude: ["src/**/*.test.ts"],
    floors: [
      { name: "generated", holds: "codes", files: ["src/generated/**"], onlyFrom: ["ground"] },
      { name: "ground", holds: "shapes", files: ["src/ground/**"] },
      { name: "top", holds: "the entry", files: ["src/*.ts"] },
    ],
  }),
  "libs/core/src/generated/code.ts": "export const CODE = 7;\n",
  "libs/core/src/ground/shape.ts":
    'import { CODE } from "../generated/code.js";\nexport interface Shape { readonly size: number }\nexport const code = CODE;\n',
  "libs/core/src/ground/size.ts":
    'import type { Shape } from "./shape.js";\nexport const sizeOf = (s: Shape): number => s.size;\n',
  "libs/core/src/thing.ts": [
    'import { sizeOf } from "./ground/size.js";',
    "export class Thing {",
    "  /** A public method. */",
    "  size(): number { return sizeOf({ size: 1 }); }",
    "  /** @internal For this package only. */",
    "  secret(): number { return 2; }",
    "}",
    "",
  ].join("\n"),
  "libs/core/src/index.ts": 'export { Thing } from "./thing.js";\n',
  "libs/core/src/thing.test.ts":
    'import { Thing } from "./thing.js";\nexport const own = new Thing().secret();\n',
  "libs/user/package.json": pkg("@fx/user"),
  "libs/user/src/index.ts":
    'import { Thing } from "@fx/core";\nexport const used = new Thing().size();\n',
  "apps/app/package.json": pkg("@fx/app"),
  "apps/app/src/index.ts":
    'import { Thing } from "@fx/core";\nimport { used } from "@fx/user";\nexport const all = [new Thing(), used];\n',
};

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function workspace(planted: Files = {}): string {
  const root = mkdtempSync(join(tmpdir(), "architecture-"));
  roots.push(root);
  for (const [path, text] of Object.entries({ ...CLEAN, ...planted })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  mkdirSync(join(root, "node_modules/@fx"), { recursive: true });
  for (const [name, dir] of [
    ["core", "libs/core"],
    ["user", "libs/user"],
    ["app", "apps/app"],
  ] as const) {
    symlinkSync(join(root, dir), join(root, "node_modules/@fx", name));
  }
  return root;
}

function rulesOf(root: string): { rule: Rule; message: string }[] {
  return checkArchitecture(root).violations.map(({ rule, message }) => ({ rule, message }));
}

describe("the architecture check", () => {
  it("passes a clean workspace, where a package may use its own @internal members", () => {
    const report = checkArchitecture(workspace());
    expect(report.violations).toEqual([]);
    expect(report.towers).toEqual([
      {
        package: "@fx/core",
        floors: 3,
        upwardImports: 0,
        chain: [
          "libs/core/src/index.ts",
          "libs/core/src/thing.ts",
          "libs/core/src/ground/size.ts",
          "libs/core/src/ground/shape.ts",
          "libs/core/src/generated/code.ts",
        ],
      },
    ]);
  });

  it("fails on an import cycle", () => {
    const root = workspace({
      "libs/core/src/ground/shape.ts":
        'import { sizeOf } from "./size.js";\nexport interface Shape { readonly size: number }\nexport const one = sizeOf({ size: 1 });\n',
    });
    expect(rulesOf(root)).toEqual([
      {
        rule: "import-cycle",
        message: expect.stringContaining(
          "libs/core/src/ground/shape.ts -> libs/core/src/ground/size.ts -> libs/core/src/ground/shape.ts",
        ),
      },
    ]);
  });

  it("fails on an upward import in a layered package", () => {
    const root = workspace({
      "libs/core/src/banner.ts": 'export const BANNER = "core";\n',
      "libs/core/src/ground/size.ts":
        'import type { Shape } from "./shape.js";\nimport { BANNER } from "../banner.js";\nexport const sizeOf = (s: Shape): number => s.size + BANNER.length;\n',
    });
    expect(rulesOf(root)).toEqual([
      {
        rule: "upward-import",
        message: expect.stringContaining(
          'libs/core/src/ground/size.ts (floor 1 "ground") imports libs/core/src/banner.ts (floor 2 "top")',
        ),
      },
    ]);
  });

  it("fails on an import of a floor reserved to the floors above it", () => {
    const root = workspace({
      "libs/core/src/banner.ts":
        'import { CODE } from "./generated/code.js";\nexport const BANNER = CODE;\n',
    });
    expect(rulesOf(root)).toEqual([
      {
        rule: "reserved-floor",
        message: expect.stringContaining(
          'libs/core/src/banner.ts (floor "top") imports libs/core/src/generated/code.ts, but floor "generated" may only be imported from "ground"',
        ),
      },
    ]);
  });

  it("fails on a file of a layered package that is on no floor", () => {
    const root = workspace({ "libs/core/src/extra/stray.ts": "export const stray = 1;\n" });
    expect(rulesOf(root)).toEqual([
      { rule: "unlisted-file", message: expect.stringContaining("libs/core/src/extra/stray.ts") },
    ]);
  });

  it("fails on a library importing an app", () => {
    const root = workspace({
      "libs/user/src/uses-app.test.ts":
        'import { all } from "@fx/app";\nexport const n = all.length;\n',
    });
    expect(rulesOf(root)).toEqual([
      // The app imports the library that now imports it.
      { rule: "package-cycle", message: expect.stringContaining("@fx/app -> @fx/user -> @fx/app") },
      {
        rule: "library-imports-app",
        message: expect.stringContaining("library @fx/user imports app @fx/app"),
      },
    ]);
  });

  it("fails on an @internal member of an exported interface", () => {
    const root = workspace({
      "libs/core/src/ground/shape.ts":
        "export interface Shape {\n  readonly size: number;\n  /** @internal */\n  hidden(): void;\n}\n",
    });
    expect(rulesOf(root)).toEqual([
      {
        rule: "internal-on-interface",
        message: expect.stringContaining(
          "libs/core/src/ground/shape.ts:4: member hidden of the exported interface Shape is marked @internal",
        ),
      },
    ]);
  });

  it("fails on a library using another package's @internal member", () => {
    const root = workspace({
      "libs/user/src/index.ts":
        'import { Thing } from "@fx/core";\nexport const used = new Thing().size() + new Thing().secret();\n',
    });
    expect(rulesOf(root)).toEqual([
      {
        rule: "internal-member",
        message: expect.stringMatching(
          /libs\/user\/src\/index\.ts:2 uses secret, which @fx\/core marks @internal/,
        ),
      },
    ]);
  });
});
