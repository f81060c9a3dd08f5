// The JSON shapes of the inspector's HTTP API: written by @statefun-ts/runtime, read by the page.
// Types only; both sides compile against this one file.

/** Any JSON value. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

/** A function address. */
export interface AddressJson {
  readonly namespace: string;
  readonly type: string;
  readonly id: string;
}

/** One schema violation: where (a JSON pointer into the value) and what. */
export interface ViolationJson {
  readonly pointer: string;
  readonly message: string;
}

/**
 * A typed value decoded for display: built-in types as their value, registry JSON types parsed
 * and checked against their schema, protobuf and unknown types as hex (with a JSON preview when
 * the bytes happen to be UTF-8 JSON).
 */
export interface DecodedValue {
  /** The typename; `""` when it is not known (a state not registered since the last start). */
  readonly typename: string;
  readonly kind: "builtin" | "json" | "protobuf" | "unknown";
  /** Size of the value in bytes. */
  readonly bytes: number;
  /** Built-in: the value (int64 as a decimal string, NaN/Infinity as strings); json: parsed. */
  readonly value?: JsonValue;
  /** Pretty-printed JSON (registry types, and unknown types whose bytes are UTF-8 JSON). */
  readonly text?: string;
  /** Lower-case hex of the bytes (protobuf and unknown types), at most 4 KiB of them. */
  readonly hex?: string;
  /** Whether `hex` or `text` was cut short. */
  readonly truncated?: boolean;
  /** Registry types: `valid` or `invalid` against the schema; `none` when no schema is known. */
  readonly schema?: "valid" | "invalid" | "none";
  readonly violations?: readonly ViolationJson[];
  /** Bytes that do not decode as their type. */
  readonly error?: string;
}

/** A function endpoint of module.yaml. */
export interface EndpointJson {
  /** `namespace/name` or `namespace/*`. */
  readonly pattern: string;
  readonly urlPathTemplate: string;
  readonly maxNumBatchRequests: number;
  readonly callTimeoutMs: number;
  /** Where it was declared: `module.yaml, document 1`. */
  readonly source: string;
}

/** The health of a function type: its last call. */
export interface HealthJson {
  /** `unknown`: not called since the runtime started. */
  readonly status: "ok" | "failed" | "unknown";
  /** Time of the last call's end (ms since the epoch). */
  readonly at: number | null;
  /** The reason of the last failure, if the last call failed. */
  readonly reason: string | null;
  /** Failed calls since the last successful one. */
  readonly consecutiveFailures: number;
}

/** One function type: seen in module.yaml, the queues, the state or the calls. */
export interface FunctionJson {
  /** `namespace/type`. */
  readonly functionType: string;
  /** The endpoint pattern that serves it; `null` when no endpoint does. */
  readonly pattern: string | null;
  /** The URL calls go to; `null` when no endpoint serves it. */
  readonly url: string | null;
  readonly health: HealthJson;
  /** Calls (ok or failed) per second over the last `windowSeconds`. */
  readonly callsPerSecond: number;
  /** Calls since the runtime started. */
  readonly calls: number;
  /** Batches sent and not answered yet. */
  readonly inFlight: number;
  /** Messages waiting in its addresses' queues. */
  readonly queued: number;
  /** Addresses with state or queued messages. */
  readonly addresses: number;
  /** Latency of the last call in ms. */
  readonly lastLatencyMs: number | null;
}

/** `GET /api/functions`. */
export interface FunctionsResponse {
  readonly endpoints: readonly EndpointJson[];
  readonly functions: readonly FunctionJson[];
  readonly windowSeconds: number;
}

/** One address in a listing. */
export interface AddressSummaryJson {
  readonly address: AddressJson;
  /** Stored state values. */
  readonly states: number;
  readonly queued: number;
}

/** `GET /api/addresses?q=&type=&id=&limit=`. */
export interface AddressesResponse {
  readonly addresses: readonly AddressSummaryJson[];
  /** How many addresses match (the listing holds at most `limit`). */
  readonly total: number;
  readonly limit: number;
}

