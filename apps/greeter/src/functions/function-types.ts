import { typeNameFrom } from "@statefun-ts/sdk";

/** The greeter's function types and egress. */
export const GREETER = typeNameFrom("com.example.fns/greeter");
export const INBOX = typeNameFrom("com.example.fns/inbox");
export const DELAYED = typeNameFrom("com.example.fns/delayed");
export const GREETS_EGRESS = typeNameFrom("com.example/greets");
export const GREETINGS_TOPIC = "greetings";
