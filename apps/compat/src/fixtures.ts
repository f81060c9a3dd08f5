import { type ChildProcess, execFile, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

/** apps/compat, wherever this module is loaded from (src/ or dist/). */
export const COMPAT_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const FIXTURES_DIR = join(COMPAT_ROOT, "fixtures");

/** The languages with a fixture on an official SDK. */
export const FIXTURE_LANGS = ["go", "java", "python"] as const;
export type FixtureLang = (typeof FIXTURE_LANGS)[number];

/** The outcome of a fixture build: ready, or skipped because a toolchain is absent. */
export type BuildOutcome =
  | { readonly lang: FixtureLang; readonly ready: true; readonly log: string }
  | { readonly lang: FixtureLang; readonly ready: false; readonly reason: string };

/** Thrown when a fixture build fails for any reason other than a missing toolchain. */
export class FixtureBuildError extends Error {
  constructor(lang: FixtureLang, detail: string) {
    super(
      `building the ${lang} compat fixture failed (apps/compat/fixtures/${lang}/build.sh):\n${detail}\nFix the build, or run it by hand with FORCE=1 to rebuild from scratch.`,
    );
    this.name = "FixtureBuildError";
  }
}

/**
 * Builds one fixture with its idempotent build.sh. Exit code 127 means a toolchain is missing:
 * that is reported as a skip with the script's message (which names the tool), not an error;
 * the test suites fail on it in CI. `env` replaces the environment (e.g. a PATH without a tool).
 */
export async function buildFixture(
  lang: FixtureLang,
  options: { readonly env?: NodeJS.ProcessEnv } = {},
): Promise<BuildOutcome> {
  try {
    const { stdout, stderr } = await run("bash", [join(FIXTURES_DIR, lang, "build.sh")], {
      maxBuffer: 16 * 1024 * 1024,
      ...(options.env ? { env: options.env } : {}),
    });
    return { lang, ready: true, log: `${stdout}${stderr}`.trim() };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string; message: string };
    if (e.code === 127) {
      return { lang, ready: false, reason: (e.stderr ?? e.message).trim() };
    }
    throw new FixtureBuildError(lang, `${e.stdout ?? ""}${e.stderr ?? e.message}`.trim());
  }
}

/** Runs a built fixture's in-process golden vectors: every `<in>/*.bin` -> `<out>/`. */
export async function runFixtureVectors(
  lang: FixtureLang,
  inDir: string,
  outDir: string,
): Promise<void> {
  await run("bash", [join(FIXTURES_DIR, lang, "run.sh"), "vectors", inDir, outDir], {
    maxBuffer: 16 * 1024 * 1024,
  });
}

/** Starts a built fixture's HTTP endpoint on 127.0.0.1:<port>/statefun; resolves when it listens. */
export async function startFixture(lang: FixtureLang, port: number): Promise<ChildProcess> {
  const child = spawn("bash", [join(FIXTURES_DIR, lang, "run.sh"), "serve", String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(`the ${lang} fixture did not listen on port ${port} within 30 s:\n${output}`),
        ),
      30_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("listening on")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the ${lang} fixture exited with ${code} before listening:\n${output}`));
    });
  });
  return child;
}
