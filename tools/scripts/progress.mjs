// Progress of long work (installs, compilations, fixture builds, Maven): prints the step's name
// when it starts and its elapsed time when it ends, and a still-running line every 30 s, so a
// build is never silent for minutes. Lines go to stderr, prefixed "[progress]".

import { spawn } from "node:child_process";

const TICK_MS = Number(process.env.STATEFUN_TS_PROGRESS_TICK_MS ?? 30_000);

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Starts a step; returns `done(outcome?)` which prints the elapsed time. With `quietUnderMs`, a
 * step that ends sooner prints nothing (e.g. a build that is already up to date).
 */
export function startStep(name, write = (line) => process.stderr.write(`${line}\n`), options = {}) {
  const started = Date.now();
  const quietUnderMs = options.quietUnderMs ?? 0;
  let announced = false;
  const announce = () => {
    if (announced) return;
    announced = true;
    write(`[progress] ${name}: started`);
  };
  if (quietUnderMs === 0) announce();
  const quietTimer = quietUnderMs > 0 ? setTimeout(announce, quietUnderMs) : undefined;
  quietTimer?.unref();
  const timer = setInterval(
    () => write(`[progress] ${name}: still running after ${seconds(Date.now() - started)}`),
    TICK_MS,
  );
  timer.unref();
  return (outcome = "done") => {
    clearInterval(timer);
    clearTimeout(quietTimer);
    if (!announced && outcome === "done") return;
    write(`[progress] ${name}: ${outcome} in ${seconds(Date.now() - started)}`);
  };
}

/** Runs `work` (sync or async) as a named step, printing start, ticks and elapsed time. */
export function progress(name, work, options = {}) {
  const done = startStep(name, undefined, options);
  let result;
  try {
    result = work();
  } catch (error) {
    done("FAILED");
    throw error;
  }
  if (result && typeof result.then === "function") {
    return result.then(
      (value) => {
        done();
        return value;
      },
      (error) => {
        done("FAILED");
        throw error;
      },
    );
  }
  done();
  return result;
}

/**
 * Runs a command as a named step without blocking (so the still-running lines print). Its output
 * is kept and printed only when it fails; resolves when it exits with 0. Besides spawn options,
 * `timeoutMs` kills it when it runs longer and `quietUnderMs` is passed to `progress`.
 */
export function runStep(name, command, args, options = {}) {
  const { timeoutMs, quietUnderMs, ...spawnOptions } = options;
  return progress(
    name,
    () =>
      new Promise((resolvePromise, reject) => {
        const child = spawn(command, args, { ...spawnOptions, stdio: ["ignore", "pipe", "pipe"] });
        const output = [];
        const timer =
          timeoutMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), timeoutMs);
        child.stdout.on("data", (chunk) => output.push(chunk));
        child.stderr.on("data", (chunk) => output.push(chunk));
        child.on("error", (error) => {
          clearTimeout(timer);
          reject(error);
        });
        child.on("close", (code, signal) => {
          clearTimeout(timer);
          if (code === 0) return resolvePromise();
          process.stderr.write(Buffer.concat(output));
          reject(new Error(`${name}: ${command} ${args.join(" ")} exited with ${code ?? signal}`));
        });
      }),
    quietUnderMs === undefined ? {} : { quietUnderMs },
  );
}
