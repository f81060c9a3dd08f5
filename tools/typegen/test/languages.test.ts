// The generated Go, Java and Python types compile against the official SDKs and round-trip every example.
import { describe, expect, it } from "vitest";
import { missingTools, skipNote, toolchainTests } from "../../scripts/toolchains.mjs";
import { type CheckedLanguage, checkLanguages } from "../src/check-languages.js";

/** What each language check runs. */
const TOOLS: Record<CheckedLanguage, string[]> = {
  go: ["go"],
  java: ["java", "javac", "mvn"],
  python: ["python3"],
};

// Compiles the generated Go, Java and Python code against the official SDKs (Go v3.3.0,
// statefun-sdk-java 3.3.0 + Jackson 2.15.2, PyPI apache-flink-statefun 3.3.0) and round-trips
// every schema example, as the TypeScript type writes it and with Go's trailing newline,
// through each language's StateFun type. A missing toolchain fails in CI and is a skipped test
// with the reason elsewhere (tools/scripts/toolchains.mjs).
describe("generated Go, Java and Python types on the official SDKs", () => {
  for (const [language, tools] of Object.entries(TOOLS) as [CheckedLanguage, string[]][]) {
    const missing = missingTools(tools);
    const reason = missing.length
      ? `${missing.map((t) => `'${t}'`).join(", ")} not found on PATH`
      : undefined;
    toolchainTests(
      it,
      "typegen",
      missing.map((tool) => ({
        tool,
        reason: `'${tool}' not found on PATH`,
        skips: `the ${language} check`,
      })),
    );
    it.skipIf(reason !== undefined)(
      `${language}: its package builds and passes its own tests; every example round-trips exactly${skipNote(reason)}`,
      () => {
        const [result] = checkLanguages([language]);
        expect(result?.failures).toEqual([]);
        expect(result?.cases).toBeGreaterThanOrEqual(20);
      },
      // Maven's verify + javac on a loaded 2-core machine can take minutes
      600_000,
    );
  }
});
