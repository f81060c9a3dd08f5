// `statefun-ts module --endpoint <url> --functions <ns/*>`: prints a module.yaml for Flink
// StateFun (and the local runtime), checked by the same parser `statefun-ts dev` uses.
import { parseArgs } from "node:util";
import { describeError } from "../errors.js";
import { parseModuleYaml } from "../module-yaml.js";
import type { Command } from "./command.js";

const USAGE = `Usage: statefun-ts module --endpoint <url> --functions <namespace/*> [options]

Prints a StateFun 3.x module.yaml declaring an HTTP endpoint that serves the given functions.

  --endpoint <url>        where the function service listens, as seen from the runtime, e.g.
                          http://greeter-functions:8000/statefun ({function.name} allowed)
  --functions <pattern>   the function types it serves: <namespace>/* or <namespace>/<type>;
                          repeat for several
  --max-batch <n>         maxNumBatchRequests (default 1000)
  --call <duration>       transport call timeout (default 1m)
  --connect <duration>    transport connect timeout (default 10s)
  --kafka-egress <id>@<brokers>   declare a Kafka egress, e.g. com.example/greets@kafka:9092
  --help, -h              show this help

Exit codes: 0 printed; 2 bad arguments (nothing printed).
`;

/** The `module` subcommand. */
export const moduleCommand: Command = {
  summary: "print a module.yaml for Flink StateFun for an endpoint and its functions",
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        endpoint: { type: "string" },
        functions: { type: "string", multiple: true },
        "max-batch": { type: "string" },
        call: { type: "string" },
        connect: { type: "string" },
        "kafka-egress": { type: "string", multiple: true },
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
    if (!values.endpoint || !values.functions?.length) {
      process.stderr.write(`--endpoint and --functions are required\n\n${USAGE}`);
      return 2;
    }
    const documents = values.functions.map((functions) =>
      [
        "kind: io.statefun.endpoints.v2/http",
        "spec:",
        `  functions: ${functions}`,
        `  urlPathTemplate: ${values.endpoint}`,
        `  maxNumBatchRequests: ${values["max-batch"] ?? "1000"}`,
        "  transport:",
        "    type: io.statefun.transports.v1/async",
        `    call: ${values.call ?? "1m"}`,
        `    connect: ${values.connect ?? "10s"}`,
      ].join("\n"),
    );
    for (const egress of values["kafka-egress"] ?? []) {
      const at = egress.lastIndexOf("@");
      if (at <= 0 || at === egress.length - 1) {
        process.stderr.write(
          `--kafka-egress ${egress}: expected <namespace>/<name>@<brokers>, e.g. com.example/greets@kafka:9092\n`,
        );
        return 2;
      }
      documents.push(
        [
          "kind: io.statefun.kafka.v1/egress",
          "spec:",
          `  id: ${egress.slice(0, at)}`,
          `  address: ${egress.slice(at + 1)}`,
          "  deliverySemantic:",
          "    type: at-least-once",
        ].join("\n"),
      );
    }
    const text = `${documents.join("\n---\n")}\n`;
    try {
      parseModuleYaml(text, "the generated module.yaml");
    } catch (error) {
      process.stderr.write(`${describeError(error)}\n`);
      return 2;
    }
    process.stdout.write(text);
    return 0;
  },
};
