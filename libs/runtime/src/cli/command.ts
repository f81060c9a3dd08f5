// The shape of a CLI subcommand. Its own module so that the subcommands and main.ts, which lists
// them, do not import each other.

/** A subcommand of `statefun-ts`: a one-line summary and its entry point. */
export interface Command {
  readonly summary: string;
  readonly run: (argv: string[]) => Promise<number>;
}
