// module.yaml: parses StateFun 3.x endpoint and egress documents into the runtime's config.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { parseFlinkDuration } from "./duration.js";
import { type EndpointTls, isSupportedProtocol, parseEndpointTls } from "./endpoint-connection.js";
import { describeError, ModuleYamlError } from "./errors.js";

/** One remote HTTP endpoint of a module.yaml (`io.statefun.endpoints.v2/http` or v1). */
export interface FunctionEndpoint {
  /** The namespace of the function types this endpoint serves. */
  readonly namespace: string;
  /** The served function name, or `undefined` for `<namespace>/*`. */
  readonly name: string | undefined;
  /** The URL; `{function.name}` is replaced by the function type's name. */
  readonly urlPathTemplate: string;
  /** The largest batch per request (<= 0: no limit). */
  readonly maxNumBatchRequests: number;
  /**
   * The byte budget of one request's batch (`spec.maxBatchBytes`, a local-runtime extension);
   * `undefined`: the runtime's default (16 MiB).
   */
  readonly maxBatchBytes?: number;
  /** Total time budget for one call including retries, in ms. */
  readonly callTimeoutMs: number;
  /** Connect timeout of one attempt, in ms. */
  readonly connectTimeoutMs: number;
  /** TLS material from `spec.transport` (trust_cacerts, client_cert, client_key), if any. */
  readonly tls?: EndpointTls | undefined;
  /** Where it was declared, for messages: `module.yaml, document 2`. */
  readonly source: string;
}

/** An egress declared in module.yaml (Kafka or Kinesis). */
export interface EgressDeclaration {
  /** The egress id `<namespace>/<name>`. */
  readonly id: string;
  /** `kafka` or `kinesis`. */
  readonly kind: "kafka" | "kinesis";
}

/** What the local runtime takes from a module.yaml. */
export interface ModuleConfig {
  /** The HTTP endpoints, in file order (an exact function type wins over `<namespace>/*`). */
  readonly endpoints: readonly FunctionEndpoint[];
  /** The declared Kafka/Kinesis egresses. */
  readonly egresses: readonly EgressDeclaration[];
  /** Components accepted but not used locally (ingresses), one line each. */
  readonly notes: readonly string[];
}

const ENDPOINT_V2 = "io.statefun.endpoints.v2/http";
const ENDPOINT_V1 = "io.statefun.endpoints.v1/http";
const ASYNC = "io.statefun.transports.v1/async";
const OKHTTP = "io.statefun.transports.v1/okhttp";
const DEFAULT_MAX_BATCH = 1000;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads and parses a module.yaml file. */
export function loadModuleYaml(path: string): ModuleConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ModuleYamlError(
      `cannot read module file ${path}: ${describeError(error)}; pass the path of your module.yaml with --module`,
    );
  }
  return parseModuleYaml(text, path);
}

/** Parses the text of a StateFun 3.x module.yaml (multi-document `kind`/`spec`, or legacy 3.0). */
export function parseModuleYaml(text: string, fileName = "module.yaml"): ModuleConfig {
  const documents = parseAllDocuments(text);
  const list = Array.isArray(documents) ? documents : [documents];
  const endpoints: FunctionEndpoint[] = [];
  const egresses: EgressDeclaration[] = [];
  const notes: string[] = [];
  let index = 0;
  for (const document of list) {
    index += 1;
    const where = `${fileName}, document ${index}`;
    const firstError = document.errors[0];
    if (firstError) throw new ModuleYamlError(`${where}: invalid YAML: ${firstError.message}`);
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    if (!isObject(value)) {
      throw new ModuleYamlError(
        `${where}: expected a mapping with "kind" and "spec", got ${JSON.stringify(value)}`,
      );
    }
    if ("version" in value) {
      parseLegacy(value, where, endpoints);
      continue;
    }
    const kind = value.kind;
    if (typeof kind !== "string" || kind.split("/").length !== 2) {
      throw new ModuleYamlError(
        `${where}: field "kind" must be a typename such as "${ENDPOINT_V2}", got ${JSON.stringify(kind)}`,
      );
    }
    const spec = value.spec;
    if (!isObject(spec)) {
      throw new ModuleYamlError(`${where} (kind ${kind}): field "spec" must be a mapping`);
    }
    if (kind === ENDPOINT_V2 || kind === ENDPOINT_V1) {
      endpoints.push(parseEndpoint(spec, kind, `${where} (kind ${kind})`));
    } else if (kind.endsWith("/egress") && (kind.includes("kafka") || kind.includes("kinesis"))) {
      const id = spec.id;
      if (typeof id !== "string" || id.split("/").length !== 2) {
        throw new ModuleYamlError(
          `${where} (kind ${kind}): field "spec.id" must be an egress id "<namespace>/<name>", got ${JSON.stringify(id)}`,
        );
      }
      egresses.push({ id, kind: kind.includes("kafka") ? "kafka" : "kinesis" });
      notes.push(`${where}: ${kind} ${id} is served locally by the egress server`);
    } else {
      notes.push(`${where}: kind ${kind} is ignored by the local runtime (use its HTTP ingress)`);
    }
  }
  checkDuplicates(endpoints);
  return { endpoints, egresses, notes };
}

