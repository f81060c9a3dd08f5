// Whether the Flink runner can run here: it needs `java` and `mvn` on PATH (always true in CI).
import { spawnSync } from "node:child_process";

function onPath(tool: string): boolean {
  return spawnSync("bash", ["-c", `command -v ${tool}`], { stdio: "ignore" }).status === 0;
}

/** Undefined when java and mvn are on PATH, else the reason the Flink scenarios are skipped. */
export function flinkSkipReason(): string | undefined {
  const missing = ["java", "mvn"].filter((tool) => !onPath(tool));
  return missing.length === 0
    ? undefined
    : `the Flink StateFun runtime needs ${missing.join(" and ")} on PATH (not found); the Flink scenarios are skipped`;
}
