// The library on its own, with a hand-written validator (no generated types): how violations are
// mapped to JSON pointers, when validation runs, and what bad bytes do.
import { SerializationError } from "@statefun-ts/sdk";
import { describe, expect, it } from "vitest";
import {
  makeRegistryType,
  RegistryValidationError,
  type Validator,
  type ValidatorError,
} from "./index.js";

interface Point {
  x: number;
  label?: string;
}

// Accepts {x: number, label?: "a" | "b"} with no other keys, reporting like ajv does.
const validatePoint: Validator = Object.assign(
  (data: unknown): boolean => {
    const errors: ValidatorError[] = [];
    if (typeof data !== "object" || data === null || Array.isArray(data)) {
      errors.push({ instancePath: "", keyword: "type", params: {}, message: "must be object" });
    } else {
      const record = data as Record<string, unknown>;
      if (!("x" in record))
        errors.push({ instancePath: "", keyword: "required", params: { missingProperty: "x" } });
      else if (typeof record.x !== "number")
        errors.push({ instancePath: "/x", keyword: "type", params: {}, message: "must be number" });
      if ("label" in record && record.label !== "a" && record.label !== "b")
        errors.push({
          instancePath: "/label",
          keyword: "enum",
          params: { allowedValues: ["a", "b"] },
        });
      for (const key of Object.keys(record).filter((k) => k !== "x" && k !== "label"))
        errors.push({
          instancePath: "",
          keyword: "additionalProperties",
          params: { additionalProperty: key },
        });
    }
    validatePoint.errors = errors.length > 0 ? errors : null;
    return errors.length === 0;
  },
  { errors: null },
);

const PointType = makeRegistryType<Point>("test/Point", validatePoint);
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

describe("makeRegistryType", () => {
  it("round-trips a valid value as compact UTF-8 JSON under its typename", () => {
    expect(PointType.typeName.toString()).toBe("test/Point");
    const encoded = PointType.serialize({ x: 1, label: "a" });
    expect(Buffer.from(encoded).toString("utf8")).toBe('{"x":1,"label":"a"}');
    expect(PointType.deserialize(encoded)).toEqual({ x: 1, label: "a" });
    expect(PointType.deserialize(bytes('{"x":2}\n'))).toEqual({ x: 2 });
  });

  it("names each violation at its own JSON pointer, with the typename and direction", () => {
    const error = rejection(() => PointType.deserialize(bytes('{"label":"c","extra":1}')));
    expect(error.typeName).toBe("test/Point");
    expect(error.direction).toBe("deserialize");
    expect(error.violations).toEqual([
      { pointer: "/x", message: "is required" },
      { pointer: "/label", message: 'must be one of "a", "b"' },
      { pointer: "/extra", message: "is not allowed (the schema has additionalProperties: false)" },
    ]);
    expect(error).toBeInstanceOf(SerializationError);
  });

  it("validates on serialize unless withoutValidation() is taken; deserialize always validates", () => {
    const bad = { x: "1" } as unknown as Point;
    expect(rejection(() => PointType.serialize(bad)).direction).toBe("serialize");
    const fast = PointType.withoutValidation();
    expect(fast.typeName).toBe(PointType.typeName);
    const written = fast.serialize(bad);
    expect(rejection(() => fast.deserialize(written)).violations).toEqual([
      { pointer: "/x", message: "must be number" },
    ]);
  });

  it("offers is() and validate()", () => {
    expect(PointType.is({ x: 3 })).toBe(true);
    expect(PointType.is({ x: "3" })).toBe(false);
    expect(rejection(() => PointType.validate({})).direction).toBe("validate");
  });

  it("refuses bytes that are not UTF-8 JSON, and values without a JSON form, naming the type", () => {
    expect(() => PointType.deserialize(bytes("{"))).toThrow(
      /test\/Point: cannot deserialize 1 bytes/,
    );
    expect(() => PointType.deserialize(new Uint8Array([0xff]))).toThrow(SerializationError);
    expect(() => PointType.withoutValidation().serialize(undefined as unknown as Point)).toThrow(
      /no JSON form/,
    );
  });
});
