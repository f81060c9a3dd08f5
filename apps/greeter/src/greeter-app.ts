import { type RequestReplyHandler, statefulFunctionsBuilder } from "@statefun-ts/sdk";
import express from "express";
import { DEFAULT_DELAY_MS, delayedSpec } from "./functions/delayed.js";
import { greeterSpec } from "./functions/greeter.js";
import { inboxSpec } from "./functions/inbox.js";

/** Options of the greeter service. */
export interface GreeterOptions {
  /** Delay of the delayed-message example (default 30 minutes; env `DELAY_MS`). */
  readonly delayMs?: number;
}

/** The handler serving the greeter, the inbox and the delayed-message example. */
export function greeterHandler(options: GreeterOptions = {}): RequestReplyHandler {
  return statefulFunctionsBuilder()
    .withSpec(greeterSpec)
    .withSpec(inboxSpec)
    .withSpec(delayedSpec(options.delayMs ?? DEFAULT_DELAY_MS))
    .asHandler();
}

/** Where the greeter answers health checks (Docker HEALTHCHECK, Kubernetes probes). */
export const HEALTH_PATH = "/healthz";

/** The express app: the functions at `POST /statefun`, a health check at `GET /healthz`. */
export function greeterApp(options: GreeterOptions = {}): express.Express {
  const app = express();
  app.post("/statefun", greeterHandler(options));
  app.get(HEALTH_PATH, (_request, response) => {
    response.type("text/plain").send("ok");
  });
  return app;
}