function parseLegacy(value: Json, where: string, endpoints: FunctionEndpoint[]): void {
  if (String(value.version) !== "3.0") {
    throw new ModuleYamlError(
      `${where}: field "version" is ${JSON.stringify(value.version)}; only the 3.0 legacy format or the kind/spec format is supported`,
    );
  }
  const module = value.module;
  const spec = isObject(module) ? module.spec : undefined;
  const list = isObject(spec) ? spec.endpoints : undefined;
  if (!Array.isArray(list)) {
    throw new ModuleYamlError(`${where}: field "module.spec.endpoints" must be a list`);
  }
  list.forEach((item: unknown, i) => {
    const endpoint = isObject(item) ? item.endpoint : undefined;
    const endpointSpec = isObject(endpoint) ? endpoint.spec : undefined;
    if (!isObject(endpointSpec)) {
      throw new ModuleYamlError(
        `${where}: field "module.spec.endpoints[${i}].endpoint.spec" must be a mapping`,
      );
    }
    endpoints.push(parseEndpoint(endpointSpec, ENDPOINT_V1, `${where}, endpoints[${i}]`));
  });
}

function parseEndpoint(spec: Json, kind: string, where: string): FunctionEndpoint {
  const functions = spec.functions;
  const parts = typeof functions === "string" ? functions.split("/") : [];
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    throw new ModuleYamlError(
      `${where}: field "spec.functions" must be "<namespace>/<name>" or "<namespace>/*", got ${JSON.stringify(functions)}`,
    );
  }
  const template = spec.urlPathTemplate;
  if (typeof template !== "string" || template.trim() === "") {
    throw new ModuleYamlError(
      `${where}: field "spec.urlPathTemplate" is required, e.g. "http://localhost:8000/statefun" or "http://localhost:8000/{function.name}"`,
    );
  }
  let url: URL;
  try {
    url = new URL(template.replaceAll("{function.name}", "name"));
  } catch {
    throw new ModuleYamlError(
      `${where}: field "spec.urlPathTemplate" ${JSON.stringify(template)} is not an absolute URL`,
    );
  }
  if (!isSupportedProtocol(url.protocol)) {
    throw new ModuleYamlError(
      `${where}: field "spec.urlPathTemplate" uses ${url.protocol}; the local runtime supports http:, https:, http+unix: and https+unix:`,
    );
  }
  const batch = spec.maxNumBatchRequests ?? DEFAULT_MAX_BATCH;
  if (typeof batch !== "number" || !Number.isSafeInteger(batch)) {
    throw new ModuleYamlError(
      `${where}: field "spec.maxNumBatchRequests" must be an integer, got ${JSON.stringify(batch)}`,
    );
  }
  const timeouts = parseTimeouts(spec, kind, where);
  const maxBatchBytes =
    spec.maxBatchBytes === undefined ? undefined : parseByteSize(spec.maxBatchBytes, where);
  return {
    namespace: parts[0],
    name: parts[1] === "*" ? undefined : parts[1],
    urlPathTemplate: template,
    maxNumBatchRequests: batch,
    ...(maxBatchBytes !== undefined ? { maxBatchBytes } : {}),
    ...timeouts,
    tls: parseEndpointTls(transportOf(spec, kind), url.protocol, where),
    source: where,
  };
}

/** The transport type and block of an endpoint (v1 endpoints always use OkHttp). */
function transportOf(spec: Json, kind: string): { type: unknown; block: Json } {
  if (kind === ENDPOINT_V1) return { type: OKHTTP, block: {} };
  const block = isObject(spec.transport) ? spec.transport : {};
  return { type: block.type ?? ASYNC, block };
}

