// Drives the smoke test through flink-runtime.mjs: starts the real runtime against the greeter
// function (already listening on the port given as argv[2]), sends messages, checks egresses,
// state counts, and a restart from a checkpoint. Exits non-zero on any failure.
import { writeFileSync } from "node:fs";
import { startFlinkRuntime } from "../flink-runtime.mjs";

const [fnPort, workDir] = process.argv.slice(2);
const moduleYaml = `${workDir}/module.yaml`;
writeFileSync(
  moduleYaml,
  `kind: io.statefun.endpoints.v2/http
spec:
  functions: com.example/*
  urlPathTemplate: http://127.0.0.1:${fnPort}/statefun
  transport:
    type: io.statefun.transports.v1/async
    call: 20s
    connect: 2s
`,
);

let passed = 0;
let failed = 0;
const check = (name, ok, detail = "") => {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${detail ? `: ${detail}` : ""}`);
};
/** Decodes an io.statefun.types/string value (StringWrapper, field 1, short strings). */
const stringWrapper = (buf) => (buf.length === 0 ? "" : buf.subarray(2).toString("utf8"));
const greet = (name) => JSON.stringify({ name });

const rt = await startFlinkRuntime({
  moduleYaml,
  egresses: ["com.example/greets", "compat/out"],
  parallelism: Number(process.env.SMOKE_PARALLELISM ?? 1),
});
writeFileSync(`${workDir}/jvm.pid`, String(rt.pid));
try {
  console.log(`runtime ready: startup_ms=${rt.startupMs} control=${rt.controlUrl}`);
  check("health is RUNNING", (await rt.health()).status === "RUNNING");

  const t0 = Date.now();
  for (const name of ["Bob", "Bob", "Alice", "Bob"]) {
    await rt.send("com.example", "greeter", name, "com.example/GreetRequest", greet(name));
  }
  const greets = await rt.waitForEgress("com.example/greets", 4);
  console.log(`4 messages through the runtime and the function in ${Date.now() - t0} ms`);
  check(
    "kafka records decoded",
    greets.every((r) => r.kafka?.topic === "greetings"),
  );
  const bob = greets.filter((r) => r.kafka.key === "Bob").map((r) => r.kafka.value.toString());
  const alice = greets.filter((r) => r.kafka.key === "Alice").map((r) => r.kafka.value.toString());
  check(
    "state counts increase per id (missing-state handshake + state)",
    JSON.stringify(bob) ===
      JSON.stringify(["Hello Bob! seen=1", "Hello Bob! seen=2", "Hello Bob! seen=3"]) &&
      JSON.stringify(alice) === JSON.stringify(["Hello Alice! seen=1"]),
    JSON.stringify({ bob, alice }),
  );

  const out = await rt.waitForEgress("compat/out", 4);
  const texts = out.map((r) => stringWrapper(r.value));
  check(
    "function-to-function message and string egress",
    out.every((r) => r.typename === "io.statefun.types/string") &&
      texts.every((t) => t.endsWith("from com.example/greeter")),
    texts[0],
  );

  await rt.waitForCheckpoint();
  const t1 = Date.now();
  await rt.fail();
  console.log(`injected failure: job restarted from its checkpoint in ${Date.now() - t1} ms`);
  await rt.send("com.example", "greeter", "Bob", "com.example/GreetRequest", greet("Bob"));
  // Egress delivery is at-least-once: a restart may replay records written after the checkpoint,
  // so look for the new record rather than assume it is the last one.
  let after = await rt.waitForEgress("com.example/greets", 5);
  const deadline = Date.now() + 30_000;
  const bobAfter = () =>
    after
      .slice(4)
      .filter((r) => r.kafka.key === "Bob")
      .map((r) => r.kafka.value.toString());
  while (!bobAfter().includes("Hello Bob! seen=4") && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    after = await rt.egress("com.example/greets");
  }
  check(
    "state survives a restart from a checkpoint",
    bobAfter().filter((t) => t === "Hello Bob! seen=4").length === 1 &&
      bobAfter().every((t) => t === "Hello Bob! seen=4"),
    JSON.stringify(bobAfter()),
  );
  const h = await rt.health();
  check("health after restart", h.status === "RUNNING" && h.sourceStarts === 2, JSON.stringify(h));
} catch (e) {
  failed++;
  console.log(`FAIL ${e.stack}`);
  console.log(rt.logs().split("\n").slice(-40).join("\n"));
} finally {
  await rt.stop();
}
console.log(`smoke: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
