import {
  type Context,
  KafkaEgressBuilder,
  type Message,
  makeJsonType,
  type StatefulFunctionSpec,
  typeNameFrom,
  type ValueSpec,
} from "@statefun-ts/sdk";
import { GREETINGS_TOPIC, GREETS_EGRESS, INBOX } from "./function-types.js";

/** How many greetings an inbox keeps. */
export const RECENT_LIMIT = 5;

/** The last greetings of a person, oldest first. */
export const recentGreetings: ValueSpec<string[]> = {
  name: "recent",
  valueType: makeJsonType<string[]>(typeNameFrom("com.example.fns/RecentGreetings")),
};

/**
 * A person's inbox (id = the person's name): keeps the last greetings and writes each one to the
 * Kafka egress `com.example/greets`, topic `greetings`, keyed by the name.
 */
export function inbox(ctx: Context, message: Message): void {
  const greeting = message.asString();
  const recent = [...(ctx.storage.get(recentGreetings) ?? []), greeting].slice(-RECENT_LIMIT);
  ctx.storage.set(recentGreetings, recent);
  ctx.sendEgress(
    new KafkaEgressBuilder({
      target: GREETS_EGRESS,
      topic: GREETINGS_TOPIC,
      key: ctx.self.id,
      value: greeting,
    }),
  );
}

export const inboxSpec: StatefulFunctionSpec = {
  functionType: INBOX,
  states: [recentGreetings],
  function: inbox,
};
