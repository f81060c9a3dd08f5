// The string formats (uuid, date-time, date, email, uri) in TypeScript: ajv-formats' full checks,
// each refusal named by its JSON pointer, and the text kept exactly as written.
import { RegistryValidationError } from "@statefun-ts/registry";
import { describe, expect, it } from "vitest";
import { type Visit, VisitType } from "./index.js";

const valid: Visit = {
  visitId: "0f8fad5b-d9cb-469f-a165-70867728950e",
  at: "2026-11-30T12:34:56.789+01:00",
  day: "2026-11-30",
  contact: "ada@example.com",
  page: "https://example.com/greet?name=Ada#top",
};

function violationsOf(value: unknown): { pointer: string; message: string }[] {
  try {
    VisitType.validate(value);
    return [];
  } catch (error) {
    if (error instanceof RegistryValidationError) return [...error.violations];
    throw error;
  }
}

describe("string formats", () => {
  it("keep the text exactly as written through serialize and deserialize", () => {
    const bytes = VisitType.serialize(valid);
    expect(Buffer.from(bytes).toString("utf8")).toBe(JSON.stringify(valid));
    expect(VisitType.deserialize(bytes)).toEqual(valid);
  });

  const bad: [keyof Visit, string, string][] = [
    ["visitId", "0f8fad5b-d9cb-469f-a165-70867728950", 'must match format "uuid"'],
    ["at", "2026-11-30T12:34:56", 'must match format "date-time"'],
    ["at", "2026-11-30T25:00:00Z", 'must match format "date-time"'],
    ["day", "2026-02-30", 'must match format "date"'],
    ["day", "30.11.2026", 'must match format "date"'],
    ["contact", "ada.example.com", 'must match format "email"'],
    ["page", "/relative/path", 'must match format "uri"'],
  ];
  for (const [field, value, message] of bad) {
    it(`refuses ${field} = ${JSON.stringify(value)} at /${field}`, () => {
      expect(violationsOf({ ...valid, [field]: value })).toEqual([
        { pointer: `/${field}`, message },
      ]);
    });
  }
});
