import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadJsonSchemas } from "./schema-files.js";

describe("loadJsonSchemas", () => {
  it("reads the registry's schemas by typename, with $ids that resolve relative $refs", () => {
    const schemas = loadJsonSchemas(fileURLToPath(new URL("../../../../schemas", import.meta.url)));
    expect(schemas.get("com.example/GreetRequest")?.$id).toBe(
      "https://statefun-ts.local/schemas/com.example/GreetRequest.schema.json",
    );
    const sample = schemas.get("compat/Sample");
    expect(new URL("./PostalAddress.schema.json", String(sample?.$id)).href).toBe(
      schemas.get("compat/PostalAddress")?.$id,
    );
  });

  it("names the file that has no typename", () => {
    const dir = mkdtempSync(join(tmpdir(), "schemas-"));
    try {
      mkdirSync(join(dir, "a"));
      writeFileSync(join(dir, "a/X.schema.json"), JSON.stringify({ type: "object" }));
      expect(() => loadJsonSchemas(dir)).toThrow(/a\/X\.schema\.json has no "x-statefun-typename"/);
      writeFileSync(join(dir, "a/X.schema.json"), "{");
      expect(() => loadJsonSchemas(dir)).toThrow(/is not JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
