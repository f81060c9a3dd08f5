// Option parsing shared by the CLI's subcommands: ports, sizes, counts, with errors that name
// the flag.

/** A port number from a flag, or undefined when the flag is absent. */
export function portOption(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error(`${flag} ${text} is not a port number (0-65535)`);
  }
  return value;
}

/** A whole number of at least `min` (default 1) from a flag, or undefined when the flag is absent. */
export function countOption(
  text: string | undefined,
  flag: string,
  min: 0 | 1 = 1,
): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new Error(
      `${flag} ${text} is not a ${min === 0 ? "whole number (0 or more)" : "positive whole number"}`,
    );
  }
  return value;
}
