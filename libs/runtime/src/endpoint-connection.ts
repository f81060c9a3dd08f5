/**
 * How the local runtime connects to a function endpoint, as Flink StateFun 3.3 does:
 * - `http+unix:///path/to/fn.sock/statefun` (and `https+unix`): the socket file is the path up to
 *   the first segment ending in `.sock`, the HTTP path is the rest (`UnixDomainHttpEndpoint`);
 * - https with the async transport's TLS fields (`NettyRequestReplySpec`): `trust_cacerts` (PEM CA
 *   certificates), `client_cert` + `client_key` (PEM, for mutual TLS) and `client_key_password`
 *   (a file holding the key's password). Each is a resource location: a file path or a `file:` URL.
 */

import { readFileSync } from "node:fs";
import { Agent as HttpAgent, type RequestOptions } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { fileURLToPath } from "node:url";
import { gunzipSync, inflateRawSync, inflateSync } from "node:zlib";
import { describeError, ModuleYamlError } from "./errors.js";

/** The TLS material of an endpoint, read from the files module.yaml names. */
export interface EndpointTls {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly passphrase?: string;
}

const FIELDS = {
  trust_cacerts: "ca",
  client_cert: "cert",
  client_key: "key",
  client_key_password: "passphrase",
} as const;

const ASYNC = "io.statefun.transports.v1/async";

/**
 * Reads the TLS fields of `spec.transport` (`undefined` when there are none) and checks what
 * Flink checks: Unix sockets only with the OkHttp transport, TLS fields only with the async one.
 */
export function parseEndpointTls(
  transport: { type: unknown; block: Record<string, unknown> },
  protocol: string,
  where: string,
): EndpointTls | undefined {
  const { type, block } = transport;
  if ((protocol === "http+unix:" || protocol === "https+unix:") && type === ASYNC) {
    throw new ModuleYamlError(
      `${where}: field "spec.urlPathTemplate" uses ${protocol}, which Flink's async transport (the default) cannot call: set spec.transport.type to io.statefun.transports.v1/okhttp`,
    );
  }
  if (type !== ASYNC) {
    const field = Object.keys(FIELDS).find((f) => block[f] !== undefined);
    if (field !== undefined) {
      throw new ModuleYamlError(
        `${where}: field "spec.transport.${field}" belongs to the async transport (io.statefun.transports.v1/async); Flink's OkHttp transport ignores it`,
      );
    }
    return undefined;
  }
  const tls: { -readonly [K in keyof EndpointTls]: string } = {};
  let any = false;
  for (const [field, key] of Object.entries(FIELDS)) {
    const location = block[field];
    if (location === undefined || location === null) continue;
    if (typeof location !== "string" || location.trim() === "") {
      throw new ModuleYamlError(
        `${where}: field "spec.transport.${field}" must be a file path or file: URL, got ${JSON.stringify(location)}`,
      );
    }
    const text = readResource(location, `spec.transport.${field}`, where);
    tls[key] = key === "passphrase" ? text.replace(/\r?\n$/, "") : text;
    any = true;
  }
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    throw new ModuleYamlError(
      `${where}: fields "spec.transport.client_cert" and "spec.transport.client_key" go together: give both for mutual TLS, or neither`,
    );
  }
  return any ? tls : undefined;
}

function readResource(location: string, field: string, where: string): string {
  if (location.startsWith("classpath:")) {
    throw new ModuleYamlError(
      `${where}: field "${field}" is ${JSON.stringify(location)}: classpath: resources exist only inside Flink's JVM; give the local runtime a file path`,
    );
  }
  const path = location.startsWith("file:") ? fileURLToPath(new URL(location)) : location;
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new ModuleYamlError(
      `${where}: field "${field}": cannot read ${path}: ${describeError(error)}`,
    );
  }
}

/** Whether a URL protocol is one the local runtime (and Flink) can call. */
export function isSupportedProtocol(protocol: string): boolean {
  return (
    protocol === "http:" ||
    protocol === "https:" ||
    protocol === "http+unix:" ||
    protocol === "https+unix:"
  );
}

/** Where one request goes: https or not, and the node:http request options for it. */
export interface RequestTarget {
  readonly secure: boolean;
  readonly options: RequestOptions;
}

/** The request options of an endpoint URL (TCP, or a Unix socket file for `http+unix`). */
export function requestTarget(url: string): RequestTarget {
  const target = new URL(url);
  const protocol = target.protocol;
  if (protocol === "http+unix:" || protocol === "https+unix:") {
    const segments = decodeURIComponent(target.pathname).split("/");
    const sock = segments.findIndex((s) => s.endsWith(".sock"));
    if (sock < 0) {
      throw new Error(
        `${url}: an ${protocol}// URL needs a socket file ending in .sock, e.g. http+unix:///run/fn.sock/statefun`,
      );
    }
    const rest = segments.slice(sock + 1).join("/");
    return {
      secure: protocol === "https+unix:",
      options: {
        socketPath: segments.slice(0, sock + 1).join("/"),
        path: `/${rest}${target.search}`,
      },
    };
  }
  return {
    secure: protocol === "https:",
    options: {
      protocol,
      hostname: target.hostname.replace(/^\[|\]$/g, ""),
      port: target.port,
      path: `${target.pathname}${target.search}`,
    },
  };
}

/** The keep-alive agents of one client: plain http (TCP and Unix sockets), https, and one https
 * agent per endpoint with its own TLS material. */
export class EndpointAgents {
  readonly http = new HttpAgent({ keepAlive: true, maxSockets: 1024 });
  private readonly https = new HttpsAgent({ keepAlive: true, maxSockets: 1024 });
  private readonly byTls = new Map<EndpointTls, HttpsAgent>();

  /** The agent for a request target with the endpoint's TLS material (if any). */
  agentFor(secure: boolean, tls: EndpointTls | undefined): HttpAgent {
    if (!secure) return this.http;
    if (tls === undefined) return this.https;
    let agent = this.byTls.get(tls);
    if (agent === undefined) {
      agent = new HttpsAgent({ keepAlive: true, maxSockets: 1024, ...tls });
      this.byTls.set(tls, agent);
    }
    return agent;
  }

  /** Closes every pooled connection. */
  destroy(): void {
    this.http.destroy();
    this.https.destroy();
    for (const agent of this.byTls.values()) agent.destroy();
    this.byTls.clear();
  }
}

/** The reply body, decoded when the endpoint gzip- or deflate-compressed it. */
export function decodeReplyBody(body: Buffer, encoding: string | undefined): Buffer {
  const coding = encoding?.trim().toLowerCase();
  if (coding === undefined || coding === "" || coding === "identity") return body;
  try {
    if (coding === "gzip" || coding === "x-gzip") return gunzipSync(body);
    if (coding === "deflate") {
      const zlibHeader =
        body.length >= 2 && (body[0]! & 0x0f) === 8 && body.readUInt16BE(0) % 31 === 0;
      return zlibHeader ? inflateSync(body) : inflateRawSync(body);
    }
  } catch (error) {
    throw new Error(`the ${coding} reply body does not decode: ${describeError(error)}`);
  }
  throw new Error(
    `unsupported reply Content-Encoding ${encoding} (the runtime accepts gzip and deflate)`,
  );
}
