// Whether the Flink runner can run here: it needs `java` and `mvn` on PATH. In CI (env CI) a
// missing one fails the suite with a test naming it; elsewhere the Flink scenarios are skipped
// tests whose titles give the reason (tools/scripts/toolchains.mjs).
import { it } from "vitest";
import { missingTools, toolchainTests } from "../../../scripts/toolchains.mjs";

const FLINK_TOOLS = ["java", "mvn"];

/** Undefined when java and mvn are on PATH, else the reason the Flink scenarios are skipped. */
export function flinkSkipReason(): string | undefined {
  const missing = missingTools(FLINK_TOOLS);
  return missing.length === 0
    ? undefined
    : `the Flink StateFun runtime needs ${missing.join(" and ")} on PATH (not found)`;
}

/** Registers, in a test file, one test per missing Flink toolchain: failing in CI, else skipped. */
export function flinkToolchainTests(suite: string): void {
  toolchainTests(
    it,
    suite,
    missingTools(FLINK_TOOLS).map((tool) => ({
      tool,
      reason: `'${tool}' not found on PATH`,
      skips: "the Flink scenarios",
    })),
  );
}
