/** Starts a named step (prints it, then a still-running line every 30 s); `done` prints the elapsed time. */
export function startStep(
  name: string,
  write?: (line: string) => void,
  options?: ProgressOptions,
): (outcome?: string) => void;
/** `quietUnderMs`: a step that ends sooner prints nothing. */
export type ProgressOptions = { quietUnderMs?: number };
/** Runs `work` as a named step, printing its start, still-running lines and elapsed time. */
export function progress<T>(name: string, work: () => T, options?: ProgressOptions): T;
/** Runs a command as a named step; its output is printed only when it fails. */
export function runStep(
  name: string,
  command: string,
  args: readonly string[],
  options?: import("node:child_process").SpawnOptions & RunStepOptions,
): Promise<void>;
/** `timeoutMs`: the command is killed when it runs longer; `quietUnderMs` as for `progress`. */
export type RunStepOptions = { timeoutMs?: number; quietUnderMs?: number };
