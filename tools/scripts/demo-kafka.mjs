#!/usr/bin/env node
// `npm run demo:kafka`: the greeter end to end through a real Kafka broker and the real Flink
// StateFun runtime, all on 127.0.0.1: starts the broker (tools/kafka), the greeter's function
// service and Flink with apps/greeter/module.yaml (its Kafka ingress and exactly-once egress
// pointed at the broker), produces a few names to `names` and prints the greetings read back from
// `greetings` with a read_committed consumer. Ctrl-C stops everything.
//
//   npm run demo:kafka                      # names Bob, Alice, Bob, Carol; runs until Ctrl-C
//   npm run demo:kafka -- Ann Ann Ben       # your names
//   npm run demo:kafka -- --exit            # stop once the greetings are in
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFlinkRuntime } from "../flink-runtime/flink-runtime.mjs";
import { startKafka } from "../kafka/kafka-broker.mjs";
import { produce, readTopic } from "../kafka/kafka-topics.mjs";

const root = join(import.meta.dirname, "../..");
const exitWhenDone = process.argv.includes("--exit");
const given = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const names = given.length > 0 ? given : ["Bob", "Alice", "Bob", "Carol"];
const started = Date.now();
const say = (text) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${text}`);

/** @type {Array<() => Promise<unknown> | unknown>} */
const stops = [];
let stopping = false;
async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  say("stopping Flink, the greeter and the broker...");
  for (const stop of stops.reverse()) await Promise.resolve(stop()).catch(() => {});
  process.exit(code);
}
process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === "object" && address ? address.port : 0;
}

try {
  for (const tool of ["java", "mvn"]) {
    try {
      execFileSync("bash", ["-c", `command -v ${tool}`], { stdio: "ignore" });
    } catch {
      throw new Error(
        `the demo needs '${tool}' on PATH (Kafka and Flink run on the JVM, built with Maven)`,
      );
    }
  }
  say("building the greeter...");
  execFileSync("npx", ["nx", "run", "@statefun-ts/greeter:build", "--outputStyle=static"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });

  say("starting the Kafka broker (first run: Maven downloads Kafka)...");
  const kafka = await startKafka({ topics: ["names:4", "greetings"] });
  stops.push(() => kafka.stop());
  say(
    `Kafka ready at ${kafka.bootstrap} (${kafka.startupMs} ms): topics names (4 partitions), greetings`,
  );

  const port = await freePort();
  const service = spawn(process.execPath, [join(root, "apps/greeter/dist/main.js")], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  stops.push(() => service.kill("SIGTERM"));
  await new Promise((resolve, reject) => {
    service.stdout.on("data", (d) => {
      if (String(d).includes("greeter functions at")) resolve(undefined);
    });
    service.once("exit", (code) => reject(new Error(`the greeter service exited (${code})`)));
  });
  say(`greeter functions at http://127.0.0.1:${port}/statefun`);

  const dir = mkdtempSync(join(tmpdir(), "statefun-ts-demo-kafka-"));
  stops.push(() => rmSync(dir, { recursive: true, force: true }));
  const moduleYaml = readFileSync(join(root, "apps/greeter/module.yaml"), "utf8").replace(
    /urlPathTemplate: \S+/,
    `urlPathTemplate: http://127.0.0.1:${port}/statefun`,
  );
  writeFileSync(join(dir, "module.yaml"), moduleYaml);
  say(
    "starting Flink StateFun 3.3 with apps/greeter/module.yaml (first run: Maven downloads it)...",
  );
  const flink = await startFlinkRuntime({
    moduleYaml: join(dir, "module.yaml"),
    kafka: kafka.bootstrap,
  });
  stops.push(() => flink.stop());
  say(`Flink running (${flink.startupMs} ms); its Kafka ingress and egress use ${kafka.bootstrap}`);

  const greetings = await readTopic(kafka.bootstrap, "greetings");
  stops.push(() => greetings.close());
  let printed = 0;
  const printer = setInterval(() => {
    for (; printed < greetings.records.length; printed++) {
      const r = greetings.records[printed];
      say(`greetings  key=${r.key}  ${r.value?.toString("utf8")}`);
    }
  }, 100);
  stops.push(() => clearInterval(printer));

  await produce(
    kafka.bootstrap,
    "names",
    names.map((name) => ({ key: name, value: JSON.stringify({ name }) })),
  );
  say(`produced to names: ${names.map((n) => `${n} → {"name":"${n}"}`).join(", ")}`);
  await greetings.waitFor(names.length, 120_000);
  await new Promise((r) => setTimeout(r, 300));
  say(
    `${names.length} greeting(s) read back from Kafka with isolation.level=read_committed (committed with Flink's checkpoints)`,
  );
  if (exitWhenDone) await stopAll(0);
  else say("running; produce more with kafka-console-producer or Ctrl-C to stop");
} catch (error) {
  console.error(`demo:kafka: ${error instanceof Error ? error.message : error}`);
  await stopAll(1);
}
