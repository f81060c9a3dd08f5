// The inspector's JSON HTTP API (/api/...): what the page reads and does, usable on its own
// (curl, the CLI). GET never changes anything; actions are POST or DELETE.
import type { IncomingMessage, ServerResponse } from "node:http";
import type {
  AddressesResponse,
  AddressJson,
  AddressResponse,
  DeadLetterJson,
  DeadLettersResponse,
  DelayedResponse,
  FunctionJson,
  FunctionsResponse,
  InvocationJson,
  InvocationsResponse,
  OverviewResponse,
  SendRequest,
  SendResponse,
  StateJson,
  TopicResponse,
  TopicsResponse,
  TypeJson,
  TypesResponse,
} from "@statefun-ts/inspector/api-types";
import type { AddressKey, DeadLetter } from "../durable-store.js";
import { describeError, IngressError } from "../errors.js";
import { readBody, sendError, sendJson } from "../http-util.js";
import { type IngressValidator, ingressValue } from "../ingress-body.js";
import { findEndpoint, functionUrl, type ModuleConfig } from "../module-yaml.js";
import type { RuntimeCore } from "../runtime-core.js";
import { type ActivityRecorder, RATE_WINDOW_SECONDS } from "./activity-recorder.js";
import { openEventStream } from "./event-stream.js";
import type { JsonSchema } from "./schema-files.js";
import type { StoreReader } from "./store-reader.js";
import { BUILT_IN_TYPENAMES, decodeValue } from "./value-decoder.js";

const MAX_SEND_BODY = 1024 * 1024;

/** What the API reads and drives. */
export interface InspectorApiContext {
  readonly core: RuntimeCore;
  readonly module: ModuleConfig;
  readonly reader: StoreReader;
  readonly recorder: ActivityRecorder;
  readonly validators: ReadonlyMap<string, IngressValidator>;
  readonly schemas: ReadonlyMap<string, JsonSchema>;
  /** The runtime's URLs and state file, for the overview. */
  readonly info: () => { ingressUrl: string; egressUrl: string; stateFile: string };
  readonly startedAt: number;
}

/** An API error with its HTTP status. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function intParam(params: URLSearchParams, name: string, fallback: number, max: number): number {
  const text = params.get(name);
  if (text === null || text === "") return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new ApiError(
      400,
      `"${name}" must be an integer between 1 and ${max}, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

function addressOf(segments: readonly string[]): AddressKey {
  const [namespace, type, ...id] = segments;
  if (!namespace || !type || id.length === 0 || id.join("/") === "") {
    throw new ApiError(400, "an address path is /api/addresses/<namespace>/<type>/<id>");
  }
  return { namespace, type, id: id.join("/") };
}

function addressJson(address: AddressKey): AddressJson {
  return { namespace: address.namespace, type: address.type, id: address.id };
}

/**
 * Routes: `GET /api/overview`, `/api/functions`, `/api/addresses?q=&type=&id=&limit=`,
 * `/api/addresses/<ns>/<type>/<id>`, `/api/invocations?type=&id=&limit=`, `/api/delayed`,
 * `/api/egress`, `/api/egress/<topic>?limit=`, `/api/types`, `/api/dead-letters?from=&limit=`,
 * `/api/events` (server-sent events); `POST /api/send`, `POST /api/dead-letters/<n>/replay`,
 * `DELETE /api/dead-letters/<n>`.
 */
export class InspectorApi {
  constructor(private readonly context: InspectorApiContext) {}

