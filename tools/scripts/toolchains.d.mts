/** True when the environment says this is CI (`CI` set to anything but "", "0" or "false"). */
export function inCI(env?: NodeJS.ProcessEnv): boolean;
/** The tools of `tools` that are not on `env.PATH`. */
export function missingTools(tools: readonly string[], env?: NodeJS.ProcessEnv): string[];
/** Exit 127 means a toolchain is missing: its name (when the output gives one) and the reason. */
export function missingToolchainIn(
  exitCode: number | null | undefined,
  output: string,
): { tool: string | undefined; reason: string } | undefined;
/** A missing toolchain, what it makes impossible, and why. */
export interface MissingToolchain {
  readonly tool: string;
  readonly reason: string;
  readonly skips: string;
}
/** vitest's `it`, as far as toolchainTests uses it. */
export interface TestRegistrar {
  (title: string, fn: () => void): void;
  skip(title: string, fn: () => void): void;
}
/** One test per missing toolchain: failing in CI, skipped with the reason locally. */
export function toolchainTests(
  it: TestRegistrar,
  suite: string,
  missing: readonly MissingToolchain[],
  env?: NodeJS.ProcessEnv,
): void;
/** The title suffix of a test skipped for a missing toolchain ("" when it runs). */
export function skipNote(reason: string | undefined): string;
/** A PATH like `path` (default: this process's) on which `tools` are missing. */
export function pathWithout(tools: readonly string[], path?: string): string;
