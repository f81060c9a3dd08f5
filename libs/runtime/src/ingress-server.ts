// The ingress HTTP server (playground style): validates the address, the size and the body of a
// message and hands it to RuntimeCore.accept (group commit); answers 202 once it is durable.
import { createServer, type IncomingMessage, type Server } from "node:http";
import { checkFunctionType, checkId } from "./address-rules.js";
import type { AddressKey, StoredValue } from "./durable-store.js";
import type { RequestGuard } from "./egress-server.js";
import { describeError, IngressError } from "./errors.js";
import { readBody, sendError, sendJson } from "./http-util.js";
import { type IngressValidator, ingressValue } from "./ingress-body.js";
import {
  describeEndpoints,
  type FunctionEndpoint,
  findEndpoint,
  type ModuleConfig,
} from "./module-yaml.js";

/** Largest body the ingress reads at all, whatever the batch budget. */
export const MAX_INGRESS_BODY = 32 * 1024 * 1024;

/** What the ingress server needs from the runtime. */
export interface IngressTarget {
  readonly module: ModuleConfig;
  readonly validators: ReadonlyMap<string, IngressValidator>;
  /** Largest message in bytes for an endpoint (its batch budget: a bigger one could never be delivered). */
  readonly maxMessageBytes: (endpoint: FunctionEndpoint) => number;
  /** Durably enqueues a message from the ingress (no caller); resolves once it is durable. */
  readonly accept: (target: AddressKey, argument: StoredValue) => Promise<number>;
  /** Browser safety: refuses foreign Host and Origin headers. */
  readonly guard?: RequestGuard;
}

/**
 * The playground-style ingress: `PUT|POST /<namespace>/<type>/<id>` with
 * `Content-Type: application/vnd.<typename>` (or `text/plain`). Anything wrong gets a 4xx with
 * the reason and nothing is enqueued; a full queue or an unavailable store gets 503 with
 * Retry-After; a message is acknowledged (202) only once it is durable.
 */
export function createIngressServer(target: IngressTarget): Server {
  return createServer((request, response) => {
    void (async () => {
      try {
        const refused = target.guard?.(request);
        if (refused) throw refused;
        if (request.method !== "PUT" && request.method !== "POST") {
          response.setHeader("Allow", "PUT, POST");
          throw new IngressError(
            `method ${request.method} is not supported: send a message with PUT or POST /<namespace>/<type>/<id>`,
            405,
          );
        }
        const { address, endpoint } = routeOf(target.module, request.url ?? "/");
        const limit = Math.min(target.maxMessageBytes(endpoint), MAX_INGRESS_BODY);
        const declared = Number(request.headers["content-length"] ?? "0");
        const body = declared > limit ? undefined : await readBody(request, limit);
        if (body === undefined) {
          response.setHeader("Connection", "close");
          throw new IngressError(
            `the message is larger than the limit of ${limit} bytes (maxBatchBytes${limit === MAX_INGRESS_BODY ? ", capped at the ingress maximum" : ""}): a batch never exceeds it, so it could never be delivered. Send a smaller message, or raise maxBatchBytes`,
            413,
          );
        }
        const value = ingressValue(request.headers["content-type"], body, target.validators);
        const seq = await target.accept(address, {
          typename: value.typename,
          hasValue: true,
          value: value.value,
        });
        sendJson(
          response,
          202,
          {
            accepted: true,
            target: `${address.namespace}/${address.type}/${address.id}`,
            typename: value.typename,
            bytes: value.value.length,
            seq,
          },
          true,
        );
      } catch (error) {
        answerError(request, response, error);
      }
    })();
  });
}

function answerError(
  request: IncomingMessage,
  response: import("node:http").ServerResponse,
  error: unknown,
): void {
  if (response.headersSent || response.destroyed) return;
  if (error instanceof IngressError) {
    if (error.retryAfterSeconds !== undefined)
      response.setHeader("Retry-After", String(error.retryAfterSeconds));
    sendError(response, error.status, error.message);
    return;
  }
  sendError(
    response,
    500,
    `the runtime failed to accept the message to ${request.url}: ${describeError(error)}`,
  );
}

/** A checked ingress path: the address and the endpoint that serves it. */
interface Route {
  readonly address: AddressKey;
  readonly endpoint: FunctionEndpoint;
}

/** Checked paths (ids repeat under load); cleared when it reaches {@link MAX_ROUTES}. */
const routes = new WeakMap<ModuleConfig, Map<string, Route>>();
const MAX_ROUTES = 10_000;

/**
 * The address of a path and the endpoint serving it; a 400 for a path that breaks the address
 * rules, a 404 naming the patterns when no endpoint serves its function type. Checked paths are
 * remembered per module (the same ids arrive again and again).
 */
function routeOf(module: ModuleConfig, url: string): Route {
  let known = routes.get(module);
  if (!known) {
    known = new Map();
    routes.set(module, known);
  }
  const cached = known.get(url);
  if (cached) return cached;
  const address = parsePath(url);
  const endpoint = findEndpoint(module, address.namespace, address.type);
  if (!endpoint) {
    throw new IngressError(
      `unknown function type ${address.namespace}/${address.type}: no module.yaml pattern covers it (patterns: ${describeEndpoints(module)})`,
      404,
    );
  }
  if (known.size >= MAX_ROUTES) known.clear();
  const route = { address, endpoint };
  known.set(url, route);
  return route;
}

function parsePath(url: string): AddressKey {
  const path = url.split("?")[0] ?? "";
  const segments = path.split("/").slice(1);
  const usage = "the path must be /<namespace>/<type>/<id>, e.g. /com.example.fns/greeter/Bob";
  if (segments.length < 3 || segments.some((s) => s === "")) {
    throw new IngressError(`path ${JSON.stringify(path)} is not an address: ${usage}`, 400);
  }
  const decoded = segments.map((segment, i) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      throw new IngressError(
        `path ${JSON.stringify(path)}: segment ${i + 1} (${JSON.stringify(segment)}) has a bad %-escape or is not valid UTF-8: ${usage}`,
        400,
      );
    }
  });
  const [namespace = "", type = "", ...id] = decoded;
  checkFunctionType(namespace, type);
  const address = { namespace, type, id: id.join("/") };
  checkId(address.id);
  return address;
}
