import { GreetRequestType } from "@statefun-ts/registry-examples";
import {
  type Context,
  Int32Type,
  type Message,
  type StatefulFunctionSpec,
  type ValueSpec,
} from "@statefun-ts/sdk";
import { GREETER, INBOX } from "./function-types.js";

/** How many times this person has been greeted. */
export const seenCount: ValueSpec<number> = { name: "seen_count", valueType: Int32Type };

/**
 * The documented greeter: counts the greetings per person and sends
 * `Hello <name> for the <n>th time!` to the person's inbox. Takes a plain string name or a
 * `com.example/GreetRequest`.
 */
export function greeter(ctx: Context, message: Message): void {
  const name = nameOf(message);
  const count = (ctx.storage.get(seenCount) ?? 0) + 1;
  ctx.storage.set(seenCount, count);
  ctx.send({
    target: { functionType: INBOX, id: name },
    value: `Hello ${name} for the ${count}th time!`,
  });
}

function nameOf(message: Message): string {
  if (message.isString()) return message.asString();
  if (message.is(GreetRequestType)) return message.as(GreetRequestType).name;
  throw new Error(
    `the greeter takes an io.statefun.types/string name or a com.example/GreetRequest, not ${message.valueTypeName()}`,
  );
}

export const greeterSpec: StatefulFunctionSpec = {
  functionType: GREETER,
  states: [seenCount],
  function: greeter,
};
