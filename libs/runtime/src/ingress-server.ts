import { createServer, type Server } from "node:http";
import type { AddressKey } from "./durable-store.js";
import { describeError, IngressError } from "./errors.js";
import { readBody, sendError, sendJson } from "./http-util.js";
import { type IngressValidator, ingressValue } from "./ingress-body.js";
import { describeEndpoints, findEndpoint, type ModuleConfig } from "./module-yaml.js";

const MAX_BODY = 32 * 1024 * 1024;

/** What the ingress server needs from the runtime. */
export interface IngressTarget {
  readonly module: ModuleConfig;
  readonly validators: ReadonlyMap<string, IngressValidator>;
  /** Durably enqueues a message from the ingress (no caller) and starts its delivery. */
  readonly enqueue: (target: AddressKey, typename: string, value: Uint8Array) => number;
}

/**
 * The playground-style ingress: `PUT|POST /<namespace>/<type>/<id>` with
 * `Content-Type: application/vnd.<typename>` (or `text/plain`). Anything wrong gets a 4xx with
 * the reason and nothing is enqueued; a message is acknowledged (202) only once it is durable.
 */
export function createIngressServer(target: IngressTarget): Server {
  return createServer((request, response) => {
    void (async () => {
      try {
        if (request.method !== "PUT" && request.method !== "POST") {
          response.setHeader("Allow", "PUT, POST");
          throw new IngressError(
            `method ${request.method} is not supported: send a message with PUT or POST /<namespace>/<type>/<id>`,
            405,
          );
        }
        const address = parsePath(request.url ?? "/");
        const endpoint = findEndpoint(target.module, address.namespace, address.type);
        if (!endpoint) {
          throw new IngressError(
            `unknown function type ${address.namespace}/${address.type}: no endpoint in module.yaml serves it (served: ${describeEndpoints(target.module)})`,
            404,
          );
        }
        const body = await readBody(request, MAX_BODY);
        if (body === undefined) {
          throw new IngressError(`the body is larger than ${MAX_BODY} bytes`, 413);
        }
        const value = ingressValue(request.headers["content-type"], body, target.validators);
        const seq = target.enqueue(address, value.typename, value.value);
        sendJson(response, 202, {
          accepted: true,
          target: `${address.namespace}/${address.type}/${address.id}`,
          typename: value.typename,
          bytes: value.value.length,
          seq,
        });
      } catch (error) {
        if (error instanceof IngressError) sendError(response, error.status, error.message);
        else
          sendError(
            response,
            500,
            `the runtime failed to accept the message: ${describeError(error)}`,
          );
      }
    })();
  });
}

function parsePath(url: string): AddressKey {
  const path = url.split("?")[0] ?? "";
  const segments = path.split("/").slice(1);
  const usage = "the path must be /<namespace>/<type>/<id>, e.g. /com.example.fns/greeter/Bob";
  if (segments.length < 3 || segments.some((s) => s === "")) {
    throw new IngressError(`path ${JSON.stringify(path)} is not an address: ${usage}`, 400);
  }
  try {
    const [namespace, type, ...id] = segments.map((s) => decodeURIComponent(s));
    return { namespace: namespace ?? "", type: type ?? "", id: id.join("/") };
  } catch {
    throw new IngressError(`path ${JSON.stringify(path)} has a bad %-escape: ${usage}`, 400);
  }
}
