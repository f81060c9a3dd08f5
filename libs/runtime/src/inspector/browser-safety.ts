// Browser-safety rules of the inspector's HTTP server: loopback Host only, same Origin only, no
// cross-site requests to the API (DNS rebinding and cross-site request forgery).
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";

/** Whether a host name or address is the loopback interface. */
export function isLoopback(host: string): boolean {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  const name = bare.toLowerCase();
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  if (isIP(name) === 4) return name.startsWith("127.");
  if (isIP(name) === 6) return name === "::1" || name === "0:0:0:0:0:0:0:1";
  return false;
}

/** The host name of a `Host` header (`name`, `name:port`, `[v6]:port`). */
export function hostName(header: string): string {
  if (header.startsWith("[")) {
    const end = header.indexOf("]");
    return end < 0 ? header : header.slice(0, end + 1);
  }
  const colon = header.lastIndexOf(":");
  return colon < 0 ? header : header.slice(0, colon);
}

/**
 * Checks a request against the browser-safety rules; returns the reason to refuse it (403), or
 * `undefined` when it may go on.
 * - `Host` must name the loopback interface (DNS rebinding), unless the server was bound to
 *   another interface on purpose (`bindHost` not loopback);
 * - an `Origin`, when sent, must be the server's own (`http://<Host>`);
 * - API requests must not come from another site (`Sec-Fetch-Site`).
 */
export function browserSafetyViolation(
  request: IncomingMessage,
  bindHost: string,
  api: boolean,
): string | undefined {
  const host = request.headers.host;
  if (host === undefined || host === "") {
    return "the request has no Host header";
  }
  if (isLoopback(bindHost) && !isLoopback(hostName(host))) {
    return `Host ${JSON.stringify(host)} is not a loopback name: the inspector answers only at 127.0.0.1, [::1] or localhost (this protects it against DNS rebinding); start the runtime with --host to serve another interface`;
  }
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) {
    return `Origin ${JSON.stringify(origin)} is not the inspector's own (http://${host}): other web pages may not use the inspector's API`;
  }
  const site = request.headers["sec-fetch-site"];
  if (api && (site === "cross-site" || site === "same-site")) {
    return `a ${site} request may not use the inspector's API (Sec-Fetch-Site: ${site})`;
  }
  return undefined;
}
