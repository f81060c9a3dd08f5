// The generated Go, Java and Python types compile against the official SDKs and round-trip every example.
import { describe, expect, it } from "vitest";
import { type CheckedLanguage, checkLanguages } from "../src/check-languages.js";

// Compiles the generated Go, Java and Python code against the official SDKs (Go v3.3.0,
// statefun-sdk-java 3.3.0 + Jackson 2.15.2, PyPI apache-flink-statefun 3.3.0) and round-trips
// every schema example, as the TypeScript type writes it and with Go's trailing newline,
// through each language's StateFun type.
describe("generated Go, Java and Python types on the official SDKs", () => {
  for (const language of ["go", "java", "python"] as const satisfies CheckedLanguage[]) {
    it(`${language}: compiles and round-trips every example exactly`, () => {
      const [result] = checkLanguages([language]);
      expect(result?.failures).toEqual([]);
      expect(result?.cases).toBeGreaterThanOrEqual(20);
    });
  }
});
