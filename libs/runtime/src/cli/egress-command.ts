// `statefun-ts egress tail <topic>`: prints the records of an egress topic of a running runtime
// (without consuming them), and with --follow keeps printing new ones.
import { parseArgs } from "node:util";
import { countOption } from "./cli-options.js";
import type { Command } from "./command.js";
import { callRuntime, runtimeUrl } from "./http-call.js";

const USAGE = `Usage: statefun-ts egress tail <topic> [--from <offset>] [--follow] [options]

Prints the records of an egress topic of a running runtime, oldest first, one a line:
"<offset> <key>: <value>" (values that are not UTF-8 as base64). Reading does not consume them.

  --from <offset>        start at this offset (default 0)
  --follow, -f           keep printing new records until interrupted (Ctrl-C)
  --json                 one JSON object a line (offset, key, value, valueEncoding, typename, ...)
  --url <url>            the runtime's egress URL (default http://127.0.0.1:<egress port>)
  --egress-port <port>   egress port (env STATEFUN_EGRESS_PORT, default 8091)
  --help, -h             show this help

Exit codes: 0 done (or interrupted while following); 1 the runtime is not reachable or answered
an error; 2 bad arguments.
`;

interface EgressRecordJson {
  offset: number;
  key: string | null;
  value: string;
  valueEncoding: "utf8" | "base64";
}

const POLL_MS = 250;

/** The `egress` subcommand (`egress tail`). */
export const egressCommand: Command = {
  summary: "print the records of an egress topic (tail, --follow)",
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        from: { type: "string" },
        follow: { type: "boolean", short: "f" },
        json: { type: "boolean" },
        url: { type: "string" },
        "egress-port": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    const [action, topic, ...extra] = positionals;
    if (action !== "tail" || topic === undefined || extra.length > 0) {
      process.stderr.write(`expected "egress tail <topic>"\n\n${USAGE}`);
      return 2;
    }
    let from = values.from === "0" ? 0 : (countOption(values.from, "--from") ?? 0);
    const base = runtimeUrl("egress", { url: values.url, port: values["egress-port"] });
    let stopped = false;
    const stop = (): void => {
      stopped = true;
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    try {
      while (!stopped) {
        const response = await callRuntime(
          `${base}/${encodeURIComponent(topic)}/records?from=${from}&limit=1000`,
        );
        if (response.status === 404 && values.follow) {
          // the topic has no record yet: wait for its first one
        } else if (!response.ok) {
          process.stderr.write(
            `statefun-ts: the egress answered ${response.status}: ${await response.text()}\n`,
          );
          return 1;
        } else {
          const page = (await response.json()) as { records: EgressRecordJson[]; next: number };
          for (const record of page.records) {
            process.stdout.write(
              values.json
                ? `${JSON.stringify(record)}\n`
                : `${record.offset} ${record.key ?? "(no key)"}: ${record.valueEncoding === "base64" ? `base64 ${record.value}` : record.value}\n`,
            );
          }
          from = page.next;
          if (page.records.length === 1000) continue;
        }
        if (!values.follow) return 0;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      return 0;
    } finally {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
    }
  },
};
