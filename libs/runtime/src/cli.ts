#!/usr/bin/env node
import { parseArgs } from "node:util";
import { registry } from "@statefun-ts/registry";
import { describeError } from "./errors.js";
import { validatorsFromTypes } from "./ingress-body.js";
import { loadJsonSchemas } from "./inspector/schema-files.js";
import { startRuntime } from "./runtime.js";

const USAGE = `Usage: statefun-ts dev --module <module.yaml> [options]

Runs the local StateFun runtime for the remote functions declared in module.yaml.

Options:
  --module, -m <file>     the module.yaml to serve (required)
  --state-file <file>     SQLite state file (env STATEFUN_STATE_FILE, default .statefun/state.db)
  --reset                 delete the state file before starting
  --ingress-port <port>   ingress port (env STATEFUN_INGRESS_PORT, default 8090; 0 = any free port)
  --egress-port <port>    egress port (env STATEFUN_EGRESS_PORT, default 8091; 0 = any free port)
  --inspector-port <port> inspector page and API (env STATEFUN_INSPECTOR_PORT, default 8092; 0 = any free port)
  --no-inspector          do not serve the inspector
  --schemas <dir>         JSON Schemas of the registry types (schemas/**/*.schema.json) for the inspector's send form
  --host <address>        interface to bind (default 127.0.0.1)
  --help, -h              show this help
`;

function port(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error(`${flag} ${text} is not a port number (0-65535)`);
  }
  return value;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      module: { type: "string", short: "m" },
      "state-file": { type: "string" },
      reset: { type: "boolean" },
      "ingress-port": { type: "string" },
      "egress-port": { type: "string" },
      "inspector-port": { type: "string" },
      "no-inspector": { type: "boolean" },
      schemas: { type: "string" },
      host: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals[0] !== "dev" || positionals.length > 1) {
    process.stderr.write(`expected the command "dev"\n\n${USAGE}`);
    return 2;
  }
  if (!values.module) {
    process.stderr.write(`--module is required\n\n${USAGE}`);
    return 2;
  }
  const ingressPort = port(values["ingress-port"], "--ingress-port");
  const egressPort = port(values["egress-port"], "--egress-port");
  const inspectorPort = values["no-inspector"]
    ? false
    : (port(values["inspector-port"] ?? process.env.STATEFUN_INSPECTOR_PORT, "--inspector-port") ??
      8092);
  // JSON bodies of registry types are validated at the ingress (4xx with the violations).
  const validators = validatorsFromTypes(registry.values());
  const runtime = await startRuntime({
    modulePath: values.module,
    validators,
    reset: values.reset ?? false,
    ...(values["state-file"] !== undefined ? { stateFile: values["state-file"] } : {}),
    ...(ingressPort !== undefined ? { ingressPort } : {}),
    ...(egressPort !== undefined ? { egressPort } : {}),
    inspectorPort,
    ...(values.schemas !== undefined ? { schemas: loadJsonSchemas(values.schemas) } : {}),
    ...(values.host !== undefined ? { host: values.host } : {}),
  });
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      process.stdout.write(`received ${signal}, stopping\n`);
      resolve();
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
  await runtime.close();
  return 0;
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
