// The greeter's pino logger: `--log-level <level>` or LOG_LEVEL (default info); JSON lines when
// stdout is not a terminal, readable lines when it is (the runtime's createLogger).
import { createLogger, logLevelOption } from "@statefun-ts/runtime";
import type { DestinationStream, Logger } from "pino";

/** The level from `--log-level <level>` / `--log-level=<level>` in argv, else LOG_LEVEL. */
export function logLevelFrom(argv: readonly string[], env = process.env): string | undefined {
  const index = argv.findIndex((arg) => arg === "--log-level" || arg.startsWith("--log-level="));
  const arg = argv[index];
  const text =
    arg === undefined ? undefined : arg.includes("=") ? arg.split("=")[1] : argv[index + 1];
  if (arg !== undefined && text === undefined) throw new Error("--log-level needs a level");
  return logLevelOption(text) ?? logLevelOption(env.LOG_LEVEL, "LOG_LEVEL");
}

/** The greeter's logger, at the level argv or the environment names (to stdout by default). */
export function greeterLogger(argv: readonly string[], destination?: DestinationStream): Logger {
  return createLogger({ level: logLevelFrom(argv), name: "greeter", destination });
}
