// Tests of request handling through the public handler: handshake, batches, async functions,
// callers, side effects and the errors of bad requests and failing functions.

import { describe, expect, it } from "vitest";
import { intValue, invocationResult, replyJson, stringValue, toFunction } from "../test/wire.js";
import type { Context } from "./context.js";
import { FunctionInvocationError, InvalidRequestError, UnknownFunctionError } from "./errors.js";
import { expireAfterCall, expireAfterWrite } from "./expiration.js";
import type { Message } from "./message.js";
import { statefulFunctionsBuilder } from "./stateful-functions-builder.js";
import { typeNameFrom } from "./type-name.js";
import { BoolType, Float32Type, Int32Type, StringType } from "./types/built-in-types.js";
import type { ValueSpec } from "./value-spec.js";

const seen: ValueSpec<number> = {
  name: "seen",
  valueType: Int32Type,
  expiration: expireAfterCall(86_400_000),
};
const target = { namespace: "org.foo", type: "greeter", id: "0" };

function handler(
  fn: (ctx: Context, message: Message) => void | Promise<void>,
  states: ValueSpec<unknown>[] = [seen as ValueSpec<unknown>],
) {
  return statefulFunctionsBuilder()
    .withSpec({ functionType: typeNameFrom("org.foo/greeter"), states, function: fn })
    .asHandler();
}

const increment = (ctx: Context) => ctx.storage.set(seen, (ctx.storage.get(seen) ?? 0) + 1);

describe("the state handshake", () => {
  it("replies IncompleteInvocationContext with the missing spec, expiration included, and runs nothing", async () => {
    let ran = 0;
    const h = handler(() => void ran++);
    const reply = replyJson(
      await h.invoke(toFunction({ target, invocations: [{ argument: stringValue("x") }] })),
    );
    expect(ran).toBe(0);
    expect(reply).toEqual({
      incompleteInvocationContext: {
        missingValues: [
          {
            stateName: "seen",
            typeTypename: "io.statefun.types/int",
            expirationSpec: { mode: "AFTER_INVOKE", expireAfterMillis: "86400000" },
          },
        ],
      },
    });
  });

  it("lists only the missing specs, in declaration order", async () => {
    const specs = [
      { name: "seen", valueType: Int32Type },
      { name: "missing_state_1", valueType: StringType },
      { name: "missing_state_2", valueType: Float32Type, expiration: expireAfterWrite(2000) },
    ] as ValueSpec<unknown>[];
    const h = handler(() => {}, specs);
    const reply = replyJson(
      await h.invoke(
        toFunction({
          target,
          states: { seen: intValue(1) },
          invocations: [{ argument: stringValue("x") }],
        }),
      ),
    );
    expect(reply.incompleteInvocationContext).toHaveProperty("missingValues", [
      {
        stateName: "missing_state_1",
        typeTypename: "io.statefun.types/string",
        expirationSpec: {},
      },
      {
        stateName: "missing_state_2",
        typeTypename: "io.statefun.types/float",
        expirationSpec: { mode: "AFTER_WRITE", expireAfterMillis: "2000" },
      },
    ]);
  });

  it("treats a registered state without value as present, and ignores unknown states", async () => {
    const h = handler(increment);
    const reply = replyJson(
      await h.invoke(
        toFunction({
          target,
          states: { seen: null, unknown: stringValue("?") },
          invocations: [{ argument: stringValue("x") }],
        }),
      ),
    );
    expect(reply.invocationResult).toHaveProperty("stateMutations", [
      {
        mutationType: "MODIFY",
        stateName: "seen",
        stateValue: { typename: "io.statefun.types/int", hasValue: true, value: "DQEAAAA=" },
      },
    ]);
  });

  it("a stateless function needs no handshake", async () => {
    const h = handler(
      (ctx, m) =>
        ctx.send({ target: { functionType: typeNameFrom("a/b"), id: "1" }, value: m.asString() }),
      [],
    );
    const result = invocationResult(
      await h.invoke(toFunction({ target, invocations: [{ argument: stringValue("x") }] })),
    );
    expect(result.outgoingMessages).toHaveLength(1);
  });
});

