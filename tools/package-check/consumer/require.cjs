// A CommonJS project: require() of the ES-module packages (Node 20.19+ and 22.12+), then the
// test kit driving a function written in CommonJS.
const assert = require("node:assert/strict");
const sdk = require("@statefun-ts/sdk");
const wire = require("@statefun-ts/sdk/wire");
const registry = require("@statefun-ts/registry");
const runtime = require("@statefun-ts/runtime");
const testing = require("@statefun-ts/testing");

assert.equal(typeof sdk.statefulFunctionsBuilder, "function");
assert.equal(typeof wire, "object");
assert.equal(typeof registry.makeRegistryType, "function");
assert.equal(typeof runtime.startRuntime, "function");
assert.equal(typeof testing.createTestEnvironment, "function");

const COUNTER = sdk.typeNameFrom("com.example.cjs/counter");
const hits = { name: "hits", valueType: sdk.Int32Type };

async function main() {
  const env = await testing.createTestEnvironment({
    functions: [
      {
        functionType: COUNTER,
        states: [hits],
        function: (ctx) => ctx.storage.set(hits, (ctx.storage.get(hits) ?? 0) + 1),
      },
    ],
  });
  await env.send({ target: { functionType: COUNTER, id: "a" }, value: "x" });
  assert.equal(env.state({ functionType: COUNTER, id: "a" }, hits), 1);
  await env.close();
  console.log("require ok");
}
main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
