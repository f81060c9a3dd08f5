// The shapes the durable store keeps and hands out: addresses, typed values, queued messages,
// state changes, delayed operations, egress records, dead letters and the effects of one reply.

/** A function address as the store keeps it. */
export interface AddressKey {
  /** The function type's namespace, e.g. `com.example.fns`. */
  readonly namespace: string;
  /** The function type's name, e.g. `greeter`. */
  readonly type: string;
  /** The instance id. */
  readonly id: string;
}

/** A typed value as it travels between functions: typename plus bytes. */
export interface StoredValue {
  /** The value's typename. */
  readonly typename: string;
  /** False for an absent value. */
  readonly hasValue: boolean;
  /** The serialized bytes. */
  readonly value: Uint8Array;
}

/** A message waiting in the durable queue of its target address. */
export interface QueuedMessage {
  /** Its position in the queue (FIFO per address). */
  readonly seq: number;
  /** The function instance it is for. */
  readonly target: AddressKey;
  /** The function that sent it (`undefined` for ingress messages). */
  readonly caller: AddressKey | undefined;
  /** The message value. */
  readonly argument: StoredValue;
}

/** How a registered state expires, in the store's terms. */
export interface StateExpiry {
  readonly mode: "none" | "after-write" | "after-invoke";
  readonly ttlMs: number;
}

/** A state change of an applied reply. */
export type StateChange =
  | { readonly kind: "set"; readonly name: string; readonly value: Uint8Array }
  | { readonly kind: "delete"; readonly name: string };

/** A delayed message to schedule, or a cancellation; both scoped to the sender. */
export type DelayedOp = DelayedAdd | { readonly kind: "cancel"; readonly token: string };

/** A delayed message to schedule. */
export interface DelayedAdd {
  readonly kind: "add";
  readonly dueAt: number;
  readonly token: string | undefined;
  /** The function instance it was for. */
  readonly target: AddressKey;
  /** The message value. */
  readonly argument: StoredValue;
}

/** An egress record in the shape the egress server serves. */
export interface EgressRecord {
  /** The topic (Kafka topic, Kinesis stream, or the egress id for generic egresses). */
  readonly topic: string;
  /** Which egress kind wrote it. */
  readonly kind: "kafka" | "kinesis" | "generic";
  /** The egress id, e.g. `com.example/greets`. */
  readonly egressId: string;
  /** The record key (Kafka key, Kinesis partition key), `null` when none. */
  readonly key: string | null;
  /** The record value bytes. */
  readonly value: Uint8Array;
  /** The value's typename. */
  readonly typename: string;
}

/** An egress record once stored, with its offset in the topic. */
export interface StoredEgressRecord extends EgressRecord {
  /** Its offset in the topic (from 0, per topic). */
  readonly offset: number;
  /** When it was written, ms since the epoch. */
  readonly timestamp: number;
}

/** A topic of the egress with its record count and the records not consumed yet. */
export interface TopicSummary {
  /** The topic name. */
  readonly topic: string;
  /** `kafka`, `kinesis` or `generic`. */
  readonly kind: string;
  /** How many records the topic holds. */
  readonly records: number;
  /** How many were not consumed by `GET /<topic>` yet. */
  readonly unread: number;
}

/** A message that could never be delivered, kept with why. */
export interface DeadLetter {
  /** Its number in the dead-letter list (stable; used to replay or drop it). */
  readonly n: number;
  /** The function instance it was for. */
  readonly target: AddressKey;
  /** The function that sent it (`undefined` for ingress messages). */
  readonly caller: AddressKey | undefined;
  /** The message value. */
  readonly argument: StoredValue;
  /** Why it can never succeed (status and body of the last reply, or the rejected reply). */
  readonly reason: string;
  /** How many calls carried it before it was set aside. */
  readonly attempts: number;
  /** When it was set aside, ms since the epoch. */
  readonly failedAt: number;
  /** When it was first enqueued, ms since the epoch. */
  readonly enqueuedAt: number;
}

/** Everything one accepted reply does, applied in ONE transaction. */
export interface ReplyEffects {
  readonly self: AddressKey;
  /** The queue entries the reply answers; they are removed. */
  readonly consumedSeqs: readonly number[];
  readonly stateChanges: readonly StateChange[];
  /** Every registered state of the function type with its expiry (for TTL bookkeeping). */
  readonly registered: ReadonlyMap<string, StateExpiry>;
  readonly outgoing: ReadonlyArray<{ readonly target: AddressKey; readonly argument: StoredValue }>;
  /** Delayed messages and cancellations, in the order the function produced them. */
  readonly delayed: readonly DelayedOp[];
  readonly egress: readonly EgressRecord[];
  readonly now: number;
}

/** Thrown inside the apply transaction to roll it back; turned into a ReplyRejectedError. */
export class DuplicateTokenError extends Error {
  override name = "DuplicateTokenError";
}
