// Flink duration syntax (`1m`, `30 s`, `500`) as module.yaml timeouts use it.
import { RuntimeError } from "./errors.js";

// Flink's TimeUtils.parseDuration: a whole number, optional blanks, an optional unit (default ms).
const UNITS: ReadonlyArray<[readonly string[], number]> = [
  [["ns", "nano", "nanos", "nanosecond", "nanoseconds"], 1e-6],
  [["µs", "micro", "micros", "microsecond", "microseconds"], 1e-3],
  [["ms", "milli", "millis", "millisecond", "milliseconds"], 1],
  [["s", "sec", "secs", "second", "seconds"], 1000],
  [["m", "min", "mins", "minute", "minutes"], 60_000],
  [["h", "hour", "hours"], 3_600_000],
  [["d", "day", "days"], 86_400_000],
];

/**
 * Parses a duration in Flink syntax (`1m`, `30 s`, `2min`, `10seconds`, `500`) into milliseconds.
 * A YAML number is taken as milliseconds.
 */
export function parseFlinkDuration(value: unknown): number {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value !== "string") {
    throw new RuntimeError(
      `expected a duration such as "1m", "30 s" or "10seconds", got ${JSON.stringify(value)}`,
    );
  }
  const match = /^\s*(\d+)\s*([^\s\d]*)\s*$/u.exec(value);
  if (!match) {
    throw new RuntimeError(
      `"${value}" is not a duration: write a whole number and a unit, e.g. "1m", "30 s", "2min", "10seconds"`,
    );
  }
  const amount = Number(match[1]);
  const unit = (match[2] ?? "").toLowerCase();
  if (unit === "") return amount;
  for (const [labels, factor] of UNITS) {
    if (labels.includes(unit)) return Math.round(amount * factor);
  }
  throw new RuntimeError(
    `"${value}" has the unknown time unit "${unit}": use one of ms, s, min, h, d (or their long forms)`,
  );
}
