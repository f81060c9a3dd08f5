// replyEffects on its own: every reply the StateFun runtime would fail on is rejected with a
// message naming the function, the item (1-based) and what is wrong; accepted replies become
// exactly the effects the store applies. Found missing by the mutation run (reply-effects.ts).
import { describe, expect, it } from "vitest";
import { ReplyRejectedError } from "../src/errors.js";
import { type ReplyContext, replyEffects } from "../src/reply-effects.js";
import {
  KAFKA_PRODUCER_RECORD_TYPENAME,
  KINESIS_EGRESS_RECORD_TYPENAME,
  MutationType,
} from "../src/wire-codec.js";

const INT = "io.statefun.types/int";
const self = { namespace: "ns", type: "fn", id: "7" };
const context: ReplyContext = {
  self,
  consumedSeqs: [3, 4],
  states: new Map([["n", { typename: INT, expiry: { mode: "after-write", ttlMs: 1000 } }]]),
  isRoutable: (namespace) => namespace === "ns",
  egressKind: (id) => (id === "io/kafka" ? "kafka" : id === "io/kinesis" ? "kinesis" : undefined),
  now: 1_000,
};
const value = (typename = "io.statefun.types/string") => ({
  typename,
  hasValue: true,
  value: new Uint8Array([1, 2]),
});
const to = { namespace: "ns", type: "other", id: "x" };

type Response = Parameters<typeof replyEffects>[0];

describe("replyEffects", () => {
  it.each<[string, Response, string]>([
    [
      "a mutation of an unregistered state",
      { stateMutations: [{ mutationType: MutationType.DELETE, stateName: "zz" }] },
      'a mutation of state "zz", which is not registered',
    ],
    [
      "a MODIFY with another type",
      {
        stateMutations: [
          { mutationType: MutationType.MODIFY, stateName: "n", stateValue: value("x/y") },
        ],
      },
      'a MODIFY of state "n" with type x/y, but the state is registered with type io.statefun.types/int',
    ],
    [
      "a MODIFY without a value",
      { stateMutations: [{ mutationType: MutationType.MODIFY, stateName: "n" }] },
      'a MODIFY of state "n" with type (none)',
    ],
    [
      "an unknown mutation type",
      {
        stateMutations: [
          { mutationType: 7 as (typeof MutationType)[keyof typeof MutationType], stateName: "n" },
        ],
      },
      'an unrecognized mutation type 7 for state "n"',
    ],
    [
      "an outgoing message without a function type",
      { outgoingMessages: [{ target: to }, { target: { namespace: "ns", type: "", id: "1" } }] },
      "outgoing message #2 without a target function type",
    ],
    [
      "an outgoing message to an unserved type",
      { outgoingMessages: [{ target: { namespace: "elsewhere", type: "f", id: "1" } }] },
      "outgoing message #1 to elsewhere/f",
    ],
    [
      "a cancellation without a token",
      {
        delayedInvocations: [
          { isCancellationRequest: true, cancellationToken: "t" },
          { isCancellationRequest: true },
        ],
      },
      "cancellation request #2 without a cancellation token",
    ],
    [
      "an egress message without namespace and type",
      { outgoingEgresses: [{ egressNamespace: "io", egressType: "", argument: value() }] },
      "egress message #1 without an egress namespace and type",
    ],
    [
      "a plain value to a Kafka egress",
      { outgoingEgresses: [{ egressNamespace: "io", egressType: "kafka", argument: value() }] },
      `egress message #1 of type io.statefun.types/string to Kafka egress io/kafka; the Kafka egress accepts only ${KAFKA_PRODUCER_RECORD_TYPENAME}`,
    ],
    [
      "a plain value to a Kinesis egress",
      { outgoingEgresses: [{ egressNamespace: "io", egressType: "kinesis", argument: value() }] },
      `egress message #1 of type io.statefun.types/string to Kinesis egress io/kinesis; the Kinesis egress accepts only ${KINESIS_EGRESS_RECORD_TYPENAME}`,
    ],
  ])("rejects %s, naming it", (_what, response, message) => {
    const error = (() => {
      try {
        replyEffects(response, context);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ReplyRejectedError);
    expect((error as Error).message).toContain("function ns/fn:7 replied with ");
    expect((error as Error).message).toContain(message);
  });

  it("turns an accepted reply into the store's effects", () => {
    const effects = replyEffects(
      {
        stateMutations: [
          { mutationType: MutationType.MODIFY, stateName: "n", stateValue: value(INT) },
          { mutationType: MutationType.DELETE, stateName: "n" },
        ],
        outgoingMessages: [{ target: to, argument: value() }],
        delayedInvocations: [
          { delayInMs: 50, cancellationToken: "t", target: to, argument: value() },
          { delayInMs: 0, target: to, argument: value() },
          { isCancellationRequest: true, cancellationToken: "t" },
        ],
      },
      context,
    );
    expect(effects.self).toBe(self);
    expect(effects.consumedSeqs).toEqual([3, 4]);
    expect(effects.now).toBe(1_000);
    expect(effects.stateChanges).toEqual([
      { kind: "set", name: "n", value: new Uint8Array([1, 2]) },
      { kind: "delete", name: "n" },
    ]);
    expect([...effects.registered]).toEqual([["n", { mode: "after-write", ttlMs: 1000 }]]);
    expect(effects.outgoing.map((o) => o.target)).toEqual([to]);
    expect(
      effects.delayed.map((d) =>
        d.kind === "cancel" ? ["cancel", d.token] : ["add", d.dueAt, d.token, d.target],
      ),
    ).toEqual([
      ["add", 1_050, "t", to],
      ["add", 1_000, undefined, to],
      ["cancel", "t"],
    ]);
    expect(effects.egress).toEqual([]);
  });
});
