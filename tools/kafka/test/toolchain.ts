// Whether the test broker can run here: it needs `java` (17+) and `mvn` on PATH (always in CI).
import { spawnSync } from "node:child_process";

function onPath(tool: string): boolean {
  return spawnSync("bash", ["-c", `command -v ${tool}`], { stdio: "ignore" }).status === 0;
}

/** Undefined when java and mvn are on PATH, else why the broker tests are skipped. */
export function kafkaSkipReason(): string | undefined {
  const missing = ["java", "mvn"].filter((tool) => !onPath(tool));
  if (missing.length === 0) return undefined;
  const reason = `the Kafka test broker needs ${missing.join(" and ")} on PATH (not found); the Kafka tests are skipped`;
  if (process.env.CI) throw new Error(`${reason}, which CI does not allow`);
  return reason;
}
