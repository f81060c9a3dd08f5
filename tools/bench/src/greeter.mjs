// The greeter of the benchmark, written once for each SDK, and the request bytes both receive.
// Greeter: a string argument (a name), an int state `seen_count`; increments it and sends
// "Hello <name> for the <n>th time!" to com.example.fns/inbox/<name>.

import { createRequire } from "node:module";
import { Int32Type, StringType, statefulFunctionsBuilder, typeNameFrom } from "@statefun-ts/sdk";
import { fromFunctionCodec, toFunctionCodec } from "@statefun-ts/sdk/wire";

const require = createRequire(import.meta.url);

export const GREETER = "com.example.fns/greeter";
export const INBOX = "com.example.fns/inbox";
export const NAME = "Alice";
export const INITIAL_SEEN = 41;

/** Our SDK: the handler (with these handler options), whose `invoke(bytes)` is benchmarked. */
export function ourHandler(options) {
  const seenCount = { name: "seen_count", valueType: Int32Type };
  const inbox = typeNameFrom(INBOX);
  return statefulFunctionsBuilder()
    .withSpec({
      functionType: typeNameFrom(GREETER),
      states: [seenCount],
      function: (ctx, message) => {
        const name = message.asString();
        const seen = (ctx.storage.get(seenCount) ?? 0) + 1;
        ctx.storage.set(seenCount, seen);
        ctx.send({
          target: { functionType: inbox, id: name },
          value: `Hello ${name} for the ${seen}th time!`,
        });
      },
    })
    .asHandler(options);
}

/**
 * The official JS SDK (apache-flink-statefun 3.3.0): its byte-level `handle(bytes, fns)` from
 * dist/handler.js, called the way `StateFun.handle` calls it (with the map `bind` fills).
 */
export function officialHandler() {
  const { handle } = require("apache-flink-statefun/dist/handler.js");
  const { FunctionSpec } = require("apache-flink-statefun/dist/core.js");
  const { StateFun, messageBuilder } = require("apache-flink-statefun");
  const spec = FunctionSpec.fromOpts({
    typename: GREETER,
    specs: [{ name: "seen_count", type: StateFun.intType() }],
    fn(context, message) {
      const name = message.asString();
      const seen = (context.storage.seen_count ?? 0) + 1;
      context.storage.seen_count = seen;
      context.send(
        messageBuilder({
          typename: INBOX,
          id: name,
          value: `Hello ${name} for the ${seen}th time!`,
        }),
      );
    },
  });
  const fns = { [spec.typename]: spec };
  return { invoke: (bytes) => handle(bytes, fns) };
}

/** The official JS SDK served as its docs show: `http.createServer(statefun.handler())`. */
export function officialServer() {
  const { StateFun, messageBuilder } = require("apache-flink-statefun");
  const statefun = new StateFun();
  statefun.bind({
    typename: GREETER,
    specs: [{ name: "seen_count", type: StateFun.intType() }],
    fn(context, message) {
      const name = message.asString();
      const seen = (context.storage.seen_count ?? 0) + 1;
      context.storage.seen_count = seen;
      context.send(
        messageBuilder({
          typename: INBOX,
          id: name,
          value: `Hello ${name} for the ${seen}th time!`,
        }),
      );
    },
  });
  return statefun.handler();
}

/**
 * The ToFunction bytes of a batch of `n` invocations to greeter/Alice with seen_count = 41.
 * `callers`: each invocation comes from another function (com.example.fns/caller/c<i>).
 * `cold`: no state at all, as on the first call to a function (the handshake: the reply is an
 * IncompleteInvocationContext naming seen_count).
 */
export function greeterRequest(n, { callers = false, cold = false } = {}) {
  const stateBytes = Int32Type.serialize(INITIAL_SEEN);
  const argument = {
    typename: StringType.typeName.toString(),
    hasValue: true,
    value: StringType.serialize(NAME),
  };
  const [namespace, type] = GREETER.split("/");
  return toFunctionCodec.encode({
    invocation: {
      target: { namespace, type, id: NAME },
      state: cold
        ? []
        : [
            {
              stateName: "seen_count",
              stateValue: {
                typename: Int32Type.typeName.toString(),
                hasValue: true,
                value: stateBytes,
              },
            },
          ],
      invocations: Array.from({ length: n }, (_, i) =>
        callers
          ? { caller: { namespace: "com.example.fns", type: "caller", id: `c${i}` }, argument }
          : { argument },
      ),
    },
  });
}

/** A FromFunction reply in a comparable form, plus the facts the greeter must produce. */
export function describeReply(bytes) {
  const reply = fromFunctionCodec.decode(bytes);
  const result = reply.invocationResult;
  if (!result) throw new Error("reply has no invocation_result");
  const hex = (b) => Buffer.from(b ?? []).toString("hex");
  const typed = (t) =>
    t ? { typename: t.typename, hasValue: Boolean(t.hasValue), value: hex(t.value) } : null;
  return {
    mutations: result.stateMutations.map((m) => ({
      type: m.mutationType ?? 0,
      name: m.stateName,
      value: typed(m.stateValue),
    })),
    messages: result.outgoingMessages.map((m) => ({
      target: `${m.target?.namespace}/${m.target?.type}/${m.target?.id}`,
      argument: typed(m.argument),
    })),
    delayed: result.delayedInvocations.length,
    egress: result.outgoingEgresses.length,
  };
}

/** Checks that a reply is the correct greeter reply for a batch of `n`; throws if not. */
export function checkReply(bytes, n) {
  const d = describeReply(bytes);
  const fail = (what) => {
    throw new Error(`greeter reply for a batch of ${n} is wrong: ${what}`);
  };
  const finalSeen = INITIAL_SEEN + n;
  if (d.mutations.length !== 1) fail(`${d.mutations.length} mutations`);
  const m = d.mutations[0];
  const expected = Buffer.from(Int32Type.serialize(finalSeen)).toString("hex");
  if (m.type !== 1 || m.name !== "seen_count" || m.value?.value !== expected)
    fail(`mutation ${JSON.stringify(m)}`);
  if (d.messages.length !== n) fail(`${d.messages.length} messages`);
  const last = d.messages[n - 1];
  const text = Buffer.from(StringType.serialize(`Hello ${NAME} for the ${finalSeen}th time!`));
  if (last.target !== `${INBOX}/${NAME}` || last.argument?.value !== text.toString("hex"))
    fail(`last message ${JSON.stringify(last)}`);
  return d;
}

/** Checks the reply to a cold request: an IncompleteInvocationContext asking for seen_count. */
export function checkColdReply(bytes) {
  const reply = fromFunctionCodec.decode(bytes);
  const missing = reply.incompleteInvocationContext?.missingValues ?? [];
  if (missing.length !== 1 || missing[0].stateName !== "seen_count")
    throw new Error(`cold reply is not the seen_count handshake (${bytes.length} bytes)`);
}
