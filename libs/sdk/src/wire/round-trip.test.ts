// Property tests through the handler: requests survive encode/decode, and replies carry the
// state and messages a model of the function predicts.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromFunction, invocationResult, io, toFunction } from "../../test/wire.js";
import { toArgument, toTypedValue } from "../message-builder.js";
import { statefulFunctionsBuilder } from "../stateful-functions-builder.js";
import { typeNameFrom } from "../type-name.js";
import { Int32Type, Int64Type, StringType } from "../types/built-in-types.js";
import type { ValueSpec } from "../value-spec.js";
import { encodeInvocationResult } from "./from-function-writer.js";
import { readToFunction } from "./to-function-reader.js";

const { ToFunction, FromFunction } = io.statefun.sdk.reqreply;

const address = fc.record({ namespace: fc.string(), type: fc.string(), id: fc.string() });
const typedValue = fc.record({
  typename: fc.string(),
  hasValue: fc.boolean(),
  value: fc.uint8Array({ maxLength: 64 }),
});

const hex = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString("hex");
const plainValue = (v: {
  typename?: string | null;
  hasValue?: boolean | null;
  value?: Uint8Array | null;
}) => ({
  typename: v.typename ?? "",
  hasValue: v.hasValue ?? false,
  value: hex(v.value),
});

// Round trips through the SDK's hand-written wire code (wire/to-function-reader.ts and
// wire/from-function-writer.ts), with the generated protobufjs code on the other side.
describe("wire messages through the hand-written reader and writer (property)", () => {
  it("ToFunction: the generated encoder's bytes read back by readToFunction give the input", () => {
    fc.assert(
      fc.property(
        address,
        fc.array(fc.record({ stateName: fc.string(), stateValue: typedValue })),
        fc.array(fc.record({ caller: address, argument: typedValue })),
        (target, state, invocations) => {
          const bytes = ToFunction.encode({ invocation: { target, state, invocations } }).finish();
          const batch = readToFunction(bytes);
          // canonical bytes never send the reader to the generated fallback
          expect(batch).toBeTruthy();
          expect({
            target: batch!.target,
            state: batch!.state.map((s) => ({
              stateName: s.stateName,
              stateValue: s.stateValue && plainValue(s.stateValue),
            })),
            invocations: batch!.invocations.map((i) => ({
              caller: i.caller,
              argument: i.argument && plainValue(i.argument),
            })),
          }).toEqual({
            target,
            state: state.map((s) => ({
              stateName: s.stateName,
              stateValue: plainValue(s.stateValue),
            })),
            invocations: invocations.map((i) => ({
              caller: i.caller,
              argument: plainValue(i.argument),
            })),
          });
        },
      ),
    );
  });

  it("FromFunction: encodeInvocationResult's bytes decoded by the generated decoder give the input, int64 delays included", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            mutationType: fc.constantFrom(0 as const, 1 as const),
            stateName: fc.string(),
            stateValue: typedValue,
          }),
        ),
        fc.array(fc.record({ target: address, argument: typedValue })),
        fc.array(
          fc.record({
            delayInMs: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
            target: address,
            argument: typedValue,
            cancellationToken: fc.string(),
            isCancellationRequest: fc.boolean(),
          }),
        ),
        fc.array(
          fc.record({
            egressNamespace: fc.string(),
            egressType: fc.string(),
            argument: typedValue,
          }),
        ),
        (stateMutations, outgoingMessages, delayedInvocations, outgoingEgresses) => {
          const bytes = encodeInvocationResult({
            stateMutations,
            outgoingMessages,
            delayedInvocations,
            outgoingEgresses,
          });
          const decoded = FromFunction.decode(bytes).invocationResult!;
          const address = (
            a:
              | { namespace?: string | null; type?: string | null; id?: string | null }
              | null
              | undefined,
          ) => ({
            namespace: a?.namespace ?? "",
            type: a?.type ?? "",
            id: a?.id ?? "",
          });
          expect(
            decoded.stateMutations!.map((m) => ({
              mutationType: m.mutationType ?? 0,
              stateName: m.stateName,
              stateValue: plainValue(m.stateValue!),
            })),
          ).toEqual(stateMutations.map((m) => ({ ...m, stateValue: plainValue(m.stateValue) })));
          expect(
            decoded.outgoingMessages!.map((o) => ({
              target: address(o.target),
              argument: plainValue(o.argument!),
            })),
          ).toEqual(outgoingMessages.map((o) => ({ ...o, argument: plainValue(o.argument) })));
          expect(
            decoded.delayedInvocations!.map((d) => ({
              delayInMs: Number(d.delayInMs),
              target: address(d.target),
              argument: plainValue(d.argument!),
              cancellationToken: d.cancellationToken,
              isCancellationRequest: d.isCancellationRequest,
            })),
          ).toEqual(delayedInvocations.map((d) => ({ ...d, argument: plainValue(d.argument) })));
          expect(
            decoded.outgoingEgresses!.map((e) => ({
              egressNamespace: e.egressNamespace,
              egressType: e.egressType,
              argument: plainValue(e.argument!),
            })),
          ).toEqual(outgoingEgresses.map((e) => ({ ...e, argument: plainValue(e.argument) })));
        },
      ),
    );
  });
});