/** One state value of an address. */
export interface StateJson {
  readonly name: string;
  /** Whether the function registered the state since the runtime started (its typename is known). */
  readonly registered: boolean;
  readonly expiry: {
    readonly mode: "none" | "after-write" | "after-invoke";
    readonly ttlMs: number;
  } | null;
  /** When the value expires (ms since the epoch); `null`: never. */
  readonly expiresAt: number | null;
  /** `null` when the state has no value. */
  readonly value: DecodedValue | null;
}

/** A message waiting in an address's queue. */
export interface QueuedJson {
  readonly seq: number;
  readonly caller: AddressJson | null;
  readonly argument: DecodedValue;
  readonly enqueuedAt: number;
}

/** A delayed message: pending, or cancelled by its sender. */
export interface DelayedJson {
  readonly seq: number;
  readonly dueAt: number;
  readonly sender: AddressJson;
  readonly target: AddressJson;
  readonly token: string | null;
  readonly argument: DecodedValue;
  readonly status: "pending" | "cancelled";
  /** When it was cancelled (ms since the epoch). */
  readonly cancelledAt: number | null;
}

/** An egress record, as the egress API lists it, plus its decoded value. */
export interface EgressRecordJson {
  readonly topic: string;
  readonly offset: number;
  readonly key: string | null;
  /** UTF-8 text or base64, as `valueEncoding` says (the egress API's form). */
  readonly value: string;
  readonly valueEncoding: "utf8" | "base64";
  readonly typename: string;
  readonly kind: string;
  readonly egress: string;
  readonly timestamp: number;
  readonly decoded: DecodedValue;
}

/** A state mutation of an applied reply. */
export interface MutationJson {
  readonly name: string;
  readonly kind: "set" | "delete";
  readonly value: DecodedValue | null;
}

/** One invocation (a batch sent to an address) and its outcome. */
export interface InvocationJson {
  /** Increasing number of the invocation since the runtime started. */
  readonly seq: number;
  /** When the batch was sent (ms since the epoch). */
  readonly at: number;
  readonly address: AddressJson;
  readonly batchSize: number;
  readonly latencyMs: number;
  /** The batch's messages (at most the first 10; `omitted` counts what lists left out). */
  readonly messages: ReadonlyArray<{
    readonly caller: AddressJson | null;
    readonly argument: DecodedValue;
  }>;
  readonly outcome: "ok" | "failed";
  /** Why it failed (outcome `failed`): the batch stays queued and is retried. */
  readonly error: string | null;
  readonly mutations: readonly MutationJson[];
  readonly sends: ReadonlyArray<{ readonly target: AddressJson; readonly argument: DecodedValue }>;
  readonly delayed: ReadonlyArray<{
    readonly target: AddressJson;
    readonly dueAt: number;
    readonly token: string | null;
    readonly argument: DecodedValue;
  }>;
  /** Cancellations by token; `cancelled` is false when nothing with the token was pending. */
  readonly cancellations: ReadonlyArray<{ readonly token: string; readonly cancelled: boolean }>;
  readonly egress: readonly EgressRecordJson[];
  /** Items left out of the lists above (each list keeps its first 10). */
  readonly omitted: number;
}

/** `GET /api/addresses/<namespace>/<type>/<id>`. */
export interface AddressResponse {
  readonly address: AddressJson;
  /** Whether an endpoint of module.yaml serves its function type. */
  readonly served: boolean;
  readonly states: readonly StateJson[];
  /** Set when the function type has not registered its states since the runtime started. */
  readonly statesNote: string | null;
  readonly queued: readonly QueuedJson[];
  /** Pending delayed messages to or from the address. */
  readonly delayed: readonly DelayedJson[];
  /** Its recent invocations still in the ring buffer, newest first. */
  readonly invocations: readonly InvocationJson[];
}

/** `GET /api/invocations?type=&id=&limit=`. */
export interface InvocationsResponse {
  /** The ring buffer's size: the runtime keeps the last `bound` invocations. */
  readonly bound: number;
  /** Invocations since the runtime started. */
  readonly total: number;
  /** Newest first. */
  readonly entries: readonly InvocationJson[];
}

