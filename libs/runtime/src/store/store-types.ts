// The shapes the durable store keeps and hands out: addresses, typed values, queued messages,
// state changes, delayed operations, egress records, dead letters and the effects of one reply.

/** A function address as the store keeps it. */
export interface AddressKey {
  readonly namespace: string;
  readonly type: string;
  readonly id: string;
}

/** A typed value as it travels between functions: typename plus bytes. */
export interface StoredValue {
  readonly typename: string;
  readonly hasValue: boolean;
  readonly value: Uint8Array;
}

/** A message waiting in the durable queue of its target address. */
export interface QueuedMessage {
  readonly seq: number;
  readonly target: AddressKey;
  readonly caller: AddressKey | undefined;
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
  readonly target: AddressKey;
  readonly argument: StoredValue;
}

/** An egress record in the shape the egress server serves. */
export interface EgressRecord {
  readonly topic: string;
  readonly kind: "kafka" | "kinesis" | "generic";
  readonly egressId: string;
  readonly key: string | null;
  readonly value: Uint8Array;
  readonly typename: string;
}

/** An egress record once stored, with its offset in the topic. */
export interface StoredEgressRecord extends EgressRecord {
  readonly offset: number;
  readonly timestamp: number;
}

/** A topic of the egress with its record count and the records not consumed yet. */
export interface TopicSummary {
  readonly topic: string;
  readonly kind: string;
  readonly records: number;
  readonly unread: number;
}

/** A message that could never be delivered, kept with why. */
export interface DeadLetter {
  /** Its number in the dead-letter list (stable; used to replay or drop it). */
  readonly n: number;
  readonly target: AddressKey;
  readonly caller: AddressKey | undefined;
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
