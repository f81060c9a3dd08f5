// The HTTP calls the CLI's client subcommands make to a running runtime, with errors that say
// how to reach it.
import { portOption } from "./cli-options.js";

const DEFAULT_PORTS = { ingress: 8090, egress: 8091, inspector: 8092 } as const;

/** The base URL of the runtime's ingress, egress or inspector from --url, --<kind>-port or the env. */
export function runtimeUrl(
  kind: "ingress" | "egress" | "inspector",
  values: { url?: string | undefined; port?: string | undefined },
): string {
  const env = `STATEFUN_${kind.toUpperCase()}_PORT`;
  const port = portOption(values.port ?? process.env[env], `--${kind}-port`) ?? DEFAULT_PORTS[kind];
  return (values.url ?? `http://127.0.0.1:${port}`).replace(/\/$/, "");
}

/** fetch, with a connection failure turned into an error naming the runtime and the fix. */
export async function callRuntime(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    throw new Error(
      `cannot reach the runtime at ${url} (${(error as Error).message}); is "statefun-ts dev" running? Pass --url or the port`,
    );
  }
}
