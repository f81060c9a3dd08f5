// Browser safety of the runtime's HTTP doors: a web page the developer visits must not be able
// to post messages (cross-site requests carry a foreign Origin) or read the egress through DNS
// rebinding (a foreign Host name that resolves to 127.0.0.1).
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";
import { IngressError } from "./errors.js";

/** How strict the guard is. */
export interface BrowserGuardOptions {
  /** Accept any Host header (the runtime was bound to an interface on purpose with --host). */
  readonly anyHost: boolean;
}

function isLoopbackName(hostname: string): boolean {
  const name = hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "");
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  if (isIP(name) === 4) return name.startsWith("127.");
  if (isIP(name) === 6) return name === "::1" || name === "0:0:0:0:0:0:0:1";
  return false;
}

function hostnameOf(host: string): string {
  if (host.startsWith("[")) return host.slice(0, host.indexOf("]") + 1);
  const colon = host.lastIndexOf(":");
  return colon >= 0 ? host.slice(0, colon) : host;
}

/**
 * Refuses (403 with the reason) a request whose Host is not a loopback name or address (unless
 * `anyHost`), or whose Origin is not the runtime's own (`http://<Host>`).
 */
export function browserGuard(options: BrowserGuardOptions) {
  // Host headers seen, and whether each is a loopback name (a handful of values in practice).
  const loopback = new Map<string, boolean>();
  const isLoopbackHost = (host: string): boolean => {
    let known = loopback.get(host);
    if (known === undefined) {
      known = isLoopbackName(hostnameOf(host));
      if (loopback.size < 1000) loopback.set(host, known);
    }
    return known;
  };
  return (request: IncomingMessage): IngressError | undefined => {
    const host = request.headers.host ?? "";
    if (!options.anyHost && !isLoopbackHost(host)) {
      return new IngressError(
        `Host ${JSON.stringify(host)} is not a loopback name or address: the runtime answers only requests addressed to localhost or 127.0.0.1 (DNS-rebinding protection). Start it with --host <address> to serve other names`,
        403,
      );
    }
    const origin = request.headers.origin;
    if (origin !== undefined) {
      let own = false;
      try {
        const parsed = new URL(origin);
        own = (parsed.protocol === "http:" || parsed.protocol === "https:") && parsed.host === host;
      } catch {
        own = false;
      }
      if (!own) {
        return new IngressError(
          `Origin ${JSON.stringify(origin)} is not this runtime's own (http://${host}): requests from web pages of other sites are refused. Send messages with curl or a server-side client`,
          403,
        );
      }
    }
    return undefined;
  };
}
