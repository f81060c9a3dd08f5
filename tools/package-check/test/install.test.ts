// The packed libraries installed OFFLINE (from npm's cache, filled by `npm ci`) into an empty
// project outside the repository, used there as a user would: the greeter served over HTTP to
// `statefun-ts dev`, the test kit, require() from CommonJS, and TypeScript type checks.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { consumerLock } from "./consumer-lock.js";

const root = join(import.meta.dirname, "../../..");
const consumerFiles = join(import.meta.dirname, "../consumer");
const tarballs = inject("tarballs");
const children: ChildProcess[] = [];
let project = "";

/** Runs node on a file of the consumer project; returns its stdout (throws with stderr). */
function runNode(file: string): string {
  return execFileSync(process.execPath, [file], { cwd: project, encoding: "utf8" });
}

/** Starts a long-running process; resolves with the first stdout line matching `ready`. */
function startChild(command: string, args: string[], ready: RegExp): Promise<RegExpMatchArray> {
  const child = spawn(command, args, { cwd: project, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = output.match(ready);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`${command} exited with ${code}:\n${output}`)));
  });
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), "statefun-ts-consumer-"));
  for (const name of readdirSync(consumerFiles)) {
    cpSync(join(consumerFiles, name), join(project, name));
  }
  const typesNode = JSON.parse(
    readFileSync(join(root, "node_modules/@types/node/package.json"), "utf8"),
  ) as { version: string };
  const { dependencies, lock } = consumerLock(root, {
    tarballs: Object.values(tarballs),
    extra: { "@types/node": typesNode.version },
  });
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({
      name: "consumer",
      version: "1.0.0",
      private: true,
      type: "module",
      dependencies,
    }),
  );
  writeFileSync(join(project, "package-lock.json"), JSON.stringify(lock, null, 2));
  // --offline: every package comes from npm's cache (no registry); --ignore-scripts:
  // better-sqlite3's native addon is not compiled again, the workspace's build is reused below.
  execFileSync("npm", ["ci", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"], {
    cwd: project,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const workspaceSqlite = join(
    createRequire(join(root, "libs/runtime/package.json")).resolve("better-sqlite3/package.json"),
    "..",
  );
  cpSync(
    join(workspaceSqlite, "build/Release/better_sqlite3.node"),
    join(project, "node_modules/better-sqlite3/build/Release/better_sqlite3.node"),
  );
}, 180_000);

afterAll(() => {
  for (const child of children) child.kill("SIGTERM");
  if (project) rmSync(project, { recursive: true, force: true });
});

describe("the packed libraries in an empty project", () => {
  it("are installed from the tarballs, not linked to the workspace", () => {
    const installed = readdirSync(join(project, "node_modules/@statefun-ts")).sort();
    expect(installed).toEqual(["inspector", "registry", "runtime", "sdk", "testing"]);
    const manifest = readFileSync(
      join(project, "node_modules/@statefun-ts/sdk/package.json"),
      "utf8",
    );
    expect(manifest).not.toContain("development");
  });

  it("serve the greeter over HTTP to `statefun-ts dev`, ingress to egress", async () => {
    const [, functionPort] = await startChild(
      process.execPath,
      ["greeter-server.mjs"],
      /listening (\d+)/,
    );
    writeFileSync(
      join(project, "module.yaml"),
      [
        "kind: io.statefun.endpoints.v2/http",
        "spec:",
        "  functions: com.example.fns/*",
        `  urlPathTemplate: http://127.0.0.1:${functionPort}/`,
        "---",
        "kind: io.statefun.kafka.v1/egress",
        "spec:",
        "  id: com.example/greets",
        "  address: kafka-broker:9092",
        "",
      ].join("\n"),
    );
    const [, ingress, egress] = await startChild(
      join(project, "node_modules/.bin/statefun-ts"),
      [
        "dev",
        "--module",
        "module.yaml",
        "--types",
        "./types.mjs",
        "--state-file",
        ":memory:",
        "--ingress-port",
        "0",
        "--egress-port",
        "0",
      ],
      /ingress (http:\/\/[\d.:]+), egress (http:\/\/[\d.:]+)/,
    );
    const plain = await fetch(`${ingress}/com.example.fns/greeter/Bob`, {
      method: "PUT",
      headers: { "Content-Type": "text/plain" },
      body: "Bob",
    });
    expect(plain.status).toBeLessThan(300);
    // a registry type: validated at the ingress by the CLI (a wrong body is refused)
    const invalid = await fetch(`${ingress}/com.example.fns/greeter/Bob`, {
      method: "PUT",
      headers: { "Content-Type": "application/vnd.com.example/GreetRequest" },
      body: JSON.stringify({ nom: "Bob" }),
    });
    expect(invalid.status).toBe(400);
    const json = await fetch(`${ingress}/com.example.fns/greeter/Bob`, {
      method: "PUT",
      headers: { "Content-Type": "application/vnd.com.example/GreetRequest" },
      body: JSON.stringify({ name: "Bob" }),
    });
    expect(json.status).toBeLessThan(300);
    const greetings: string[] = [];
    const deadline = Date.now() + 20_000;
    while (greetings.length < 2 && Date.now() < deadline) {
      const response = await fetch(`${egress}/greetings`);
      if (response.status === 200) greetings.push(await response.text());
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(greetings).toEqual(["Hello Bob for the 1th time!", "Hello Bob for the 2th time!"]);
    // Prometheus metrics of the installed runtime
    const metrics = await (await fetch(`${egress}/metrics`)).text();
    expect(metrics).toContain('statefun_egress_records_total{topic="greetings",kind="kafka"} 2');
  });

  it("run the test kit", () => {
    expect(runNode("test-kit.mjs")).toContain("test kit ok");
  });

  it(`load with require() from CommonJS on Node ${process.versions.node}`, () => {
    expect(runNode("require.cjs")).toContain("require ok");
  });

  it("type-check as TypeScript ES-module and CommonJS users (strict, library checks on)", () => {
    const tsc = join(root, "node_modules/typescript/bin/tsc");
    let output = "";
    try {
      execFileSync(process.execPath, [tsc, "-p", "tsconfig.json"], {
        cwd: project,
        encoding: "utf8",
      });
    } catch (error) {
      const failed = error as { stdout: string; stderr: string };
      output = failed.stdout + failed.stderr;
    }
    expect(output).toBe("");
  });
});
