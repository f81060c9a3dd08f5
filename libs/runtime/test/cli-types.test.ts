// `statefun-ts dev --types <module>`: the ingress validates bodies of the types a user's module
// exports (not this repository's registry), and validates nothing without it outside the repo.
import { writeFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { startChild } from "./child-runtime.js";
import { moduleYaml, tempDir } from "./harness.js";

// A user's types module: SimpleType-shaped values (typeName + deserialize), no imports needed.
const TYPES_MODULE = `
const decoder = new TextDecoder();
export const registry = [{
  typeName: { namespace: "my.types", name: "Person", toString: () => "my.types/Person" },
  serialize: (value) => new TextEncoder().encode(JSON.stringify(value)),
  deserialize: (bytes) => {
    const value = JSON.parse(decoder.decode(bytes));
    if (typeof value.name !== "string") throw new Error("/name: must be a string");
    return value;
  },
}];
`;

async function put(url: string, body: string): Promise<{ status: number; error?: string }> {
  const response = await fetch(`${url}/t.fns/f/1`, {
    method: "PUT",
    headers: { "Content-Type": "application/vnd.my.types/Person" },
    body,
  });
  const json = (await response.json()) as { error?: string };
  return { status: response.status, ...(json.error ? { error: json.error } : {}) };
}

describe("statefun-ts dev --types", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("validates ingress bodies with the types of the given module, and nothing without it outside this repository", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeFileSync(`${dir}/types.mjs`, TYPES_MODULE);
    writeFileSync(`${dir}/module.yaml`, moduleYaml("t.fns", "http://127.0.0.1:9/statefun"));
    const typed = await startChild(
      `${dir}/module.yaml`,
      `${dir}/a.db`,
      ["--types", "./types.mjs"],
      {
        cwd: dir,
      },
    );
    cleanups.push(() => {
      typed.process.kill("SIGKILL");
    });
    expect(typed.output()).toContain("ingress validates 1 typename(s): my.types/Person");
    const bad = await put(typed.ingressUrl, '{"nom":"Bob"}');
    expect(bad.status).toBe(400);
    expect(bad.error).toContain("the body is not a valid my.types/Person: /name: must be a string");
    expect((await put(typed.ingressUrl, '{"name":"Bob"}')).status).toBe(202);

    // Without --types, run from outside this repository: nothing to validate.
    const plain = await startChild(`${dir}/module.yaml`, `${dir}/b.db`, [], { cwd: dir });
    cleanups.push(() => {
      plain.process.kill("SIGKILL");
    });
    expect(plain.output()).not.toContain("ingress validates");
    expect((await put(plain.ingressUrl, '{"nom":"Bob"}')).status).toBe(202);
  });
});
