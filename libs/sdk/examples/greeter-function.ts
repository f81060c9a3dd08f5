// "Alternatively, a stateful function can be defined as a function pointer": the same greeter as a
// plain function.
import {
  type Context,
  Int32Type,
  type Message,
  typeNameFrom,
  type ValueSpec,
} from "@statefun-ts/sdk";

export const seenCount: ValueSpec<number> = { name: "seen_count", valueType: Int32Type };

export function greeter(ctx: Context, message: Message): void {
  const name = message.asString();
  const count = (ctx.storage.get(seenCount) ?? 0) + 1;
  ctx.storage.set(seenCount, count);
  ctx.send({
    target: { functionType: typeNameFrom("com.example.fns/inbox"), id: name },
    value: `Hello ${name} for the ${count}th time!`,
  });
}
