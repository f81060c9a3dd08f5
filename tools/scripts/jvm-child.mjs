// Launches one of this repository's JVM tools (the Flink runner, the Kafka broker) through its
// run.sh: keeps its recent log lines, kills it when this process exits, and waits for the line on
// stdout that says it is ready. Plain Node ESM, no dependencies.
import { spawn } from "node:child_process";

/**
 * @typedef {object} JvmChildOptions
 * @property {string} name the tool's name, for errors ("flink-runtime", "kafka")
 * @property {string[]} args run.sh and its arguments, run with bash
 * @property {Record<string, string>} [env] extra environment entries
 * @property {RegExp} ready a multiline pattern of stdout that says the tool is ready
 * @property {number} [startupTimeoutMs] launch → ready budget (default 120000)
 * @property {NodeJS.WritableStream} [log] where to copy the tool's log (stderr)
 */

/**
 * @typedef {object} JvmChild
 * @property {import("node:child_process").ChildProcess} child the bash process (exec'd into the JVM)
 * @property {RegExpExecArray} match the `ready` match
 * @property {string} stdout all stdout up to the ready line
 * @property {number} launchedAt Date.now() at the launch
 * @property {() => boolean} exited whether the process has exited
 * @property {Promise<number | string>} exitPromise its exit code or signal
 * @property {() => void} kill SIGKILL, unless it has exited
 * @property {() => string} logs the recent log lines (the last 500)
 * @property {(graceMs: number, ask?: () => unknown) => Promise<void>} stop asks it to stop (`ask`;
 *   default SIGTERM, which runs the JVM's shutdown hook), then SIGKILL after `graceMs`
 */

/**
 * Launches the tool and resolves once `ready` matches its stdout; rejects with its log when it
 * exits first or is not ready in time (it is then killed).
 * @param {JvmChildOptions} options
 * @returns {Promise<JvmChild>}
 */
export async function startJvmChild(options) {
  const launchedAt = Date.now();
  const child = spawn("bash", options.args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...options.env },
  });
  /** @type {string[]} */
  const logLines = [];
  child.stderr.on("data", (d) => {
    for (const line of String(d).split("\n")) if (line) logLines.push(line);
    if (logLines.length > 500) logLines.splice(0, logLines.length - 500);
    options.log?.write(d);
  });
  let exited = false;
  /** @type {Promise<number | string>} */
  const exitPromise = new Promise((resolve) =>
    child.on("exit", (code, signal) => {
      exited = true;
      resolve(code ?? signal ?? "unknown");
    }),
  );
  const kill = () => {
    if (!exited) child.kill("SIGKILL");
  };
  process.on("exit", kill);
  const logs = () => logLines.join("\n");

  let stdout = "";
  /** @type {RegExpExecArray} */
  const match = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      kill();
      reject(new Error(`${options.name}: not ready in time\n${logs()}`));
    }, options.startupTimeoutMs ?? 120_000);
    child.stdout.on("data", (d) => {
      stdout += d;
      const found = options.ready.exec(stdout);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    exitPromise.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited early (${code})\n${logs()}`));
    });
  });

  return {
    child,
    match,
    stdout,
    launchedAt,
    exited: () => exited,
    exitPromise,
    kill,
    logs,
    async stop(graceMs, ask = () => child.kill("SIGTERM")) {
      if (!exited) {
        await ask();
        const timer = setTimeout(kill, graceMs);
        await exitPromise;
        clearTimeout(timer);
      }
      process.off("exit", kill);
    },
  };
}
