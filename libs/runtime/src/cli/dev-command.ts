// `statefun-ts dev`: runs the local runtime for a module.yaml until SIGINT/SIGTERM.
import { parseArgs } from "node:util";
import { validatorsFromTypes } from "../ingress-body.js";
import { loadJsonSchemas } from "../inspector/schema-files.js";
import { createLogger, LOG_LEVELS, logLevelOption, pinoLog } from "../log.js";
import { startRuntime } from "../runtime.js";
import { countOption, portOption } from "./cli-options.js";
import type { Command } from "./command.js";
import { loadTypes } from "./load-types.js";

const USAGE = `Usage: statefun-ts dev --module <module.yaml> [options]

Runs the local StateFun runtime for the remote functions declared in module.yaml.

Options:
  --module, -m <file>        the module.yaml to serve (required)
  --state-file <file>        SQLite state file (env STATEFUN_STATE_FILE, default .statefun/state.db)
  --reset                    delete the state file before starting (refused while another runtime owns it)
  --ingress-port <port>      ingress port (env STATEFUN_INGRESS_PORT, default 8090; 0 = any free port)
  --egress-port <port>       egress port (env STATEFUN_EGRESS_PORT, default 8091; 0 = any free port)
  --host <address>           interface to bind (default 127.0.0.1); also accepts any Host header
  --inspector-port <port>    inspector page and API (env STATEFUN_INSPECTOR_PORT, default 8092; 0 = any free port)
  --no-inspector             do not serve the inspector
  --schemas <dir>            JSON Schemas of the types (**/*.schema.json) for the inspector's send form
  --types <module>           validate ingress bodies of these types (a module exporting \`registry\`)
  --max-queued <n>           bound on queued messages; beyond it the ingress answers 503 (default 100000)
  --max-batch-bytes <n>      byte budget of one batch (default 16777216; module.yaml maxBatchBytes wins)
  --calls-per-endpoint <n>   calls in flight per endpoint beyond which deliveries wait for one to end,
                             batching more messages per call; calls over 100 ms old do not count
                             (default 4; 0 = never wait, as StateFun)
  --durability <what>        process-crash (default: a 202 survives SIGKILL) or power-loss (fsync per commit)
  --kafka <bootstrap>        consume the module's Kafka ingresses and produce its Kafka egress records
                             at this broker (env STATEFUN_KAFKA_BOOTSTRAP; default off)
  --tracing                  OpenTelemetry spans per delivery (@opentelemetry/api; no-op unless an
                             OpenTelemetry SDK is registered, e.g. node --import ./otel-setup.mjs)
  --log-level <level>        ${LOG_LEVELS.join("|")} (env STATEFUN_LOG_LEVEL, default info);
                             JSON lines when stdout is not a terminal, readable lines when it is
  --help, -h                 show this help
`;

/** The `dev` subcommand. */
export const devCommand: Command = {
  summary: "run the local runtime for a module.yaml",
  async run(argv) {
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
        "inspector-port": { type: "string" },
        "no-inspector": { type: "boolean" },
        schemas: { type: "string" },
        types: { type: "string" },
        "max-queued": { type: "string" },
        "max-batch-bytes": { type: "string" },
        "calls-per-endpoint": { type: "string" },
        durability: { type: "string" },
        kafka: { type: "string" },
        "log-level": { type: "string" },
        tracing: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (positionals.length > 0) {
      process.stderr.write(`unexpected argument ${JSON.stringify(positionals[0])}\n\n${USAGE}`);
      return 2;
    }
    if (!values.module) {
      process.stderr.write(`--module is required\n\n${USAGE}`);
      return 2;
    }
    const ingressPort = portOption(values["ingress-port"], "--ingress-port");
    const egressPort = portOption(values["egress-port"], "--egress-port");
    const inspectorPort = values["no-inspector"]
      ? false
      : (portOption(
          values["inspector-port"] ?? process.env.STATEFUN_INSPECTOR_PORT,
          "--inspector-port",
        ) ?? 8092);
    const maxQueuedMessages = countOption(values["max-queued"], "--max-queued");
    const maxBatchBytes = countOption(values["max-batch-bytes"], "--max-batch-bytes");
    const callsPerEndpoint = countOption(values["calls-per-endpoint"], "--calls-per-endpoint", 0);
    const durability = values.durability;
    if (durability !== undefined && durability !== "process-crash" && durability !== "power-loss") {
      process.stderr.write(`--durability ${durability}: use process-crash or power-loss\n`);
      return 2;
    }
    const logger = createLogger({
      level:
        logLevelOption(values["log-level"]) ??
        logLevelOption(process.env.STATEFUN_LOG_LEVEL, "STATEFUN_LOG_LEVEL"),
    });
    // JSON bodies of these types are validated at the ingress (400 with the violations).
    const loaded = await loadTypes(values.types);
    const runtime = await startRuntime({
      modulePath: values.module,
      validators: validatorsFromTypes(loaded.types),
      reset: values.reset ?? false,
      ...(values["state-file"] !== undefined ? { stateFile: values["state-file"] } : {}),
      ...(ingressPort !== undefined ? { ingressPort } : {}),
      ...(egressPort !== undefined ? { egressPort } : {}),
      ...(values.host !== undefined ? { host: values.host } : {}),
      ...(maxQueuedMessages !== undefined ? { maxQueuedMessages } : {}),
      ...(maxBatchBytes !== undefined ? { maxBatchBytes } : {}),
      ...(callsPerEndpoint !== undefined ? { callsPerEndpoint } : {}),
      ...(durability !== undefined ? { durability } : {}),
      inspectorPort,
      log: pinoLog(logger),
      tracing: values.tracing ?? false,
      ...(values.schemas !== undefined ? { schemas: loadJsonSchemas(values.schemas) } : {}),
      ...(values.kafka !== undefined ? { kafka: values.kafka } : {}),
    });
    if (loaded.source) logger.info(`types to validate from ${loaded.source}`);
    await new Promise<void>((resolve) => {
      const stop = (signal: string): void => {
        logger.info(`received ${signal}, stopping`);
        resolve();
      };
      process.once("SIGINT", () => stop("SIGINT"));
      process.once("SIGTERM", () => stop("SIGTERM"));
    });
    await runtime.close();
    return 0;
  },
};
