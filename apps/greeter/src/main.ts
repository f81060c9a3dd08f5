// The function service alone, for a runtime elsewhere (Flink, or `statefun-ts dev`):
// PORT (default 8000), HOST (default 127.0.0.1), DELAY_MS (default 30 minutes); logs through pino
// (JSON lines, readable on a terminal) at --log-level or LOG_LEVEL (default info).
import { DEFAULT_DELAY_MS } from "./functions/delayed.js";
import { greeterApp } from "./greeter-app.js";
import { greeterLogger } from "./greeter-logger.js";

const port = Number(process.env.PORT ?? 8000);
const host = process.env.HOST ?? "127.0.0.1";
const delayMs = Number(process.env.DELAY_MS ?? DEFAULT_DELAY_MS);

const logger = greeterLogger(process.argv.slice(2));
const server = greeterApp({ delayMs, handler: { logger } }).listen(port, host, () => {
  logger.info(`greeter functions at http://${host}:${port}/statefun`);
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
