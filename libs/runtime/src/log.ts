// The runtime log: a level and a message per event. `pinoLog` backs it with a pino logger (JSON
// lines when stdout is not a terminal, readable lines when it is); `consoleLog` prints plain
// timestamped lines; tests pass their own function.
import { type DestinationStream, type Level, type Logger, pino } from "pino";
import pretty from "pino-pretty";

/** A log severity. */
export type LogLevel = "info" | "warn" | "error";

/**
 * Where the runtime writes what it does. A plain function works; a log that sets `enabled`
 * lets the runtime skip building messages for levels that are off (e.g. per egress record).
 */
export interface RuntimeLog {
  (level: LogLevel, message: string): void;
  /** Whether a message at this level would be written (absent: every level is). */
  readonly enabled?: (level: LogLevel) => boolean;
}

/** The levels `--log-level` and `STATEFUN_LOG_LEVEL` accept. */
export const LOG_LEVELS: readonly (Level | "silent")[] = [
  "trace",
  "debug",
  "info",
  "warn",
  "error",
  "fatal",
  "silent",
];

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** The lowest level written (default `STATEFUN_LOG_LEVEL`, else `info`). */
  readonly level?: string | undefined;
  /** Readable lines instead of JSON (default: whether stdout is a terminal). */
  readonly pretty?: boolean | undefined;
  /** Where lines go (default stdout). */
  readonly destination?: DestinationStream | undefined;
  /** The logger's name, written on every line (default `statefun-ts`). */
  readonly name?: string | undefined;
}

/** Checks a log level name, with an error listing the accepted ones. */
export function logLevelOption(text: string | undefined, flag = "--log-level"): string | undefined {
  if (text === undefined || text === "") return undefined;
  if (!(LOG_LEVELS as readonly string[]).includes(text)) {
    throw new Error(`${flag} ${text} is not a log level; use one of ${LOG_LEVELS.join(", ")}`);
  }
  return text;
}

/**
 * A pino logger: JSON lines when stdout is not a terminal (for log collectors), readable
 * colored lines when it is (pino-pretty, written synchronously).
 *
 * @example
 * ```ts
 * const logger = createLogger({ level: "warn" });
 * await startRuntime({ modulePath: "module.yaml", log: pinoLog(logger) });
 * ```
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level =
    logLevelOption(options.level) ??
    logLevelOption(process.env.STATEFUN_LOG_LEVEL, "STATEFUN_LOG_LEVEL") ??
    "info";
  const settings = { level, name: options.name ?? "statefun-ts" };
  const usePretty = options.pretty ?? process.stdout.isTTY === true;
  if (usePretty) {
    return pino(
      settings,
      pretty({
        sync: true,
        colorize: options.destination === undefined && process.stdout.isTTY === true,
        ignore: "pid,hostname,name",
        translateTime: "SYS:HH:MM:ss.l",
        ...(options.destination ? { destination: options.destination } : {}),
      }),
    );
  }
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

/** A {@link RuntimeLog} writing to a pino (or pino-compatible) logger. */
export function pinoLog(logger: Logger): RuntimeLog {
  const log = (level: LogLevel, message: string): void => {
    logger[level](message);
  };
  return Object.assign(log, { enabled: (level: LogLevel) => logger.isLevelEnabled(level) });
}

/** Whether a message at `level` would be written by `log`. */
export function logEnabled(log: RuntimeLog, level: LogLevel): boolean {
  return log.enabled === undefined || log.enabled(level);
}

/** Plain timestamped lines, errors and warnings to stderr (the log before pino). */
export const consoleLog: RuntimeLog = (level, message) => {
  const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${message}`;
  if (level === "info") process.stdout.write(`${line}\n`);
  else process.stderr.write(`${line}\n`);
};
