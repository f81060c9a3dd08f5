// Type-checks an ES-module TypeScript user of the published declarations (tsc --noEmit).
import { makeRegistryType, type RegistryType, type Validator } from "@statefun-ts/registry";
import { type Runtime, startRuntime } from "@statefun-ts/runtime";
import {
  type Context,
  Int32Type,
  type Message,
  statefulFunctionsBuilder,
  typeNameFrom,
  type ValueSpec,
} from "@statefun-ts/sdk";
import { createTestEnvironment, type TestEnvironment } from "@statefun-ts/testing";

const seen: ValueSpec<number> = { name: "seen", valueType: Int32Type };
const validate: Validator = (data: unknown) => typeof data === "object" && data !== null;
const greeting: RegistryType<{ name: string }> = makeRegistryType(
  "com.example/GreetRequest",
  validate,
);

export const handler = statefulFunctionsBuilder()
  .withSpec({
    functionType: typeNameFrom("com.example.fns/greeter"),
    states: [seen],
    function: (ctx: Context, message: Message) => {
      const name: string = message.is(greeting) ? message.as(greeting).name : message.asString();
      ctx.storage.set(seen, (ctx.storage.get(seen) ?? 0) + name.length);
    },
  })
  .asHandler();

export async function both(): Promise<[Runtime, TestEnvironment]> {
  const runtime = await startRuntime({ module: "kind: x", ingressPort: 0, egressPort: 0 });
  const env = await createTestEnvironment({
    functions: { handler, functionTypes: ["com.example.fns/*"] },
  });
  return [runtime, env];
}
