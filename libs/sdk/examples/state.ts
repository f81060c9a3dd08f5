// "State": value specs, and get / set / remove scoped to the address of the current message.
import { type Context, Int32Type, type Message, type ValueSpec } from "@statefun-ts/sdk";
import { type User, UserType } from "./user-type.js";

// Value specification for a state named `seen_count` with the primitive integer type
export const seenCountSpec: ValueSpec<number> = { name: "seen_count", valueType: Int32Type };

// Value specification with a custom type
export const userSpec: ValueSpec<User> = { name: "user", valueType: UserType };

export class Greeter {
  constructor(readonly seenCount: ValueSpec<number>) {}

  invoke(ctx: Context, _message: Message): void {
    const storage = ctx.storage;

    // Read the current value of the state, or zero when no value is set
    let count = storage.get(this.seenCount) ?? 0;
    count += 1;

    // Update the state, which the runtime makes persistent
    storage.set(this.seenCount, count);

    console.log(`the current count is ${count}`);

    if (count > 10) {
      // Delete the state value
      storage.remove(this.seenCount);
    }
  }
}
