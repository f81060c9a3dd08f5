// The same handler mounted on an express app: app.post("/statefun", handler).
import { Int32Type, statefulFunctionsBuilder, typeNameFrom } from "@statefun-ts/sdk";
import express from "express";
import { Greeter } from "./greeter.js";

export function app(): express.Express {
  const greeter = new Greeter({ name: "seen_count", valueType: Int32Type });
  const handler = statefulFunctionsBuilder()
    .withSpec({
      functionType: typeNameFrom("com.example.fns/greeter"),
      states: [greeter.seenCount],
      function: greeter,
    })
    .asHandler();

  const app = express();
  app.post("/statefun", handler);
  return app;
}

if (import.meta.url === `file://${process.argv[1]}`) app().listen(8000);
