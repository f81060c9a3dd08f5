// `statefun-ts dead-letters [list|replay <n>|drop <n>]`: the dead-letter HTTP API of a running
// runtime, from the command line.
import { parseArgs } from "node:util";
import { portOption } from "./cli-options.js";
import type { Command } from "./command.js";

const USAGE = `Usage: statefun-ts dead-letters [list|replay <n>|drop <n>] [options]

Lists, replays or drops the dead letters of a running runtime (messages that could never be
delivered: unknown function type, refused as bad or too large, or a reply the runtime rejects).

  list            the dead letters with their reason, attempts and time (default)
  replay <n>      put dead letter n back at the end of its address's queue
  drop <n>        delete dead letter n for good

Options:
  --url <url>          the runtime's egress URL (default http://127.0.0.1:<egress port>)
  --egress-port <port> egress port (env STATEFUN_EGRESS_PORT, default 8091)
  --json               print the raw JSON
  --help, -h           show this help
`;

interface Letter {
  n: number;
  target: string;
  typename: string;
  value: string;
  valueEncoding: string;
  reason: string;
  attempts: number;
  failedAt: string;
}

async function call(
  url: string,
  method: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  let response: Response;
  try {
    response = await fetch(url, { method });
  } catch (error) {
    throw new Error(
      `cannot reach the runtime at ${url} (${(error as Error).message}); is "statefun-ts dev" running? Pass --url or --egress-port`,
    );
  }
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The `dead-letters` subcommand. */
export const deadLettersCommand: Command = {
  summary: "list, replay or drop the dead letters of a running runtime",
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        url: { type: "string" },
        "egress-port": { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    const port =
      portOption(values["egress-port"] ?? process.env.STATEFUN_EGRESS_PORT, "--egress-port") ??
      8091;
    const base = (values.url ?? `http://127.0.0.1:${port}`).replace(/\/$/, "");
    const [action = "list", number, ...extra] = positionals;
    if (extra.length > 0) {
      process.stderr.write(`unexpected argument ${JSON.stringify(extra[0])}\n\n${USAGE}`);
      return 2;
    }
    if (action === "list") {
      const letters: Letter[] = [];
      let from = 0;
      for (;;) {
        const { status, body } = await call(`${base}/dead-letters?from=${from}&limit=1000`, "GET");
        if (status !== 200) {
          process.stderr.write(`statefun-ts: ${String(body.error ?? status)}\n`);
          return 1;
        }
        const page = body.deadLetters as Letter[];
        letters.push(...page);
        if (page.length < 1000) break;
        from = body.next as number;
      }
      if (values.json) {
        process.stdout.write(`${JSON.stringify(letters, null, 2)}\n`);
        return 0;
      }
      if (letters.length === 0) {
        process.stdout.write("no dead letters\n");
        return 0;
      }
      for (const l of letters) {
        const value = l.valueEncoding === "base64" ? `base64 ${l.value}` : JSON.stringify(l.value);
        process.stdout.write(
          `#${l.n} ${l.target} ${l.typename} ${value}\n    ${l.failedAt}, ${l.attempts} attempt(s): ${l.reason}\n`,
        );
      }
      return 0;
    }
    if (action !== "replay" && action !== "drop") {
      process.stderr.write(`unknown action ${JSON.stringify(action)}\n\n${USAGE}`);
      return 2;
    }
    if (number === undefined || !/^\d+$/.test(number)) {
      process.stderr.write(
        `${action} needs the number of a dead letter (see "statefun-ts dead-letters list")\n`,
      );
      return 2;
    }
    const { status, body } =
      action === "replay"
        ? await call(`${base}/dead-letters/${number}/replay`, "POST")
        : await call(`${base}/dead-letters/${number}`, "DELETE");
    if (status !== 200) {
      process.stderr.write(`statefun-ts: ${String(body.error ?? status)}\n`);
      return 1;
    }
    process.stdout.write(
      values.json
        ? `${JSON.stringify(body)}\n`
        : action === "replay"
          ? `dead letter #${number} is queued again for ${String(body.target)}\n`
          : `dead letter #${number} dropped\n`,
    );
    return 0;
  },
};
