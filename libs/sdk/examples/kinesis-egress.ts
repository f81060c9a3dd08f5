// "Egress": a greeting for each User written to a Kinesis egress (stream greetings, partition key =
// user name).
import {
  type Context,
  Int32Type,
  KinesisEgressBuilder,
  type Message,
  typeNameFrom,
  type ValueSpec,
} from "@statefun-ts/sdk";
import { UserType } from "./user-type.js";

export class Greeter {
  constructor(readonly seenCount: ValueSpec<number>) {}

  invoke(ctx: Context, message: Message): void {
    if (!message.is(UserType)) {
      throw new Error(`unknown type ${message.valueTypeName()}`);
    }
    const user = message.as(UserType);

    const storage = ctx.storage;
    const seen = (storage.get(this.seenCount) ?? 0) + 1;
    storage.set(this.seenCount, seen);

    ctx.sendEgress(
      new KinesisEgressBuilder({
        target: typeNameFrom("com.example/greets"),
        stream: "greetings",
        partitionKey: user.name,
        value: `Hello ${user.name} for the ${seen}-th time!`,
      }),
    );
  }
}

export const kinesisGreeter = new Greeter({ name: "seen_count", valueType: Int32Type });
