// `statefun-ts state <ns/type>/<id>`: prints the state of an address of a running runtime,
// decoded by the inspector API (built-in types as values, registry JSON pretty, others as hex).
import { parseArgs } from "node:util";
import type { AddressResponse, DecodedValue, StateJson } from "@statefun-ts/inspector/api-types";
import type { Command } from "./command.js";
import { callRuntime, runtimeUrl } from "./http-call.js";

const USAGE = `Usage: statefun-ts state <namespace>/<type>/<id> [options]

Prints the state of an address of a running runtime, one value per state name: built-in types
as values, registry (JSON) types pretty-printed, other types as hex with their typename. Reads
the inspector API (GET /api/addresses/<namespace>/<type>/<id>), so the runtime must serve the
inspector (the default of "statefun-ts dev").

  --json                    print the inspector API's answer as it is
  --url <url>               the runtime's inspector URL (default http://127.0.0.1:<inspector port>)
  --inspector-port <port>   inspector port (env STATEFUN_INSPECTOR_PORT, default 8092)
  --help, -h                show this help

Exit codes: 0 printed (also when the address has no state); 1 the runtime is not reachable or
answered an error; 2 bad arguments.
`;

function indent(text: string, by: string): string {
  return text
    .split("\n")
    .map((line) => `${by}${line}`)
    .join("\n");
}

/** One decoded value as text: a value, pretty JSON, or hex with its typename. */
export function formatDecoded(value: DecodedValue): string {
  const cut = value.truncated ? " (cut short)" : "";
  if (value.error !== undefined) {
    return `${value.bytes} bytes that do not decode as ${value.typename}: ${value.error}${value.hex === undefined ? "" : `\n  hex ${value.hex}`}${cut}`;
  }
  if (value.kind === "builtin") return JSON.stringify(value.value ?? null);
  if (value.kind === "json" && value.text !== undefined) {
    const invalid =
      value.schema === "invalid"
        ? `\n  (not valid for its schema: ${(value.violations ?? []).map((v) => `${v.pointer} ${v.message}`).join("; ")})`
        : "";
    return `${value.text}${cut}${invalid}`;
  }
  if (value.text !== undefined) return `${value.text}${cut}`;
  return `${value.bytes} bytes, hex ${value.hex ?? ""}${cut}`;
}

function formatState(state: StateJson): string {
  if (state.value === null) return `${state.name}: (no value)`;
  const typename = state.value.typename === "" ? "typename not known" : state.value.typename;
  const expires =
    state.expiresAt === null ? "" : `, expires ${new Date(state.expiresAt).toISOString()}`;
  const text = formatDecoded(state.value);
  const head = `${state.name} (${typename}${expires})`;
  return text.includes("\n") ? `${head}:\n${indent(text, "  ")}` : `${head}: ${text}`;
}

/** The `state` subcommand. */
export const stateCommand: Command = {
  summary: "print the decoded state of an address",
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: "boolean" },
        url: { type: "string" },
        "inspector-port": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    const [target, ...extra] = positionals;
    const parts = target?.split("/") ?? [];
    if (
      target === undefined ||
      extra.length > 0 ||
      parts.length < 3 ||
      parts.some((p) => p === "")
    ) {
      process.stderr.write(
        `expected one address as <namespace>/<type>/<id>, got ${JSON.stringify(positionals.join(" "))}\n\n${USAGE}`,
      );
      return 2;
    }
    const [namespace, type, ...id] = parts as [string, string, ...string[]];
    const base = runtimeUrl("inspector", { url: values.url, port: values["inspector-port"] });
    const path = [namespace, type, id.join("/")].map(encodeURIComponent).join("/");
    const response = await callRuntime(`${base}/api/addresses/${path}`);
    const body = await response.text();
    if (!response.ok) {
      process.stderr.write(`statefun-ts: the inspector API answered ${response.status}: ${body}\n`);
      return 1;
    }
    if (values.json) {
      process.stdout.write(`${body}\n`);
      return 0;
    }
    const answer = JSON.parse(body) as AddressResponse;
    const lines = [`${namespace}/${type}/${id.join("/")}`];
    if (answer.statesNote !== null) lines.push(`note: ${answer.statesNote}`);
    if (answer.states.length === 0) lines.push("  (no state)");
    for (const state of answer.states) lines.push(indent(formatState(state), "  "));
    process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  },
};
