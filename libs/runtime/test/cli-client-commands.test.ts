// The CLI's client subcommands against a running runtime: `send` (text, typed, registry JSON
// checked before it leaves), `egress tail` (with --from and --follow), and `module` (a
// module.yaml the runtime's parser accepts); each with --help and its documented exit codes.
import { KafkaEgressBuilder, statefulFunctionsBuilder, typeNameFrom } from "@statefun-ts/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseModuleYaml, type Runtime } from "../src/index.js";
import { type Child, spawnCli } from "./child-runtime.js";
import { memoryLog, moduleYaml, runtimeFor, serve, tempDir } from "./harness.js";

const ECHO = typeNameFrom("com.example.cli/echo");
const OUT = typeNameFrom("com.example.cli/out");
let runtime: Runtime;
let closeFunctions: () => Promise<void>;
const temp = tempDir();

async function cli(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawnCli(args);
  const code = await child.exited;
  return { code, output: child.output() };
}

async function waitForOutput(child: Child, text: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!child.output().includes(text)) {
    if (Date.now() > deadline) throw new Error(`no "${text}" in:\n${child.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  const handler = statefulFunctionsBuilder()
    .withSpec({
      functionType: ECHO,
      function: (ctx, message) => {
        const text = message.isString()
          ? message.asString()
          : `${message.valueTypeName()} ${new TextDecoder().decode(message.rawValue())}`;
        ctx.sendEgress(
          new KafkaEgressBuilder({
            target: OUT,
            topic: "echoes",
            key: ctx.self.id,
            value: `echo ${text}`,
          }),
        );
      },
    })
    .asHandler();
  const functions = await serve(handler);
  closeFunctions = functions.close;
  const egress =
    "---\nkind: io.statefun.kafka.v1/egress\nspec:\n  id: com.example.cli/out\n  address: kafka:9092\n";
  runtime = await runtimeFor(
    moduleYaml("com.example.cli", functions.url, egress),
    ":memory:",
    memoryLog(),
  );
});

afterAll(async () => {
  await runtime.close();
  await closeFunctions();
  temp.cleanup();
});

describe("statefun-ts send", () => {
  it("sends a string through the ingress (exit 0), and a typed value with --typename", async () => {
    const plain = await cli([
      "send",
      "com.example.cli/echo/Bob",
      "hello",
      "--url",
      runtime.ingressUrl,
    ]);
    expect(plain).toEqual({ code: 0, output: "sent to com.example.cli/echo/Bob\n" });
    const typed = await cli([
      "send",
      "com.example.cli/echo/Ann",
      '{"name":"Ann"}',
      "--typename",
      "com.example/GreetRequest",
      "--json",
      "--url",
      runtime.ingressUrl,
    ]);
    expect(typed.code, typed.output).toBe(0);
    const tail = await cli(["egress", "tail", "echoes", "--url", runtime.egressUrl]);
    expect(tail.code).toBe(0);
    expect(tail.output).toContain("0 Bob: echo hello\n");
    expect(tail.output).toContain('1 Ann: echo com.example/GreetRequest {"name":"Ann"}\n');
  });

  it("refuses JSON that is not valid for its registry type before sending (exit 2)", async () => {
    const bad = await cli([
      "send",
      "com.example.cli/echo/Ann",
      '{"nom":"Ann"}',
      "--typename",
      "com.example/GreetRequest",
      "--json",
      "--url",
      runtime.ingressUrl,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.output).toContain("is not a valid com.example/GreetRequest");
    const notJson = await cli([
      "send",
      "com.example.cli/echo/Ann",
      "{",
      "--typename",
      "com.example/GreetRequest",
      "--json",
    ]);
    expect(notJson.code).toBe(2);
    expect(notJson.output).toContain("not JSON");
    const noTypename = await cli(["send", "com.example.cli/echo/Ann", "{}", "--json"]);
    expect(noTypename).toMatchObject({ code: 2 });
    expect(noTypename.output).toContain("--json needs --typename");
  });

  it("exits 1 with the ingress's reason when refused, and when the runtime is not reachable", async () => {
    const refused = await cli([
      "send",
      "com.example.other/fn/x",
      "hi",
      "--url",
      runtime.ingressUrl,
    ]);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/the ingress refused it \(4\d\d\)/);
    const unreachable = await cli([
      "send",
      "com.example.cli/echo/x",
      "hi",
      "--url",
      "http://127.0.0.1:1",
    ]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.output).toContain("cannot reach the runtime");
  });

  it("exits 2 on a malformed address, with the expected form", async () => {
    const result = await cli(["send", "greeter", "hi"]);
    expect(result.code).toBe(2);
    expect(result.output).toContain("<namespace>/<type>/<id>");
  });
});

describe("statefun-ts egress tail", () => {
  it("starts at --from, and --follow prints new records until interrupted (exit 0)", async () => {
    expect(
      (await cli(["send", "com.example.cli/echo/Dee", "first", "--url", runtime.ingressUrl])).code,
    ).toBe(0);
    let all = "";
    while (!all.includes("Dee: echo first")) {
      all = (await cli(["egress", "tail", "echoes", "--url", runtime.egressUrl])).output;
    }
    const lines = all.trim().split("\n");
    const last = lines.at(-1)!;
    const from = await cli([
      "egress",
      "tail",
      "echoes",
      "--from",
      String(lines.length - 1),
      "--url",
      runtime.egressUrl,
    ]);
    expect(from).toEqual({ code: 0, output: `${last}\n` });
    const follow = spawnCli(["egress", "tail", "echoes", "--follow", "--url", runtime.egressUrl]);
    await waitForOutput(follow, last);
    expect(
      (await cli(["send", "com.example.cli/echo/Cy", "later", "--url", runtime.ingressUrl])).code,
    ).toBe(0);
    await waitForOutput(follow, "Cy: echo later");
    follow.process.kill("SIGINT");
    expect(await follow.exited).toBe(0);
  });

  it("prints nothing for a topic without records (exit 0), exits 1 when unreachable, 2 without a topic", async () => {
    expect(await cli(["egress", "tail", "nothing-here", "--url", runtime.egressUrl])).toEqual({
      code: 0,
      output: "",
    });
    const unreachable = await cli(["egress", "tail", "echoes", "--url", "http://127.0.0.1:1"]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.output).toContain("cannot reach the runtime");
    expect((await cli(["egress", "tail"])).code).toBe(2);
  });
});

describe("statefun-ts module", () => {
  it("prints a module.yaml the runtime's parser accepts, with the endpoint and functions", async () => {
    const result = await cli([
      "module",
      "--endpoint",
      "http://greeter-functions:8000/statefun",
      "--functions",
      "com.example.fns/*",
      "--kafka-egress",
      "com.example/greets@kafka:9092",
    ]);
    expect(result.code).toBe(0);
    const module = parseModuleYaml(result.output);
    expect(module.endpoints.map((e) => [e.namespace, e.name, e.urlPathTemplate])).toEqual([
      ["com.example.fns", undefined, "http://greeter-functions:8000/statefun"],
    ]);
    expect(module.egresses).toEqual([{ id: "com.example/greets", kind: "kafka" }]);
  });

  it("exits 2 without --endpoint or with a bad function pattern, printing nothing on stdout", async () => {
    expect((await cli(["module", "--functions", "com.example.fns/*"])).code).toBe(2);
    const bad = await cli(["module", "--endpoint", "http://x:1/", "--functions", "nonamespace"]);
    expect(bad.code).toBe(2);
    expect(bad.output).not.toContain("kind:");
  });
});

describe("--help", () => {
  it.each([["send"], ["egress"], ["module"]])(
    "statefun-ts %s --help documents the exit codes",
    async (name) => {
      const result = await cli([name, "--help"]);
      expect(result.code).toBe(0);
      expect(result.output).toContain(`Usage: statefun-ts ${name}`);
      expect(result.output).toContain("Exit codes:");
    },
  );

  it("lists the subcommands", async () => {
    const result = await cli(["--help"]);
    for (const name of ["dev", "dead-letters", "send", "egress", "module"]) {
      expect(result.output).toContain(`  ${name}`);
    }
  });
});