describe("a batch", () => {
  it("runs invocations in order; state written by one is seen by the next (one mutation, the last value)", async () => {
    const order: string[] = [];
    const h = handler((ctx, m) => {
      order.push(m.asString());
      increment(ctx);
    });
    const result = invocationResult(
      await h.invoke(
        toFunction({
          target,
          states: { seen: intValue(0) },
          invocations: ["a", "b", "c"].map((s) => ({ argument: stringValue(s) })),
        }),
      ),
    );
    expect(order).toEqual(["a", "b", "c"]);
    expect(result.stateMutations).toHaveLength(1);
    expect(Int32Type.deserialize(result.stateMutations[0]!.stateValue!.value!)).toBe(3);
  });

  it("awaits async functions one after the other", async () => {
    const log: string[] = [];
    const h = handler(async (ctx, m) => {
      log.push(`start ${m.asString()}`);
      await new Promise((r) => setTimeout(r, 5));
      increment(ctx);
      log.push(`end ${m.asString()}`);
    });
    const result = invocationResult(
      await h.invoke(
        toFunction({
          target,
          states: { seen: null },
          invocations: ["1", "2"].map((s) => ({ argument: stringValue(s) })),
        }),
      ),
    );
    expect(log).toEqual(["start 1", "end 1", "start 2", "end 2"]);
    expect(Int32Type.deserialize(result.stateMutations[0]!.stateValue!.value!)).toBe(2);
  });

  it("gives each invocation its own caller; absent and all-empty callers are undefined", async () => {
    const callers: (string | undefined)[] = [];
    const h = handler(
      (ctx) => void callers.push(ctx.caller && `${ctx.caller.functionType}:${ctx.caller.id}`),
      [],
    );
    await h.invoke(
      toFunction({
        target,
        invocations: [
          {
            caller: { namespace: "org.foo", type: "greeter-java", id: "0" },
            argument: stringValue("x"),
          },
          { argument: stringValue("x") },
          { caller: { namespace: "", type: "", id: "" }, argument: stringValue("x") },
        ],
      }),
    );
    expect(callers).toEqual(["org.foo/greeter-java:0", undefined, undefined]);
  });

  it("ctx.self is the target address", async () => {
    let self = "";
    const h = handler((ctx) => {
      self = `${ctx.self.functionType}:${ctx.self.id}`;
    }, []);
    await h.invoke(toFunction({ target, invocations: [{ argument: stringValue("x") }] }));
    expect(self).toBe("org.foo/greeter:0");
  });

  it("is all or nothing: a failure in a later invocation returns no partial result", async () => {
    const h = handler((ctx, m) => {
      increment(ctx);
      ctx.send({ target: { functionType: typeNameFrom("a/b"), id: "1" }, value: "side effect" });
      if (m.asString() === "boom") throw new Error("kaput");
    });
    const request = toFunction({
      target,
      states: { seen: null },
      invocations: ["ok", "boom"].map((s) => ({ argument: stringValue(s) })),
    });
    const failure = await h.invoke(request).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(FunctionInvocationError);
    expect((failure as Error).message).toBe(
      "function org.foo/greeter:0 failed on invocation 2 of 2: kaput",
    );
    expect(((failure as Error).cause as Error).message).toBe("kaput");
  });

  it("reports the side effects of the whole batch in production order", async () => {
    const inbox = typeNameFrom("com.example/inbox");
    const h = handler((ctx, m) => {
      ctx.send({ target: { functionType: inbox, id: m.asString() }, value: `msg ${m.asString()}` });
      ctx.sendAfter(3_600_000, { target: { functionType: inbox, id: m.asString() }, value: true });
      ctx.sendAfterWithCancellationToken(3_600_000, `token-${m.asString()}`, {
        target: { functionType: inbox, id: "x" },
        value: BoolType.typeName.name,
      });
      ctx.cancelDelayedMessage(`token-${m.asString()}`);
    }, []);
    const bytes = await h.invoke(
      toFunction({ target, invocations: ["1", "2"].map((s) => ({ argument: stringValue(s) })) }),
    );
    const result = invocationResult(bytes);
    expect(result.outgoingMessages.map((m) => m.target!.id)).toEqual(["1", "2"]);
    expect(replyJson(bytes).invocationResult).toMatchObject({
      delayedInvocations: [
        { delayInMs: "3600000", target: { id: "1" } },
        { delayInMs: "3600000", cancellationToken: "token-1" },
        { isCancellationRequest: true, cancellationToken: "token-1" },
        { delayInMs: "3600000", target: { id: "2" } },
        { delayInMs: "3600000", cancellationToken: "token-2" },
        { isCancellationRequest: true, cancellationToken: "token-2" },
      ],
    });
    const cancellation = result.delayedInvocations[2]!;
    expect(cancellation.target).toBeNull();
    expect(cancellation.argument).toBeNull();
  });

  it("an invocation without an argument reads as a message without a value", async () => {
    let value = -1;
    const h = handler((_ctx, m) => {
      value = m.isInt32() ? m.asInt32() : -2;
    }, []);
    await h.invoke(
      toFunction({
        target,
        invocations: [{ argument: { typename: "io.statefun.types/int", hasValue: false } }],
      }),
    );
    expect(value).toBe(0);
  });
});

describe("bad requests", () => {
  const h = handler(() => {});

  it("rejects an empty body", async () => {
    await expect(h.invoke(new Uint8Array())).rejects.toThrow(InvalidRequestError);
  });

  it("rejects bytes that are not a ToFunction", async () => {
    await expect(h.invoke(Uint8Array.from([0xff, 0xff, 0xff]))).rejects.toThrow(
      /not a protobuf ToFunction message/,
    );
  });

  it("rejects a ToFunction without an invocation batch", async () => {
    await expect(h.invoke(Uint8Array.from([0x08, 0x01]))).rejects.toThrow(
      /has no invocation batch/,
    );
  });

  it("names the unknown function type and the ones served", async () => {
    const failure = h.invoke(
      toFunction({ target: { namespace: "org.foo", type: "nope", id: "1" }, invocations: [] }),
    );
    await expect(failure).rejects.toThrow(UnknownFunctionError);
    await expect(failure).rejects.toThrow(
      "unknown function type org.foo/nope; this handler serves: org.foo/greeter",
    );
  });
});
