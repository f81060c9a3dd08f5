import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { RegistryValidationError } from "@statefun-ts/registry";
import { SerializationError } from "@statefun-ts/sdk";
import { describe, expect, it } from "vitest";
import { registry, type Sample, SampleType, USER_TYPENAME, type User, UserType } from "./index.js";

const schemasDir = join(import.meta.dirname, "../../../schemas");

function schemaFiles(): { file: string; typeName: string; examples: unknown[] }[] {
  return readdirSync(schemasDir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".schema.json"))
    .sort()
    .map((f) => {
      const schema = JSON.parse(readFileSync(join(schemasDir, f), "utf8"));
      return { file: f, typeName: schema["x-statefun-typename"], examples: schema.examples };
    });
}

const bytes = (text: string) => new Uint8Array(Buffer.from(text, "utf8"));

function rejection(run: () => unknown): RegistryValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof RegistryValidationError) return error;
    throw error;
  }
  throw new Error("expected a RegistryValidationError");
}

const sample = (): Sample =>
  structuredClone(schemaFiles().find((s) => s.typeName === "compat/Sample")?.examples[0] as Sample);

describe("every schema's examples", () => {
  const files = schemaFiles();

  it("has a registry type for every schema file, under its typename", () => {
    expect([...registry.keys()].sort()).toEqual(files.map((f) => f.typeName).sort());
  });

  for (const { file, typeName, examples } of files) {
    it(`round-trip exactly through ${typeName} (${file})`, () => {
      const type = registry.get(typeName);
      expect(type?.typeName.toString()).toBe(typeName);
      for (const example of examples) {
        const written = type!.serialize(example);
        expect(Buffer.from(written).toString("utf8")).toBe(JSON.stringify(example));
        expect(type!.deserialize(written)).toEqual(example);
      }
    });
  }
});

describe("int64 travels as a decimal string", () => {
  it("keeps the int64 extremes and values beyond 2^53 exact", () => {
    const value = sample();
    value.id = "-9223372036854775808";
    value.metrics.max = "9223372036854775807";
    value.metrics.samples = ["9007199254740993"];
    const back = SampleType.deserialize(SampleType.serialize(value));
    expect(BigInt(back.id)).toBe(-(2n ** 63n));
    expect(BigInt(back.metrics.max)).toBe(2n ** 63n - 1n);
    expect(back.metrics.samples).toEqual(["9007199254740993"]);
  });

  it("rejects out-of-range, non-canonical and numeric int64 values with their pointer", () => {
    for (const [id, pointer] of [
      ["9223372036854775808", "/id"],
      ["-9223372036854775809", "/id"],
      ["007", "/id"],
      ["1e3", "/id"],
    ] as const) {
      const value = { ...sample(), id };
      const error = rejection(() => SampleType.serialize(value));
      expect(error.violations).toEqual([
        {
          pointer,
          message:
            "must be an int64 as a decimal string (-9223372036854775808 to 9223372036854775807)",
        },
      ]);
    }
    const numeric = JSON.stringify(sample()).replace('"id":"9223372036854775807"', '"id":12');
    const error = rejection(() => SampleType.deserialize(bytes(numeric)));
    expect(error.violations).toContainEqual({ pointer: "/id", message: "must be string" });
  });
});

describe("decoding what the official SDKs write", () => {
  it("accepts the Go SDK's trailing newline", () => {
    expect(UserType.deserialize(bytes('{"name":"Bob","favoriteColor":"blue"}\n'))).toEqual({
      name: "Bob",
      favoriteColor: "blue",
    });
  });

  it("accepts Python's non-ASCII output (ensure_ascii=False) and Java's escaped output", () => {
    const python = bytes('{"name": "Zoë 你好 👋", "favoriteColor": "grün"}');
    const escaped = bytes(
      '{"name":"Zo\\u00eb \\u4f60\\u597d \\ud83d\\udc4b","favoriteColor":"gr\\u00fcn"}',
    );
    expect(UserType.deserialize(python)).toEqual(UserType.deserialize(escaped));
    expect(UserType.deserialize(python).name).toBe("Zoë 你好 👋");
  });
});

describe("invalid documents", () => {
  it("names the typename and the JSON pointer of every violation", () => {
    const document = JSON.stringify({
      ...sample(),
      home: { street: "x", city: 7, country: "DE", planet: "Mars" },
      status: "gone",
      lines: [{ sku: "A", quantity: 1.5, price: 1 }],
    });
    const error = rejection(() => SampleType.deserialize(bytes(document)));
    expect(error).toBeInstanceOf(SerializationError);
    expect(error.typeName).toBe("compat/Sample");
    expect(error.direction).toBe("deserialize");
    expect(error.violations).toEqual(
      expect.arrayContaining([
        {
          pointer: "/home/planet",
          message: "is not allowed (the schema has additionalProperties: false)",
        },
        { pointer: "/home/city", message: "must be string" },
        { pointer: "/status", message: 'must be one of "active", "suspended", "deleted"' },
        { pointer: "/lines/0/quantity", message: "must be integer" },
      ]),
    );
    expect(error.message).toMatch(
      /^compat\/Sample: cannot deserialize: .*\/home\/city must be string/,
    );
  });

  it("reports a missing required property at its own pointer", () => {
    const error = rejection(() => UserType.deserialize(bytes('{"name":"Bob"}')));
    expect(error.violations).toEqual([{ pointer: "/favoriteColor", message: "is required" }]);
    expect(error.message).toContain(`${USER_TYPENAME}: cannot deserialize`);
  });

  it("rejects int32 overflow and a nullable field's wrong type", () => {
    const value = { ...sample(), count: 2 ** 31, manager: 5 } as unknown as Sample;
    const error = rejection(() => SampleType.serialize(value));
    expect(error.direction).toBe("serialize");
    expect(error.violations).toEqual([
      { pointer: "/count", message: "must be <= 2147483647" },
      { pointer: "/manager", message: "must be string,null" },
    ]);
  });

  it("rejects bytes that are not UTF-8 JSON with a SerializationError naming the type", () => {
    expect(() => UserType.deserialize(new Uint8Array([0xff, 0xfe]))).toThrow(
      /com\.example\/User: cannot deserialize 2 bytes: not UTF-8 JSON/,
    );
    expect(() => UserType.deserialize(bytes("{"))).toThrow(SerializationError);
  });
});

describe("serialize validation", () => {
  const invalid = { name: "Bob" } as User;

  it("is on by default", () => {
    expect(rejection(() => UserType.serialize(invalid)).message).toContain(
      "com.example/User: cannot serialize the value",
    );
  });

  it("can be turned off with withoutValidation(), keeping the typename and deserialize checks", () => {
    const fast = UserType.withoutValidation();
    expect(fast.typeName.toString()).toBe("com.example/User");
    expect(Buffer.from(fast.serialize(invalid)).toString()).toBe('{"name":"Bob"}');
    expect(() => fast.deserialize(fast.serialize(invalid))).toThrow(RegistryValidationError);
  });

  it("offers is() and validate() for values from elsewhere", () => {
    const maybe: unknown = { name: "Ann", favoriteColor: "red" };
    expect(UserType.is(maybe)).toBe(true);
    expect(UserType.is(invalid)).toBe(false);
    expect(() => UserType.validate({})).toThrow(
      /com\.example\/User: invalid value: .*\/name is required/,
    );
  });
});
