// `statefun-ts send <ns/type>/<id> <value>`: sends one message through a running runtime's
// ingress, as `curl -X PUT` would, checking JSON against the registry type before it leaves.
import { parseArgs } from "node:util";
import { describeError } from "../errors.js";
import type { Command } from "./command.js";
import { callRuntime, runtimeUrl } from "./http-call.js";
import { loadTypes } from "./load-types.js";

const USAGE = `Usage: statefun-ts send <namespace/type>/<id> <value> [--typename <t> | --json] [options]

Sends a message to a function through the ingress of a running runtime ("statefun-ts dev").

  <value>                 a string (io.statefun.types/string) unless --typename says otherwise
  --typename <t>          the value's typename, e.g. io.statefun.types/int (value 42) or a
                          registry type such as com.example/GreetRequest (value as JSON)
  --json                  the value is JSON of --typename's registry type: checked here first
  --types <module>        where registry types come from (default: this workspace's registry)
  --url <url>             the runtime's ingress URL (default http://127.0.0.1:<ingress port>)
  --ingress-port <port>   ingress port (env STATEFUN_INGRESS_PORT, default 8090)
  --help, -h              show this help

Exit codes: 0 accepted by the ingress; 1 refused (the reason is printed) or the runtime is not
reachable; 2 bad arguments or a value that does not match its type.
`;

/** The `send` subcommand. */
export const sendCommand: Command = {
  summary: "send a message to a function through the ingress of a running runtime",
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        typename: { type: "string" },
        json: { type: "boolean" },
        types: { type: "string" },
        url: { type: "string" },
        "ingress-port": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    const [address, value, ...extra] = positionals;
    if (address === undefined || value === undefined || extra.length > 0) {
      process.stderr.write(`expected an address and a value\n\n${USAGE}`);
      return 2;
    }
    if (!/^[^/\s]+\/[^/\s]+\/.+$/.test(address)) {
      process.stderr.write(
        `address ${JSON.stringify(address)} is not <namespace>/<type>/<id>, e.g. com.example.fns/greeter/Bob\n`,
      );
      return 2;
    }
    if (values.json && values.typename === undefined) {
      process.stderr.write(
        "--json needs --typename: the registry type the JSON is, e.g. --typename com.example/GreetRequest\n",
      );
      return 2;
    }
    const typename = values.typename;
    if (values.json && typename !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch (error) {
        process.stderr.write(`the value is not JSON: ${describeError(error)}\n`);
        return 2;
      }
      const { types, source } = await loadTypes(values.types);
      const type = types.find((t) => t.typeName.toString() === typename);
      if (type === undefined) {
        process.stderr.write(
          `--typename ${typename} is not a registry type${source ? ` of ${source}` : ""}; pass --types <module> or drop --json to send the text as is\n`,
        );
        return 2;
      }
      try {
        type.serialize(parsed);
      } catch (error) {
        process.stderr.write(`the value is not a valid ${typename}: ${describeError(error)}\n`);
        return 2;
      }
    }
    const base = runtimeUrl("ingress", { url: values.url, port: values["ingress-port"] });
    const [namespace, type, ...id] = address.split("/");
    const path = `${namespace}/${type}/${encodeURIComponent(id.join("/"))}`;
    const response = await callRuntime(`${base}/${path}`, {
      method: "PUT",
      headers: {
        "Content-Type": typename === undefined ? "text/plain" : `application/vnd.${typename}`,
      },
      body: value,
    });
    const text = await response.text();
    if (!response.ok) {
      process.stderr.write(`statefun-ts: the ingress refused it (${response.status}): ${text}\n`);
      return 1;
    }
    process.stdout.write(`sent to ${address}\n`);
    return 0;
  },
};
