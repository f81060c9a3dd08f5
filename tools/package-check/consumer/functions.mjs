// The greeter, written as a user of the published packages would (plain ESM JavaScript).

import { Int32Type, KafkaEgressBuilder, typeNameFrom } from "@statefun-ts/sdk";
import { GreetRequestType } from "./types.mjs";

export const GREETER = typeNameFrom("com.example.fns/greeter");
export const GREETS = typeNameFrom("com.example/greets");
export const seenCount = { name: "seen_count", valueType: Int32Type };

export const greeterSpec = {
  functionType: GREETER,
  states: [seenCount],
  function: (ctx, message) => {
    const name = message.isString() ? message.asString() : message.as(GreetRequestType).name;
    const count = (ctx.storage.get(seenCount) ?? 0) + 1;
    ctx.storage.set(seenCount, count);
    ctx.sendEgress(
      new KafkaEgressBuilder({
        target: GREETS,
        topic: "greetings",
        key: name,
        value: `Hello ${name} for the ${count}th time!`,
      }),
    );
  },
};