  /** Answers one `/api/...` request. */
  async handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    try {
      const segments = url.pathname
        .slice("/api/".length)
        .split("/")
        .map((s) => decodeURIComponent(s));
      const [head, ...rest] = segments;
      const method = request.method ?? "GET";
      const route = `${method} ${head ?? ""}`;
      if (method === "GET" || method === "HEAD") {
        const params = url.searchParams;
        switch (head) {
          case "overview":
            return sendJson(response, 200, this.overview());
          case "functions":
            return sendJson(response, 200, this.functions());
          case "addresses":
            return sendJson(
              response,
              200,
              rest.length === 0 ? this.addresses(params) : this.address(addressOf(rest)),
            );
          case "invocations":
            return sendJson(response, 200, this.invocations(params));
          case "delayed":
            return sendJson(response, 200, this.delayed(params));
          case "egress":
            return sendJson(
              response,
              200,
              rest.length === 0 ? this.topics() : this.topic(rest.join("/"), params),
            );
          case "types":
            return sendJson(response, 200, this.types());
          case "dead-letters":
            if (rest.length === 0) return sendJson(response, 200, this.deadLetters(params));
            break;
          case "events":
            openEventStream(response, this.context.recorder);
            return;
        }
      }
      if (route === "POST send") {
        return sendJson(response, 202, this.send(await this.jsonBody(request)));
      }
      if (head === "dead-letters" && rest.length > 0) {
        return sendJson(response, 200, this.deadLetterAction(method, rest));
      }
      if (
        [
          "dead-letters",
          "overview",
          "functions",
          "addresses",
          "invocations",
          "delayed",
          "egress",
          "types",
          "events",
          "send",
        ].includes(head ?? "")
      ) {
        response.setHeader("Allow", head === "send" ? "POST" : "GET");
        throw new ApiError(
          405,
          `${method} /api/${head} is not supported; see the runtime README for the inspector API`,
        );
      }
      throw new ApiError(
        404,
        `no inspector API at ${url.pathname}; see the runtime README for the inspector API`,
      );
    } catch (error) {
      if (error instanceof ApiError) sendError(response, error.status, error.message);
      else if (error instanceof IngressError) sendError(response, error.status, error.message);
      else sendError(response, 500, `the inspector failed: ${describeError(error)}`);
    }
  }

  overview(): OverviewResponse {
    const stats = this.context.core.stats();
    return {
      ...this.context.info(),
      startedAt: this.context.startedAt,
      now: this.context.core.clock.now(),
      bounds: this.context.recorder.bounds,
      queued: stats.queued,
      delayed: stats.delayed,
      deadLetters: stats.deadLetters,
    };
  }

  functions(): FunctionsResponse {
    const { module, reader, recorder } = this.context;
    const queued = reader.queueDepths();
    const addresses = reader.addressCounts();
    const types = new Set<string>();
    for (const endpoint of module.endpoints) {
      if (endpoint.name !== undefined) types.add(`${endpoint.namespace}/${endpoint.name}`);
    }
    for (const type of [...queued.keys(), ...addresses.keys(), ...recorder.calledTypes()])
      types.add(type);
    const functions: FunctionJson[] = [...types].sort().map((functionType) => {
      const [namespace = "", type = ""] = splitType(functionType);
      const endpoint = findEndpoint(module, namespace, type);
      const stats = recorder.statsOf(functionType);
      return {
        functionType,
        pattern: endpoint ? `${endpoint.namespace}/${endpoint.name ?? "*"}` : null,
        url: endpoint ? functionUrl(endpoint, type) : null,
        health: stats?.health ?? {
          status: "unknown",
          at: null,
          reason: null,
          consecutiveFailures: 0,
        },
        callsPerSecond: stats?.callsPerSecond ?? 0,
        calls: stats?.calls ?? 0,
        inFlight: stats?.inFlight ?? 0,
        queued: queued.get(functionType) ?? 0,
        addresses: addresses.get(functionType) ?? 0,
        lastLatencyMs: stats?.lastLatencyMs ?? null,
      };
    });
    return {
      endpoints: module.endpoints.map((e) => ({
        pattern: `${e.namespace}/${e.name ?? "*"}`,
        urlPathTemplate: e.urlPathTemplate,
        maxNumBatchRequests: e.maxNumBatchRequests,
        callTimeoutMs: e.callTimeoutMs,
        source: e.source,
      })),
      functions,
      windowSeconds: RATE_WINDOW_SECONDS,
    };
  }

  addresses(params: URLSearchParams): AddressesResponse {
    const limit = intParam(params, "limit", 200, 1000);
    const q = params.get("q") ?? "";
    const functionType = params.get("type") ?? "";
    const id = params.get("id") ?? "";
    const { rows, total } = this.context.reader.addresses(
      {
        ...(q !== "" ? { q } : {}),
        ...(functionType !== "" ? { functionType } : {}),
        ...(id !== "" ? { id } : {}),
      },
      limit,
    );
    return {
      addresses: rows.map((r) => ({
        address: addressJson(r.address),
        states: r.states,
        queued: r.queued,
      })),
      total,
      limit,
    };
  }

  address(address: AddressKey): AddressResponse {
    const { core, reader, recorder, module } = this.context;
    const functionType = `${address.namespace}/${address.type}`;
    const registered = core.registeredStates(functionType);
    const stored = new Map(reader.states(address).map((row) => [row.name, row]));
    const names = [...new Set([...registered.keys(), ...stored.keys()])].sort();
    const states: StateJson[] = names.map((name) => {
      const spec = registered.get(name);
      const row = stored.get(name);
      return {
        name,
        registered: spec !== undefined,
        expiry: spec ? { mode: spec.expiry.mode, ttlMs: spec.expiry.ttlMs } : null,
        expiresAt: row?.expiresAt ?? null,
        value: row ? decodeValue(spec?.typename ?? "", row.value, this.context) : null,
      };
    });
    const key = `${address.namespace}/${address.type}/${address.id}`;
    const invocations = recorder.invocations
      .newestFirst()
      .filter((e) => `${e.address.namespace}/${e.address.type}/${e.address.id}` === key)
      .slice(0, 50);
    return {
      address: addressJson(address),
      served: findEndpoint(module, address.namespace, address.type) !== undefined,
      states,
      statesNote:
        registered.size === 0 && stored.size > 0
          ? `${functionType} has not been called since the runtime started, so the typenames of its states are not known yet (functions register their states on their first call, as on Flink); values are shown as bytes`
          : null,
      queued: reader.queue(address, 100).map((m) => ({
        seq: m.seq,
        caller: m.caller ? addressJson(m.caller) : null,
        argument: decodeValue(m.argument.typename, m.argument.value, this.context),
        enqueuedAt: m.enqueuedAt,
      })),
      delayed: reader
        .delayed(100, address)
        .map((row) => recorder.delayedJson(row, "pending", null)),
      invocations,
    };
  }

  invocations(params: URLSearchParams): InvocationsResponse {
    const { recorder } = this.context;
    const limit = intParam(
      params,
      "limit",
      recorder.bounds.invocations,
      recorder.bounds.invocations,
    );
    const type = params.get("type") ?? "";
    const id = params.get("id") ?? "";
    const matches = (entry: InvocationJson): boolean =>
      (type === "" || `${entry.address.namespace}/${entry.address.type}`.includes(type)) &&
      (id === "" || entry.address.id === id);
    return {
      bound: recorder.bounds.invocations,
      total: recorder.invocations.pushed,
      entries: recorder.invocations.newestFirst().filter(matches).slice(0, limit),
    };
  }

  delayed(params: URLSearchParams): DelayedResponse {
    const { reader, recorder, core } = this.context;
    const limit = intParam(params, "limit", 500, 1000);
    return {
      pending: reader.delayed(limit).map((row) => recorder.delayedJson(row, "pending", null)),
      cancelled: recorder.cancelled.newestFirst(),
      cancelledBound: recorder.bounds.cancelled,
      now: core.clock.now(),
    };
  }

  topics(): TopicsResponse {
    return { topics: this.context.core.topics() };
  }

  topic(topic: string, params: URLSearchParams): TopicResponse {
    const limit = intParam(params, "limit", 20, 1000);
    const { core, recorder } = this.context;
    const total = core.topics().find((t) => t.topic === topic)?.records ?? 0;
    const records = core.listRecords(topic, Math.max(0, total - limit), limit);
    return {
      topic,
      total,
      limit,
      records: records
        .reverse()
        .map((r) => recorder.egressJson(r, { hexBytes: 4096, textChars: 64 * 1024 })),
    };
  }

  types(): TypesResponse {
    const registry = new Set([...this.context.validators.keys(), ...this.context.schemas.keys()]);
    const types: TypeJson[] = [
      ...BUILT_IN_TYPENAMES.map((typename) => ({
        typename,
        kind: "builtin" as const,
        schema: null,
      })),
      ...[...registry].sort().map((typename) => ({
        typename,
        kind: "registry" as const,
        schema: (this.context.schemas.get(typename) ?? null) as TypeJson["schema"],
      })),
    ];
    return { types };
  }

  deadLetters(params: URLSearchParams): DeadLettersResponse {
    const limit = intParam(params, "limit", 100, 1000);
    const fromText = params.get("from") ?? "0";
    const from = Number(fromText);
    if (!Number.isSafeInteger(from) || from < 0) {
      throw new ApiError(
        400,
        `"from" must be a dead-letter number >= 0, got ${JSON.stringify(fromText)}`,
      );
    }
    const { core } = this.context;
    const letters = core.deadLetters(from, limit);
    const last = letters[letters.length - 1];
    return {
      deadLetters: letters.map((letter) => this.deadLetterJson(letter)),
      total: core.stats().deadLetters,
      next: last ? last.n + 1 : from,
    };
  }

  /** `POST /api/dead-letters/<n>/replay` or `DELETE /api/dead-letters/<n>`. */
  deadLetterAction(
    method: string,
    rest: readonly string[],
  ): { replayed: number; target: string } | { dropped: number } {
    const [number = "", action] = rest;
    const n = Number(number);
    if (
      !/^\d+$/.test(number) ||
      !Number.isSafeInteger(n) ||
      rest.length > 2 ||
      (action !== undefined && action !== "replay")
    ) {
      throw new ApiError(
        404,
        "dead letters are /api/dead-letters/<n> (DELETE drops it) and /api/dead-letters/<n>/replay (POST)",
      );
    }
    const { core, recorder } = this.context;
    if (action === "replay") {
      if (method !== "POST")
        throw new ApiError(405, `${method} replays nothing: POST /api/dead-letters/${n}/replay`);
      const target = core.replayDeadLetter(n);
      if (!target)
        throw new ApiError(404, `there is no dead letter #${n} (GET /api/dead-letters lists them)`);
      const key = `${target.namespace}/${target.type}/${target.id}`;
      recorder.changed({ topics: ["dead-letters", "functions", "addresses"], addresses: [key] });
      return { replayed: n, target: key };
    }
    if (method !== "DELETE")
      throw new ApiError(
        405,
        `${method} /api/dead-letters/${n}: DELETE drops it, POST .../replay replays it`,
      );
    if (!core.dropDeadLetter(n))
      throw new ApiError(404, `there is no dead letter #${n} (GET /api/dead-letters lists them)`);
    recorder.changed({ topics: ["dead-letters", "functions"], addresses: [] });
    return { dropped: n };
  }

  private deadLetterJson(letter: DeadLetter): DeadLetterJson {
    return {
      n: letter.n,
      address: addressJson(letter.target),
      caller: letter.caller ? addressJson(letter.caller) : null,
      argument: decodeValue(letter.argument.typename, letter.argument.value, this.context),
      reason: letter.reason,
      attempts: letter.attempts,
      failedAt: letter.failedAt,
      enqueuedAt: letter.enqueuedAt,
    };
  }

  send(body: unknown): SendResponse {
    const request = body as Partial<SendRequest>;
    for (const field of ["functionType", "id", "typename", "value"] as const) {
      if (typeof request[field] !== "string") {
        throw new ApiError(
          400,
          `the body needs "${field}" as a string (body: { functionType, id, typename, value })`,
        );
      }
    }
    const { functionType = "", id = "", typename = "", value = "" } = request;
    const [namespace, type] = splitType(functionType);
    if (namespace === undefined || type === undefined || id === "") {
      throw new ApiError(
        400,
        `"${functionType}" is not a function type <namespace>/<type>, or the id is empty`,
      );
    }
    if (!findEndpoint(this.context.module, namespace, type)) {
      throw new ApiError(
        404,
        `unknown function type ${functionType}: no endpoint in module.yaml serves it`,
      );
    }
    // The ingress's rules: plain text for built-in types, JSON checked for registry types.
    const typed = ingressValue(
      typename === "io.statefun.types/string" ? "text/plain" : `application/vnd.${typename}`,
      new TextEncoder().encode(value),
      this.context.validators,
    );
    const target = { namespace, type, id };
    const seq = this.context.core.enqueue(target, {
      typename: typed.typename,
      hasValue: true,
      value: typed.value,
    });
    this.context.recorder.changed({
      topics: ["functions", "addresses"],
      addresses: [`${functionType}/${id}`],
    });
    return {
      accepted: true,
      target: `${functionType}/${id}`,
      typename: typed.typename,
      bytes: typed.value.length,
      seq,
    };
  }

  private async jsonBody(request: IncomingMessage): Promise<unknown> {
    const type = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
    if (type !== "application/json") {
      throw new ApiError(
        415,
        `send the body as Content-Type: application/json, not ${JSON.stringify(type ?? "")}`,
      );
    }
    const body = await readBody(request, MAX_SEND_BODY);
    if (body === undefined)
      throw new ApiError(413, `the body is larger than ${MAX_SEND_BODY} bytes`);
    try {
      return JSON.parse(new TextDecoder().decode(body));
    } catch (error) {
      throw new ApiError(400, `the body is not JSON: ${describeError(error)}`);
    }
  }
}

function splitType(functionType: string): [string, string] | [undefined, undefined] {
  const parts = functionType.split("/");
  if (parts.length !== 2 || parts[0] === "" || parts[1] === "") return [undefined, undefined];
  return [parts[0] as string, parts[1] as string];
}
