import {
  type Context,
  GenericEgressBuilder,
  KafkaEgressBuilder,
  type Message,
  type StatefulFunctionsBuilder,
  typeNameFrom,
  type ValueSpec,
} from "@statefun-ts/sdk";
import { KINDS, type Kind, RECEIVED } from "./kinds.js";

/** This implementation's hop name in a route. */
export const LANG = "ts";
/** The languages a route may name, in matrix order. */
export const LANGS = ["go", "java", "python", "ts"] as const;
export type Lang = (typeof LANGS)[number];

/** Delay of `after` forwards and of the `cancel` mode's cancelled message, in ms. */
export const AFTER_DELAY_MS = 100;
export const CANCEL_DELAY_MS = 500;
export const GENERIC_EGRESS = typeNameFrom("compat/egress");
export const KAFKA_EGRESS = typeNameFrom("compat/kafka");
/** The function type every fixture serves besides `compat.<lang>/relay` (vectors, migration). */
export const SHARED_RELAY = "compat/relay";

/** Relay modes, the middle part of a relay id `<route>~<mode>~<key>`. */
export const MODES = ["send", "after", "cancel", "reply"] as const;
export type Mode = (typeof MODES)[number];

/** The relay function of the contract (README.md), on our SDK. */
export function relay(ctx: Context, message: Message): void {
  const id = ctx.self.id;
  const first = id.indexOf("~");
  const second = first < 0 ? -1 : id.indexOf("~", first + 1);
  if (second < 0) {
    throw new Error(`relay id ${JSON.stringify(id)} is not <route>~<mode>~<key>`);
  }
  const route = id.slice(0, first).split(".");
  const mode = id.slice(first + 1, second);
  const key = id.slice(second + 1);
  if (message.valueTypeName().toString() === DUMP_TYPENAME) {
    dump(ctx, key);
    return;
  }

  const kind = KINDS.find((k) => message.is(k.type));
  if (kind === undefined) {
    throw new Error(`relay ${id}: no value kind for type ${message.valueTypeName().toString()}`);
  }
  const value = message.as(kind.type);
  ctx.storage.set(kind.spec, value);
  ctx.storage.set(RECEIVED, (ctx.storage.get(RECEIVED) ?? 0n) + 1n);

  const rest = route.slice(1);
  const restRoute = rest.join(".");
  const caller = ctx.caller;
  if (
    mode === "reply" &&
    caller !== undefined &&
    rest.length > 0 &&
    caller.functionType.toString() === `compat.${rest[0]}/relay` &&
    caller.id === `${restRoute}~reply~${key}`
  ) {
    egress(ctx, kind, key, value);
    return;
  }
  if (rest.length === 0) {
    if (mode === "reply" && caller !== undefined) {
      ctx.send({ target: caller, value, valueType: kind.type });
    } else {
      egress(ctx, kind, key, value);
    }
    return;
  }
  const next = {
    target: {
      functionType: typeNameFrom(`compat.${rest[0]}/relay`),
      id: `${restRoute}~${mode}~${key}`,
    },
    value,
    valueType: kind.type,
  };
  switch (mode) {
    case "send":
    case "reply":
      ctx.send(next);
      return;
    case "after":
      ctx.sendAfter(AFTER_DELAY_MS, next);
      return;
    case "cancel": {
      const token = `cancel-${key}`;
      ctx.sendAfterWithCancellationToken(CANCEL_DELAY_MS, token, next);
      ctx.cancelDelayedMessage(token);
      ctx.send(next);
      return;
    }
    default:
      throw new Error(`relay ${id}: unknown mode ${mode}`);
  }
}

/** The typename of the dump command (README.md: state migration). */
export const DUMP_TYPENAME = "compat/dump";

/** Writes every state that holds a value to compat/kafka, topic "dump", key `<key>:<state>`. */
function dump(ctx: Context, key: string): void {
  for (const spec of [...KINDS.map((k) => k.spec), RECEIVED] as ValueSpec<unknown>[]) {
    const value = ctx.storage.get(spec);
    if (value === undefined) continue;
    ctx.sendEgress(
      new KafkaEgressBuilder({
        target: KAFKA_EGRESS,
        topic: "dump",
        key: `${key}:${spec.name}`,
        value,
        valueType: spec.valueType,
      }),
    );
  }
}

function egress(ctx: Context, kind: Kind, key: string, value: unknown): void {
  ctx.sendEgress(new GenericEgressBuilder({ target: GENERIC_EGRESS, value, valueType: kind.type }));
  ctx.sendEgress(
    new KafkaEgressBuilder({
      target: KAFKA_EGRESS,
      topic: kind.name,
      key,
      value,
      valueType: kind.type,
    }),
  );
}

/** Binds the relay under `compat.ts/relay` and the shared type `compat/relay`. */
export function registerRelay(builder: StatefulFunctionsBuilder): StatefulFunctionsBuilder {
  const states = [...KINDS.map((k) => k.spec), RECEIVED];
  for (const functionType of [`compat.${LANG}/relay`, SHARED_RELAY]) {
    builder.withSpec({ functionType: typeNameFrom(functionType), states, function: relay });
  }
  return builder;
}
