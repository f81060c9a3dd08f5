// Property tests through the handler: requests survive encode/decode, and replies carry the
// state and messages a model of the function predicts.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromFunction, invocationResult, io, toFunction } from "../../test/wire.js";
import { statefulFunctionsBuilder } from "../stateful-functions-builder.js";
import { typeNameFrom } from "../type-name.js";
import { Int64Type, StringType } from "../types/built-in-types.js";
import type { ValueSpec } from "../value-spec.js";

const { ToFunction, FromFunction } = io.statefun.sdk.reqreply;

const address = fc.record({ namespace: fc.string(), type: fc.string(), id: fc.string() });
const typedValue = fc.record({
  typename: fc.string(),
  hasValue: fc.boolean(),
  value: fc.uint8Array({ maxLength: 64 }),
});

describe("wire messages (property)", () => {
  it("ToFunction survives encode/decode", () => {
    fc.assert(
      fc.property(
        address,
        fc.array(fc.record({ stateName: fc.string(), stateValue: typedValue })),
        fc.array(fc.record({ caller: address, argument: typedValue })),
        (target, state, invocations) => {
          const request = { invocation: { target, state, invocations } };
          const decoded = ToFunction.decode(ToFunction.encode(request).finish());
          const options = { defaults: true, bytes: String };
          expect(ToFunction.toObject(decoded, options)).toEqual(
            ToFunction.toObject(ToFunction.fromObject(request), options),
          );
        },
      ),
    );
  });

  it("FromFunction survives encode/decode, int64 delays included", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            mutationType: fc.constantFrom(0, 1),
            stateName: fc.string(),
            stateValue: typedValue,
          }),
        ),
        fc.array(
          fc.record({
            delayInMs: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
            target: address,
            argument: typedValue,
            cancellationToken: fc.string(),
          }),
        ),
        (stateMutations, delayedInvocations) => {
          const reply = { invocationResult: { stateMutations, delayedInvocations } };
          const decoded = FromFunction.decode(FromFunction.encode(reply).finish());
          expect(decoded.invocationResult!.delayedInvocations!.map((d) => d.delayInMs)).toEqual(
            delayedInvocations.map((d) => d.delayInMs),
          );
          expect(decoded.invocationResult!.stateMutations!.map((m) => m.stateName)).toEqual(
            stateMutations.map((m) => m.stateName),
          );
        },
      ),
    );
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
