// The greeter app: the documented greeter, its inbox and the delayed-message example.
export { DEFAULT_DELAY_MS, delayedFunction, delayedSpec } from "./functions/delayed.js";
export {
  DELAYED,
  GREETER,
  GREETINGS_TOPIC,
  GREETS_EGRESS,
  INBOX,
} from "./functions/function-types.js";
export { greeter, greeterSpec, seenCount } from "./functions/greeter.js";
export { inbox, inboxSpec, RECENT_LIMIT, recentGreetings } from "./functions/inbox.js";
export { type GreeterOptions, greeterApp, greeterHandler, HEALTH_PATH } from "./greeter-app.js";
export { type StartedGreeter, startGreeter } from "./start-greeter.js";
