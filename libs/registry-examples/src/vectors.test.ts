// The shared validation vectors (schemas/<namespace>/<Name>.vectors.json) in TypeScript: every
// valid value is accepted (and round-trips), every invalid one is refused with a violation at its
// JSON pointer, on read and on write. Go, Java and Python check the same files.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type RegistryType, RegistryValidationError } from "@statefun-ts/registry";
import { describe, expect, it } from "vitest";
import { registry } from "./index.js";

const schemasDir = join(import.meta.dirname, "../../../schemas");

interface Vectors {
  readonly valid: unknown[];
  readonly invalid: { readonly value: unknown; readonly pointer: string; readonly why: string }[];
}

const files = readdirSync(schemasDir, { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".schema.json"))
  .sort();

function refusal(run: () => unknown): RegistryValidationError | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof RegistryValidationError) return error;
    throw error;
  }
  return undefined;
}

describe("shared vectors", () => {
  it("exist for every schema", () => {
    const missing = files.filter(
      (f) => !existsSync(join(schemasDir, f.replace(".schema.json", ".vectors.json"))),
    );
    expect(missing).toEqual([]);
  });

  for (const file of files) {
    const schema = JSON.parse(readFileSync(join(schemasDir, file), "utf8")) as {
      "x-statefun-typename": string;
    };
    const vectors = JSON.parse(
      readFileSync(join(schemasDir, file.replace(".schema.json", ".vectors.json")), "utf8"),
    ) as Vectors;
    const type = registry.get(schema["x-statefun-typename"]) as RegistryType<unknown>;

    it(`${file}: accepts every valid value and writes it back unchanged`, () => {
      for (const value of vectors.valid) {
        const bytes = Buffer.from(JSON.stringify(value), "utf8");
        expect(type.deserialize(bytes)).toEqual(value);
        expect(JSON.parse(Buffer.from(type.serialize(value)).toString("utf8"))).toEqual(value);
      }
    });

    for (const { value, pointer, why } of vectors.invalid) {
      it(`${file}: refuses ${why} at ${pointer || "(root)"}, reading and writing`, () => {
        const read = refusal(() => type.deserialize(Buffer.from(JSON.stringify(value), "utf8")));
        expect(read?.violations.map((v) => v.pointer)).toContain(pointer);
        const written = refusal(() => type.serialize(value));
        expect(written?.violations.map((v) => v.pointer)).toContain(pointer);
      });
    }
  }
});
