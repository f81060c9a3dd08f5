// Serving the greeter from a fetch-style runtime: Hono routes POST /statefun to the fetch handler.
// The same `app` runs on Bun (`export default app`), Deno (`Deno.serve(app.fetch)`), Cloudflare
// Workers (`export default app`) and Node (`@hono/node-server`).
import { Int32Type, statefulFunctionsBuilder, typeNameFrom } from "@statefun-ts/sdk";
import { Hono } from "hono";
import { Greeter } from "./greeter.js";

const greeter = new Greeter({ name: "seen_count", valueType: Int32Type });

const handler = statefulFunctionsBuilder()
  .withSpec({
    functionType: typeNameFrom("com.example.fns/greeter"),
    states: [greeter.seenCount],
    function: greeter,
  })
  .asFetchHandler({ invocationTimeoutMs: 30_000 });

export const app = new Hono();
app.post("/statefun", (c) => handler(c.req.raw));
