// Checks a function's InvocationResponse as the StateFun runtime does and turns it into the
// effects the store applies in one transaction.
import { formatAddress } from "@statefun-ts/sdk";
import type {
  AddressKey,
  DelayedOp,
  EgressRecord,
  ReplyEffects,
  StateChange,
} from "./durable-store.js";
import { describeError, ReplyRejectedError } from "./errors.js";
import type { RegisteredState } from "./state-registry.js";
import {
  decodeKafkaRecord,
  decodeKinesisRecord,
  KAFKA_PRODUCER_RECORD_TYPENAME,
  KINESIS_EGRESS_RECORD_TYPENAME,
  MutationType,
  type InvocationResponse as Response,
  toStoredValue as toStored,
  type WireAddress,
  type WireEgressMessage,
} from "./wire-codec.js";

/** What translating a reply needs to know about the runtime. */
export interface ReplyContext {
  readonly self: AddressKey;
  readonly consumedSeqs: readonly number[];
  readonly states: ReadonlyMap<string, RegisteredState>;
  /** Whether a function type is served by an endpoint of the module. */
  readonly isRoutable: (namespace: string, type: string) => boolean;
  /** The declared kind of an egress id, if declared in module.yaml. */
  readonly egressKind: (id: string) => "kafka" | "kinesis" | undefined;
  readonly now: number;
}

/**
 * Checks an InvocationResponse the way the StateFun runtime does and turns it into the effects
 * to apply. Throws {@link ReplyRejectedError} for anything on which the real runtime would fail
 * the job (unregistered state, state of another type, negative delay, unknown target...).
 */
export function replyEffects(response: Response, context: ReplyContext): ReplyEffects {
  const who = `function ${formatAddress(context.self)}`;
  const reject = (what: string): never => {
    throw new ReplyRejectedError(`${who} replied with ${what}`);
  };
  const target = (address: WireAddress | null | undefined, what: string): AddressKey => {
    const namespace = address?.namespace ?? "";
    const type = address?.type ?? "";
    if (namespace === "" || type === "") reject(`${what} without a target function type`);
    if (!context.isRoutable(namespace, type)) {
      reject(
        `${what} to ${namespace}/${type}, which no endpoint in module.yaml serves; add an io.statefun.endpoints.v2/http endpoint for it`,
      );
    }
    return { namespace, type, id: address?.id ?? "" };
  };

  const stateChanges: StateChange[] = [];
  for (const mutation of response.stateMutations ?? []) {
    const name = mutation.stateName ?? "";
    const registered = context.states.get(name);
    if (!registered) {
      reject(
        `a mutation of state "${name}", which is not registered: accessing a non-existing function state; declare it in the function's spec`,
      );
    }
    if (mutation.mutationType === MutationType.DELETE) {
      stateChanges.push({ kind: "delete", name });
    } else if (mutation.mutationType === MutationType.MODIFY) {
      const typename = mutation.stateValue?.typename ?? "";
      if (typename !== registered?.typename) {
        reject(
          `a MODIFY of state "${name}" with type ${typename || "(none)"}, but the state is registered with type ${registered?.typename}`,
        );
      }
      stateChanges.push({
        kind: "set",
        name,
        value: mutation.stateValue?.value ?? new Uint8Array(0),
      });
    } else {
      reject(`an unrecognized mutation type ${String(mutation.mutationType)} for state "${name}"`);
    }
  }

  const outgoing = (response.outgoingMessages ?? []).map((message, i) => ({
    target: target(message.target, `outgoing message #${i + 1}`),
    argument: toStored(message.argument),
  }));

  const delayed: DelayedOp[] = [];
  (response.delayedInvocations ?? []).forEach((invocation, i) => {
    const token = invocation.cancellationToken ?? "";
    if (invocation.isCancellationRequest) {
      if (token === "") reject(`cancellation request #${i + 1} without a cancellation token`);
      delayed.push({ kind: "cancel", token });
      return;
    }
    const delay = Number(invocation.delayInMs ?? 0);
    if (!Number.isFinite(delay) || delay < 0) {
      reject(`delayed message #${i + 1} with a negative delay of ${delay} ms; delays must be >= 0`);
    }
    delayed.push({
      kind: "add",
      dueAt: context.now + delay,
      token: token === "" ? undefined : token,
      target: target(invocation.target, `delayed message #${i + 1}`),
      argument: toStored(invocation.argument),
    });
  });

  const egress = (response.outgoingEgresses ?? []).map((message, i) =>
    egressRecord(message, i, context, reject),
  );

  return {
    self: context.self,
    consumedSeqs: context.consumedSeqs,
    stateChanges,
    registered: new Map([...context.states].map(([name, state]) => [name, state.expiry])),
    outgoing,
    delayed,
    egress,
    now: context.now,
  };
}

function egressRecord(
  message: WireEgressMessage,
  index: number,
  context: ReplyContext,
  reject: (what: string) => never,
): EgressRecord {
  const egressId = `${message.egressNamespace ?? ""}/${message.egressType ?? ""}`;
  if (!message.egressNamespace || !message.egressType) {
    reject(`egress message #${index + 1} without an egress namespace and type`);
  }
  const argument = toStored(message.argument);
  const declared = context.egressKind(egressId);
  if (declared === "kafka" && argument.typename !== KAFKA_PRODUCER_RECORD_TYPENAME) {
    reject(
      `egress message #${index + 1} of type ${argument.typename} to Kafka egress ${egressId}; the Kafka egress accepts only ${KAFKA_PRODUCER_RECORD_TYPENAME} (use KafkaEgressBuilder)`,
    );
  }
  if (declared === "kinesis" && argument.typename !== KINESIS_EGRESS_RECORD_TYPENAME) {
    reject(
      `egress message #${index + 1} of type ${argument.typename} to Kinesis egress ${egressId}; the Kinesis egress accepts only ${KINESIS_EGRESS_RECORD_TYPENAME} (use KinesisEgressBuilder)`,
    );
  }
  try {
    if (argument.typename === KAFKA_PRODUCER_RECORD_TYPENAME) {
      const record = decodeKafkaRecord(argument.value);
      if (!record.topic) reject(`Kafka egress record #${index + 1} without a topic`);
      return {
        topic: record.topic,
        kind: "kafka",
        egressId,
        key: record.key === "" ? null : record.key,
        value: record.value,
        typename: argument.typename,
      };
    }
    if (argument.typename === KINESIS_EGRESS_RECORD_TYPENAME) {
      const record = decodeKinesisRecord(argument.value);
      if (!record.stream) reject(`Kinesis egress record #${index + 1} without a stream`);
      return {
        topic: record.stream,
        kind: "kinesis",
        egressId,
        key: record.partitionKey === "" ? null : record.partitionKey,
        value: record.value,
        typename: argument.typename,
      };
    }
  } catch (error) {
    if (error instanceof ReplyRejectedError) throw error;
    reject(
      `egress record #${index + 1} of type ${argument.typename} that cannot be decoded: ${describeError(error)}`,
    );
  }
  return {
    topic: egressId,
    kind: "generic",
    egressId,
    key: null,
    value: argument.value,
    typename: argument.typename,
  };
}