/** `GET /api/delayed`. */
export interface DelayedResponse {
  /** Pending, earliest due first. */
  readonly pending: readonly DelayedJson[];
  /** Recently cancelled, newest first (the last `cancelledBound`). */
  readonly cancelled: readonly DelayedJson[];
  readonly cancelledBound: number;
  readonly now: number;
}

/** One egress topic. */
export interface TopicJson {
  readonly topic: string;
  readonly kind: string;
  readonly records: number;
  /** Records not consumed through the egress API's `GET /<topic>` yet. */
  readonly unread: number;
}

/** `GET /api/egress`. */
export interface TopicsResponse {
  readonly topics: readonly TopicJson[];
}

/** `GET /api/egress/<topic>?limit=`. */
export interface TopicResponse {
  readonly topic: string;
  readonly total: number;
  /** The latest records, newest first (at most `limit`). */
  readonly records: readonly EgressRecordJson[];
  readonly limit: number;
}

/** A type the runtime knows: a built-in or a registry type with its JSON Schema. */
export interface TypeJson {
  readonly typename: string;
  readonly kind: "builtin" | "registry";
  /** Registry types: the JSON Schema (with `$id`; `$ref`s point at other schemas' `$id`s). */
  readonly schema: { readonly [key: string]: JsonValue } | null;
}

/** `GET /api/types`. */
export interface TypesResponse {
  readonly types: readonly TypeJson[];
}

/** `POST /api/send`: one message to a function, as the ingress would take it. */
export interface SendRequest {
  /** `namespace/type`. */
  readonly functionType: string;
  readonly id: string;
  /** The value's typename, e.g. `io.statefun.types/string` or `com.example/GreetRequest`. */
  readonly typename: string;
  /** The value as text: plain text for built-in types, JSON for registry types. */
  readonly value: string;
}

/** The answer to `POST /api/send` (202). */
export interface SendResponse {
  readonly accepted: true;
  readonly target: string;
  readonly typename: string;
  readonly bytes: number;
  readonly seq: number;
}

/** A message the runtime gave up on (the runtime's dead-letter form, plus decoded fields). */
export interface DeadLetterJson {
  /** Its number: replay with `POST /api/dead-letters/<n>/replay`, drop with `DELETE`. */
  readonly n: number;
  readonly address: AddressJson;
  readonly caller: AddressJson | null;
  readonly argument: DecodedValue;
  /** Why it can never succeed (status and body of the last reply, or the rejected reply). */
  readonly reason: string;
  /** Calls that carried it before it was set aside. */
  readonly attempts: number;
  /** When it was set aside and first enqueued (ms since the epoch). */
  readonly failedAt: number;
  readonly enqueuedAt: number;
}

/** `GET /api/dead-letters?from=0&limit=100`. */
export interface DeadLettersResponse {
  /** Oldest first. */
  readonly deadLetters: readonly DeadLetterJson[];
  /** How many there are. */
  readonly total: number;
  /** The `from` of the next page. */
  readonly next: number;
}

/** `GET /api/overview`. */
export interface OverviewResponse {
  readonly ingressUrl: string;
  readonly egressUrl: string;
  readonly stateFile: string;
  readonly startedAt: number;
  readonly now: number;
  /** The sizes of the runtime's ring buffers. */
  readonly bounds: { readonly invocations: number; readonly cancelled: number };
  readonly queued: number;
  readonly delayed: number;
  /** Dead letters waiting to be replayed or dropped. */
  readonly deadLetters: number;
}

/** An error answer: `{ error }` with a 4xx or 5xx status. */
export interface ErrorResponse {
  readonly error: string;
}

/** The data of the `changed` server-sent event: what to read again. */
export interface ChangedEvent {
  readonly topics: ReadonlyArray<"functions" | "addresses" | "delayed" | "egress" | "dead-letters">;
  /** The addresses whose state or queue changed, as `namespace/type/id`. */
  readonly addresses: readonly string[];
}
