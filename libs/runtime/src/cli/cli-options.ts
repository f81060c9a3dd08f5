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

/** A positive integer from a flag, or undefined when the flag is absent. */
export function countOption(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new Error(`${flag} ${text} is not a positive whole number`);
  }
  return value;
}
