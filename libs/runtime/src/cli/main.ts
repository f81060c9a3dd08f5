#!/usr/bin/env node
// The `statefun-ts` command line: one subcommand per file in this folder (dev, dead-letters,
// send, egress, module);
// others add theirs to COMMANDS.
import { describeError } from "../errors.js";
import type { Command } from "./command.js";

export type { Command } from "./command.js";

import { deadLettersCommand } from "./dead-letters-command.js";
import { devCommand } from "./dev-command.js";
import { egressCommand } from "./egress-command.js";
import { moduleCommand } from "./module-command.js";
import { sendCommand } from "./send-command.js";

const COMMANDS: Record<string, Command> = {
  dev: devCommand,
  "dead-letters": deadLettersCommand,
  send: sendCommand,
  egress: egressCommand,
  module: moduleCommand,
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(
    ([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`,
  );
  return `Usage: statefun-ts <command> [options]\n\nCommands:\n${lines.join("\n")}\n\nRun "statefun-ts <command> --help" for a command's options.\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    return 2;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`statefun-ts: ${describeError(error)}\n`);
    process.exitCode = 1;
  },
);