describe("string arguments kept as text (property)", () => {
  it("encode byte for byte as the StringType bytes would, in messages and delayed messages", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(address, fc.string({ unit: "binary", maxLength: 80 }))),
        fc.array(fc.tuple(address, fc.string({ unit: "grapheme", maxLength: 300 }))),
        (messages, delayed) => {
          const asText = (text: string) => {
            const argument = toArgument(text, undefined, "test");
            expect("text" in argument).toBe(true);
            return argument;
          };
          const asBytes = (text: string) => toTypedValue(text, StringType, "test");
          const encode = (argument: typeof asText) =>
            hex(
              encodeInvocationResult({
                stateMutations: [],
                outgoingMessages: messages.map(([target, text]) => ({
                  target,
                  argument: argument(text),
                })),
                delayedInvocations: delayed.map(([target, text], i) => ({
                  delayInMs: i,
                  target,
                  argument: argument(text),
                })),
                outgoingEgresses: [],
              }),
            );
          expect(encode(asText)).toBe(encode(asBytes));
        },
      ),
    );
  });

  it("int state values kept as numbers encode byte for byte as the Int32Type bytes would", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string(), fc.oneof(fc.integer(), fc.constantFrom(0, -0, 1, -1)))),
        (states) => {
          const typename = Int32Type.typeName.toString();
          const encode = (asNumber: boolean) =>
            hex(
              encodeInvocationResult({
                stateMutations: states.map(([stateName, int32]) => ({
                  mutationType: 1 as const,
                  stateName,
                  stateValue: asNumber
                    ? { typename, hasValue: true as const, int32 }
                    : { typename, hasValue: true, value: Int32Type.serialize(int32) },
                })),
                outgoingMessages: [],
                delayedInvocations: [],
                outgoingEgresses: [],
              }),
            );
          expect(encode(true)).toBe(encode(false));
        },
      ),
    );
  });

  it("a lone surrogate is refused as the StringType would refuse it", () => {
    expect(() => toArgument("a\ud800b", undefined, "ctx.send")).toThrow(/lone UTF-16 surrogate/);
    expect(() => toArgument("\udc00", StringType, "ctx.send")).toThrow(/lone UTF-16 surrogate/);
  });
});

describe("invoke (property): any batch of messages against a model", () => {
  const last: ValueSpec<string> = { name: "last", valueType: StringType };
  const total: ValueSpec<bigint> = { name: "total", valueType: Int64Type };
  const handler = statefulFunctionsBuilder()
    .withSpec({
      functionType: typeNameFrom("prop/fn"),
      states: [last, total],
      function: (ctx, message) => {
        const text = message.asString();
        ctx.storage.set(last, text);
        ctx.storage.set(total, (ctx.storage.get(total) ?? 0n) + BigInt(text.length));
        ctx.send({
          target: { functionType: typeNameFrom("prop/sink"), id: ctx.caller?.id ?? "ingress" },
          value: text,
        });
      },
    })
    .asHandler();

  it("produces the model's state and messages", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string(),
        fc.option(fc.bigInt({ min: 0n, max: 2n ** 62n }), { nil: undefined }),
        fc.array(
          fc.record({
            text: fc.string({ unit: "grapheme" }),
            caller: fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
          }),
          {
            minLength: 1,
            maxLength: 20,
          },
        ),
        async (id, initial, messages) => {
          const bytes = await handler.invoke(
            toFunction({
              target: { namespace: "prop", type: "fn", id },
              states: {
                last: null,
                total:
                  initial === undefined
                    ? null
                    : { typename: "io.statefun.types/long", value: Int64Type.serialize(initial) },
              },
              invocations: messages.map((m) => ({
                ...(m.caller === undefined
                  ? {}
                  : { caller: { namespace: "prop", type: "caller", id: m.caller } }),
                argument: {
                  typename: "io.statefun.types/string",
                  hasValue: true,
                  value: StringType.serialize(m.text),
                },
              })),
            }),
          );
          const result = invocationResult(bytes);
          const expectedTotal = messages.reduce(
            (sum, m) => sum + BigInt(m.text.length),
            initial ?? 0n,
          );
          const states = new Map(
            result.stateMutations.map((m) => [m.stateName, m.stateValue!.value]),
          );
          expect(StringType.deserialize(states.get("last")!)).toBe(messages.at(-1)!.text);
          expect(Int64Type.deserialize(states.get("total")!)).toBe(expectedTotal);
          expect(
            result.outgoingMessages.map((o) => [
              o.target!.id,
              StringType.deserialize(o.argument!.value!),
            ]),
          ).toEqual(messages.map((m) => [m.caller ?? "ingress", m.text]));
          expect(fromFunction(bytes).incompleteInvocationContext).toBeNull();
        },
      ),
      { numRuns: 200 },
    );
  });
});