const BYTE_UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  kb: 1000,
  kib: 1024,
  mb: 1000 ** 2,
  mib: 1024 ** 2,
  gb: 1000 ** 3,
  gib: 1024 ** 3,
};

/** A byte size: an integer, or a number with a unit (`512KiB`, `16 MiB`, `1mb`). */
export function parseByteSize(value: unknown, where: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(String(value));
  const unit = BYTE_UNITS[(match?.[2] ?? "").toLowerCase()];
  const bytes = match && unit !== undefined ? Math.floor(Number(match[1]) * unit) : Number.NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    throw new ModuleYamlError(
      `${where}: field "spec.maxBatchBytes" must be a size in bytes, e.g. 16777216 or "16MiB", got ${JSON.stringify(value)}`,
    );
  }
  return bytes;
}

function parseTimeouts(
  spec: Json,
  kind: string,
  where: string,
): { callTimeoutMs: number; connectTimeoutMs: number } {
  let block: Json | undefined;
  let field: string;
  let call = 120_000;
  let connect = 20_000;
  if (kind === ENDPOINT_V1) {
    field = "spec.timeouts";
    block = isObject(spec.timeouts) ? spec.timeouts : {};
    call = 60_000;
    connect = 10_000;
  } else {
    const transport = spec.transport ?? {};
    if (!isObject(transport)) {
      throw new ModuleYamlError(`${where}: field "spec.transport" must be a mapping`);
    }
    const type = transport.type ?? ASYNC;
    if (type !== ASYNC && type !== OKHTTP) {
      throw new ModuleYamlError(
        `${where}: field "spec.transport.type" is ${JSON.stringify(type)}; use ${ASYNC} or ${OKHTTP}`,
      );
    }
    // As in StateFun: a legacy `timeouts` block wins and brings its own defaults.
    if (isObject(transport.timeouts) || type === OKHTTP) {
      field = "spec.transport.timeouts";
      block = isObject(transport.timeouts) ? transport.timeouts : {};
      call = 60_000;
      connect = 10_000;
    } else {
      field = "spec.transport";
      block = transport;
    }
  }
  const read = (key: string, fallback: number): number => {
    const value = block?.[key];
    if (value === undefined || value === null) return fallback;
    let ms: number;
    try {
      ms = parseFlinkDuration(value);
    } catch (error) {
      throw new ModuleYamlError(`${where}: field "${field}.${key}": ${describeError(error)}`);
    }
    if (ms <= 0) {
      throw new ModuleYamlError(`${where}: field "${field}.${key}" must be larger than 0`);
    }
    return ms;
  };
  return { callTimeoutMs: read("call", call), connectTimeoutMs: read("connect", connect) };
}

function checkDuplicates(endpoints: readonly FunctionEndpoint[]): void {
  const seen = new Map<string, string>();
  for (const endpoint of endpoints) {
    const pattern = `${endpoint.namespace}/${endpoint.name ?? "*"}`;
    const previous = seen.get(pattern);
    if (previous !== undefined) {
      throw new ModuleYamlError(
        `${endpoint.source}: functions "${pattern}" are already served by ${previous}; declare each pattern once`,
      );
    }
    seen.set(pattern, endpoint.source);
  }
}

/** Finds the endpoint serving a function type: an exact `<ns>/<name>` wins over `<ns>/*`. */
export function findEndpoint(
  config: ModuleConfig,
  namespace: string,
  name: string,
): FunctionEndpoint | undefined {
  return (
    config.endpoints.find((e) => e.namespace === namespace && e.name === name) ??
    config.endpoints.find((e) => e.namespace === namespace && e.name === undefined)
  );
}

/** The URL to call for a function name; the name is URL-encoded where it is substituted. */
export function functionUrl(endpoint: FunctionEndpoint, name: string): string {
  return endpoint.urlPathTemplate.replaceAll("{function.name}", encodeURIComponent(name));
}

/** Lists the served patterns, for error messages. */
export function describeEndpoints(config: ModuleConfig): string {
  if (config.endpoints.length === 0) return "none (the module declares no endpoint)";
  return config.endpoints.map((e) => `${e.namespace}/${e.name ?? "*"}`).join(", ");
}
