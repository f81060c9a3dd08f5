// "Sending Delayed Messages": a reply to the caller after 30 minutes.
import type { Context, Message } from "@statefun-ts/sdk";

export function delayed(ctx: Context, _message: Message): void {
  if (ctx.caller === undefined) {
    console.log("message has no known caller meaning it was sent directly from an ingress");
    return;
  }

  ctx.sendAfter(30 * 60 * 1000, {
    target: ctx.caller,
    value: "Hello from the future!",
  });
}
