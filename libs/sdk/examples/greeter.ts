// The Go SDK documentation's Greeter, as a class with a ValueSpec ("Defining A Stateful Function").
import {
  type Context,
  Int32Type,
  type Message,
  type StatefulFunction,
  StringType,
  typeNameFrom,
  type ValueSpec,
} from "@statefun-ts/sdk";

export class Greeter implements StatefulFunction {
  constructor(readonly seenCount: ValueSpec<number>) {}

  invoke(ctx: Context, message: Message): void {
    if (!message.is(StringType)) {
      throw new Error(`unexpected message type ${message.valueTypeName()}`);
    }
    const name = message.as(StringType);

    const storage = ctx.storage;
    let count = storage.get(this.seenCount) ?? 0;
    count += 1;
    storage.set(this.seenCount, count);

    ctx.send({
      target: { functionType: typeNameFrom("com.example.fns/inbox"), id: name },
      value: `Hello ${name} for the ${count}th time!`,
    });
  }
}

export const greeter = new Greeter({ name: "seen_count", valueType: Int32Type });
