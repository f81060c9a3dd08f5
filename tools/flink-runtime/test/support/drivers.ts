// The two runtimes every scenario runs on: the real Flink StateFun runtime and the local runtime.

import { skipNote } from "../../../scripts/toolchains.mjs";
import type { ScenarioDriver } from "./driver.js";
import { startFlinkDriver } from "./flink-driver.js";
import { startLocalDriver } from "./local-driver.js";
import { flinkSkipReason } from "./toolchain.js";

/** How to start one runtime for a scenario, or why it cannot run here. */
export interface DriverCase {
  readonly name: "flink" | "local";
  /** Why this runtime is skipped here, or undefined when it runs. */
  readonly skipReason: string | undefined;
  /** The title suffix of its skipped tests: " (SKIPPED: <reason>)", or "" when it runs. */
  readonly note: string;
  /** Starts it with a module.yaml text; `egresses` lists the generic egress ids the functions use. */
  start(moduleYaml: string, egresses: readonly string[]): Promise<ScenarioDriver>;
}

export const DRIVER_CASES: readonly DriverCase[] = [
  {
    name: "flink",
    skipReason: flinkSkipReason(),
    note: skipNote(flinkSkipReason()),
    start: (moduleYaml, egresses) => startFlinkDriver(moduleYaml, egresses),
  },
  {
    name: "local",
    skipReason: undefined,
    note: "",
    start: (moduleYaml) => startLocalDriver(moduleYaml),
  },
];

const reported = new Set<string>();

/** Logs a runtime's start-up time once per runtime per test file. */
export function reportStartup(driver: ScenarioDriver): void {
  if (reported.has(driver.name)) return;
  reported.add(driver.name);
  console.log(`${driver.name} runtime start-up: ${driver.startupMs} ms`);
}
