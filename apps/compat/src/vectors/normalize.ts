import { formatAddress } from "@statefun-ts/sdk";
import {
  fromFunctionCodec,
  KAFKA_PRODUCER_RECORD_TYPENAME,
  kafkaProducerRecordCodec,
  type WireAddressMessage,
  type WireTypedValueMessage,
} from "@statefun-ts/sdk/wire";

/**
 * A FromFunction reduced to what the contract says must be equal between SDKs (README.md):
 * mutations and missing specs keyed by state name (their order is not specified: Go iterates a
 * map), messages, delays and egress in order, TypedValues as hex (JSON values as parsed JSON),
 * Kafka records decoded, an absent ExpirationSpec the same as mode NONE.
 */
export type NormalizedReply =
  | { readonly error: true }
  | { readonly incomplete: Record<string, { typename: string; mode: number; ttl: string }> }
  | {
      readonly mutations: Record<string, { type: string; value?: NormalizedValue }>;
      readonly messages: Array<{ target: string; value?: NormalizedValue }>;
      readonly delayed: Array<{
        cancel: boolean;
        token: string;
        delayMs: string;
        target?: string;
        value?: NormalizedValue;
      }>;
      readonly egress: Array<{ egress: string; value?: NormalizedValue }>;
    };

export type NormalizedValue =
  | { typename: string; hasValue: boolean; hex: string }
  | { typename: string; hasValue: boolean; json: unknown }
  | { typename: string; kafka: { topic: string; key: string; value: unknown } };

const hex = (b: Uint8Array | null | undefined): string => Buffer.from(b ?? []).toString("hex");

/** Typenames whose bytes are JSON text (compared parsed, since Go appends a newline). */
const JSON_TYPENAMES = new Set(["compat/Sample"]);
/** Kafka topics (the relay writes one per kind) whose record values are JSON text. */
const JSON_TOPICS = new Set(["sample"]);
/** Dump records (topic "dump") whose key names a JSON state. */
const JSON_DUMP_KEY = /:v_sample$/;

function value(tv: WireTypedValueMessage | null | undefined): NormalizedValue | undefined {
  if (tv == null) return undefined;
  const typename = tv.typename ?? "";
  if (typename === KAFKA_PRODUCER_RECORD_TYPENAME) {
    const record = kafkaProducerRecordCodec.decode(tv.value ?? new Uint8Array());
    const bytes = record.valueBytes ?? new Uint8Array();
    const isJson =
      JSON_TOPICS.has(record.topic ?? "") ||
      (record.topic === "dump" && JSON_DUMP_KEY.test(record.key ?? ""));
    return {
      typename,
      kafka: {
        topic: record.topic ?? "",
        key: record.key ?? "",
        value: isJson ? JSON.parse(Buffer.from(bytes).toString("utf8")) : hex(bytes),
      },
    };
  }
  if (JSON_TYPENAMES.has(typename)) {
    return {
      typename,
      hasValue: tv.hasValue ?? false,
      json: JSON.parse(Buffer.from(tv.value ?? []).toString("utf8")),
    };
  }
  return { typename, hasValue: tv.hasValue ?? false, hex: hex(tv.value) };
}

const address = (a: WireAddressMessage | null | undefined): string | undefined =>
  a == null
    ? undefined
    : formatAddress({ namespace: a.namespace ?? "", type: a.type ?? "", id: a.id ?? "" });

function sortedRecord<T>(entries: Array<[string, T]>): Record<string, T> {
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Decodes and normalizes a FromFunction reply; `undefined` bytes mean the SDK failed. */
export function normalizeReply(bytes: Uint8Array | undefined): NormalizedReply {
  if (bytes === undefined) return { error: true };
  const reply = fromFunctionCodec.decode(bytes);
  const incomplete = reply.incompleteInvocationContext;
  if (incomplete != null) {
    return {
      incomplete: sortedRecord(
        (incomplete.missingValues ?? []).map((spec) => [
          spec.stateName ?? "",
          {
            typename: spec.typeTypename ?? "",
            mode: spec.expirationSpec?.mode ?? 0,
            ttl: String(spec.expirationSpec?.expireAfterMillis ?? 0),
          },
        ]),
      ),
    };
  }
  const result = reply.invocationResult ?? {};
  return {
    mutations: sortedRecord(
      (result.stateMutations ?? []).map((m) => {
        const v = value(m.stateValue);
        return [
          m.stateName ?? "",
          { type: m.mutationType === 1 ? "MODIFY" : "DELETE", ...(v ? { value: v } : {}) },
        ];
      }),
    ),
    messages: (result.outgoingMessages ?? []).map((m) => {
      const v = value(m.argument);
      return { target: address(m.target) ?? "", ...(v ? { value: v } : {}) };
    }),
    delayed: (result.delayedInvocations ?? []).map((d) => {
      const v = value(d.argument);
      const target = address(d.target);
      return {
        cancel: d.isCancellationRequest ?? false,
        token: d.cancellationToken ?? "",
        delayMs: String(d.delayInMs ?? 0),
        ...(target !== undefined && target !== "/:" ? { target } : {}),
        ...(v ? { value: v } : {}),
      };
    }),
    egress: (result.outgoingEgresses ?? []).map((e) => {
      const v = value(e.argument);
      return {
        egress: `${e.egressNamespace ?? ""}/${e.egressType ?? ""}`,
        ...(v ? { value: v } : {}),
      };
    }),
  };
}
