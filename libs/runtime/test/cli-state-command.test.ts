// `statefun-ts state <ns/type>/<id>` against a running runtime whose functions keep a built-in
// value, a registry (JSON) value and a custom binary value: each printed decoded, with --help,
// --json and the documented exit codes.
import { fileURLToPath } from "node:url";
import type { AddressResponse } from "@statefun-ts/inspector/api-types";
import { GreetRequestType } from "@statefun-ts/registry-examples";
import {
  Int32Type,
  type SimpleType,
  statefulFunctionsBuilder,
  typeNameFrom,
} from "@statefun-ts/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadJsonSchemas, type Runtime, validatorsFromTypes } from "../src/index.js";
import { spawnCli } from "./child-runtime.js";
import { memoryLog, moduleYaml, runtimeFor, send, serve, tempDir, waitFor } from "./harness.js";

const KEEPER = typeNameFrom("com.example.state/keeper");
const SCHEMAS = fileURLToPath(new URL("../../../schemas", import.meta.url));
const BlobType: SimpleType<Uint8Array> = {
  typeName: typeNameFrom("com.example/Blob"),
  serialize: (value) => value,
  deserialize: (bytes) => bytes,
};
const count = { name: "count", valueType: Int32Type };
const greeting = { name: "greeting", valueType: GreetRequestType };
const blob = { name: "blob", valueType: BlobType };

let runtime: Runtime;
let closeFunctions: () => Promise<void>;
const dir = tempDir();

async function cli(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawnCli(args);
  const code = await child.exited;
  return { code, output: child.output() };
}

beforeAll(async () => {
  const handler = statefulFunctionsBuilder()
    .withSpec({
      functionType: KEEPER,
      states: [count, greeting, blob],
      function: (ctx, message) => {
        const n = (ctx.storage.get(count) ?? 0) + 1;
        ctx.storage.set(count, n);
        ctx.storage.set(greeting, { name: message.asString() });
        ctx.storage.set(blob, new Uint8Array([0xca, 0xfe, n]));
      },
    })
    .asHandler();
  const functions = await serve(handler);
  closeFunctions = functions.close;
  runtime = await runtimeFor(
    moduleYaml("com.example.state", `${functions.url}/statefun`),
    `${dir.dir}/state.db`,
    memoryLog(),
    {
      inspectorPort: 0,
      validators: validatorsFromTypes([GreetRequestType]),
      schemas: loadJsonSchemas(SCHEMAS),
    },
  );
  for (const text of ["Bob", "Bobby"]) {
    expect((await send(runtime, "com.example.state/keeper/Bob", text)).status).toBe(202);
  }
  await waitFor("the second message applied", async () => {
    const response = await fetch(
      `${runtime.inspectorUrl}api/addresses/com.example.state/keeper/Bob`,
    );
    const body = (await response.json()) as AddressResponse;
    return body.states.find((s) => s.name === "count")?.value?.value === 2;
  });
});

afterAll(async () => {
  await runtime.close();
  await closeFunctions();
  dir.cleanup();
});

describe("statefun-ts state", () => {
  it("prints built-ins as values, registry JSON pretty, other types as hex with their typename", async () => {
    const result = await cli([
      "state",
      "com.example.state/keeper/Bob",
      "--url",
      `${runtime.inspectorUrl}`,
    ]);
    expect(result.code, result.output).toBe(0);
    const lines = result.output.split("\n");
    expect(lines[0]).toBe("com.example.state/keeper/Bob");
    expect(result.output).toContain("  count (io.statefun.types/int): 2\n");
    expect(result.output).toContain(
      '  greeting (com.example/GreetRequest):\n    {\n      "name": "Bobby"\n    }\n',
    );
    expect(result.output).toContain("  blob (com.example/Blob): 3 bytes, hex cafe02\n");
  });

  it("prints the API's answer with --json, and (no state) for an address without any", async () => {
    const json = await cli([
      "state",
      "com.example.state/keeper/Bob",
      "--json",
      "--url",
      `${runtime.inspectorUrl}`,
    ]);
    expect(json.code).toBe(0);
    const body = JSON.parse(json.output) as AddressResponse;
    expect(body.address).toEqual({ namespace: "com.example.state", type: "keeper", id: "Bob" });
    expect(body.states.map((s) => s.name).sort()).toEqual(["blob", "count", "greeting"]);
    const empty = await cli([
      "state",
      "com.example.state/keeper/Nobody",
      "--url",
      `${runtime.inspectorUrl}`,
    ]);
    expect(empty).toEqual({
      code: 0,
      output:
        "com.example.state/keeper/Nobody\n  blob: (no value)\n  count: (no value)\n  greeting: (no value)\n",
    });
    const unknown = await cli([
      "state",
      "com.example.nothing/fn/x",
      "--url",
      `${runtime.inspectorUrl}`,
    ]);
    expect(unknown).toEqual({ code: 0, output: "com.example.nothing/fn/x\n  (no state)\n" });
  });

  it("takes the port from --inspector-port, and keeps slashes in the id", async () => {
    const port = String(runtime.inspectorPort);
    expect((await send(runtime, "com.example.state/keeper/a%2Fb", "Al")).status).toBe(202);
    await waitFor("a/b's state", async () => {
      const result = await cli(["state", "com.example.state/keeper/a/b", "--inspector-port", port]);
      return result.code === 0 && result.output.includes("count (io.statefun.types/int): 1\n");
    });
  });

  it("documents its exit codes in --help; exits 2 on a bad address, 1 when unreachable", async () => {
    const help = await cli(["state", "--help"]);
    expect(help.code).toBe(0);
    expect(help.output).toContain("Exit codes: 0 printed");
    const top = await cli(["--help"]);
    expect(top.output).toMatch(/\n {2}state\s+print the decoded state of an address\n/);
    const bad = await cli(["state", "greeter"]);
    expect(bad.code).toBe(2);
    expect(bad.output).toContain("<namespace>/<type>/<id>");
    expect((await cli(["state"])).code).toBe(2);
    const unreachable = await cli(["state", "a/b/c", "--url", "http://127.0.0.1:1"]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.output).toContain("cannot reach the runtime");
  });
});
