// The runtime log: a level and a message per event; the default prints timestamped lines.
/** A log severity. */
export type LogLevel = "info" | "warn" | "error";

/** Where the runtime writes what it does; the default prints to stdout/stderr. */
export type RuntimeLog = (level: LogLevel, message: string) => void;

/** The default log: one timestamped line per event, errors and warnings to stderr. */
export const consoleLog: RuntimeLog = (level, message) => {
  const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${message}`;
  if (level === "info") process.stdout.write(`${line}\n`);
  else process.stderr.write(`${line}\n`);
};
