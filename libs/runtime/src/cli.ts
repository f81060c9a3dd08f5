#!/usr/bin/env node
import { parseArgs } from "node:util";
import { registry } from "@statefun-ts/registry";
import { describeError } from "./errors.js";
import { validatorsFromTypes } from "./ingress-body.js";
import { startRuntime } from "./runtime.js";

const USAGE = `Usage: statefun-ts dev --module <module.yaml> [options]

Runs the local StateFun runtime for the remote functions declared in module.yaml.

Options:
  --module, -m <file>     the module.yaml to serve (required)
  --state-file <file>     SQLite state file (env STATEFUN_STATE_FILE, default .statefun/state.db)
  --reset                 delete the state file before starting
  --ingress-port <port>   ingress port (env STATEFUN_INGRESS_PORT, default 8090; 0 = any free port)
  --egress-port <port>    egress port (env STATEFUN_EGRESS_PORT, default 8091; 0 = any free port)
  --host <address>        interface to bind (default 127.0.0.1)
  --kafka <bootstrap>     consume the module's Kafka ingresses and produce its Kafka egress
                          records at this broker (env STATEFUN_KAFKA_BOOTSTRAP; default off)
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
      host: { type: "string" },
      kafka: { type: "string" },
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
  // JSON bodies of registry types are validated at the ingress (4xx with the violations).
  const validators = validatorsFromTypes(registry.values());
  const runtime = await startRuntime({
    modulePath: values.module,
    validators,
    reset: values.reset ?? false,
    ...(values["state-file"] !== undefined ? { stateFile: values["state-file"] } : {}),
    ...(ingressPort !== undefined ? { ingressPort } : {}),
    ...(egressPort !== undefined ? { egressPort } : {}),
    ...(values.host !== undefined ? { host: values.host } : {}),
    ...(values.kafka !== undefined ? { kafka: values.kafka } : {}),
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
