// The test kit on the greeter: state and egress after two greetings.
import { strict as assert } from "node:assert";
import { createTestEnvironment } from "@statefun-ts/testing";
import { GREETER, GREETS, greeterSpec, seenCount } from "./functions.mjs";

const env = await createTestEnvironment({ functions: [greeterSpec] });
await env.send({ target: { functionType: GREETER, id: "Bob" }, value: "Bob" });
await env.send({ target: { functionType: GREETER, id: "Bob" }, value: "Bob" });
assert.equal(env.state({ functionType: GREETER, id: "Bob" }, seenCount), 2);
assert.deepEqual(
  env.egress(GREETS).map((r) => `${r.topic} ${r.key}: ${r.text()}`),
  ["greetings Bob: Hello Bob for the 1th time!", "greetings Bob: Hello Bob for the 2th time!"],
);
await env.close();
console.log("test kit ok");
