// The HTTP calls the CLI's client subcommands make to a running runtime, with errors that say
// how to reach it.
import { portOption } from "./cli-options.js";

/** The base URL of the runtime's ingress or egress from --url, --<kind>-port or the env. */
export function runtimeUrl(
  kind: "ingress" | "egress",
  values: { url?: string | undefined; port?: string | undefined },
): string {
  const env = kind === "ingress" ? "STATEFUN_INGRESS_PORT" : "STATEFUN_EGRESS_PORT";
  const port =
    portOption(values.port ?? process.env[env], `--${kind}-port`) ??
    (kind === "ingress" ? 8090 : 8091);
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
