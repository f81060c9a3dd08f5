// module.yaml rules beyond the common cases: every refusal with its full message (file,
// document, field, what to write), byte sizes, transport defaults and types, legacy documents,
// egress kinds, and the endpoint lookup helpers. Found missing by the mutation run
// (module-yaml.ts).
import { describe, expect, it } from "vitest";
import { parseFlinkDuration } from "../src/duration.js";
import { ModuleYamlError, RuntimeError } from "../src/errors.js";
import {
  describeEndpoints,
  findEndpoint,
  functionUrl,
  loadModuleYaml,
  parseByteSize,
  parseModuleYaml,
} from "../src/module-yaml.js";

const V2 = "io.statefun.endpoints.v2/http";
const endpoint = (spec: string) =>
  `kind: ${V2}\nspec: {functions: 'a/*', urlPathTemplate: 'http://x', ${spec}}`;

function refusal(text: string): string {
  try {
    parseModuleYaml(text, "m.yaml");
  } catch (error) {
    expect(error).toBeInstanceOf(ModuleYamlError);
    return (error as Error).message;
  }
  throw new Error("expected a ModuleYamlError");
}

describe("parseModuleYaml refusals, with their whole message", () => {
  it.each([
    [
      "a list document",
      "- 1\n- 2",
      'm.yaml, document 1: expected a mapping with "kind" and "spec", got [1,2]',
    ],
    [
      "an empty spec",
      `kind: ${V2}\nspec:`,
      `m.yaml, document 1 (kind ${V2}): field "spec" must be a mapping`,
    ],
    [
      "a spec that is not a mapping",
      `kind: ${V2}\nspec: 7`,
      `m.yaml, document 1 (kind ${V2}): field "spec" must be a mapping`,
    ],
    [
      "an egress without a valid id",
      "kind: io.statefun.kafka.v1/egress\nspec: {id: nons}",
      'm.yaml, document 1 (kind io.statefun.kafka.v1/egress): field "spec.id" must be an egress id "<namespace>/<name>", got "nons"',
    ],
    [
      "an egress id that is not a string",
      "kind: io.statefun.kinesis.v1/egress\nspec: {id: 5}",
      'm.yaml, document 1 (kind io.statefun.kinesis.v1/egress): field "spec.id" must be an egress id "<namespace>/<name>", got 5',
    ],
    [
      "a legacy version other than 3.0",
      "version: '2.0'\nmodule: {}",
      'm.yaml, document 1: field "version" is "2.0"; only the 3.0 legacy format or the kind/spec format is supported',
    ],
    [
      "a legacy module without endpoints",
      "version: '3.0'\nmodule: {spec: {}}",
      'm.yaml, document 1: field "module.spec.endpoints" must be a list',
    ],
    [
      "a legacy endpoint without a spec",
      "version: '3.0'\nmodule: {spec: {endpoints: [{endpoint: {meta: {}}}]}}",
      'm.yaml, document 1: field "module.spec.endpoints[0].endpoint.spec" must be a mapping',
    ],
    [
      "a functions field that is not a string",
      `kind: ${V2}\nspec: {functions: 7, urlPathTemplate: 'http://x'}`,
      `m.yaml, document 1 (kind ${V2}): field "spec.functions" must be "<namespace>/<name>" or "<namespace>/*", got 7`,
    ],
    [
      "a blank URL template",
      `kind: ${V2}\nspec: {functions: 'a/*', urlPathTemplate: '   '}`,
      `m.yaml, document 1 (kind ${V2}): field "spec.urlPathTemplate" is required, e.g. "http://localhost:8000/statefun" or "http://localhost:8000/{function.name}"`,
    ],
    [
      "a relative URL template",
      `kind: ${V2}\nspec: {functions: 'a/*', urlPathTemplate: '/statefun'}`,
      `m.yaml, document 1 (kind ${V2}): field "spec.urlPathTemplate" "/statefun" is not an absolute URL`,
    ],
    [
      "an unsupported URL scheme",
      `kind: ${V2}\nspec: {functions: 'a/*', urlPathTemplate: 'ftp://x/{function.name}'}`,
      `m.yaml, document 1 (kind ${V2}): field "spec.urlPathTemplate" uses ftp:; the local runtime supports http:, https:, http+unix: and https+unix:`,
    ],
    [
      "a transport that is not a mapping",
      endpoint("transport: fast"),
      `m.yaml, document 1 (kind ${V2}): field "spec.transport" must be a mapping`,
    ],
    [
      "an unknown transport type",
      endpoint("transport: {type: io.statefun.transports.v1/grpc}"),
      `m.yaml, document 1 (kind ${V2}): field "spec.transport.type" is "io.statefun.transports.v1/grpc"; use io.statefun.transports.v1/async or io.statefun.transports.v1/okhttp`,
    ],
    [
      "a zero call timeout",
      endpoint("transport: {call: 0}"),
      `m.yaml, document 1 (kind ${V2}): field "spec.transport.call" must be larger than 0`,
    ],
    [
      "a zero connect timeout in a legacy timeouts block",
      endpoint("transport: {timeouts: {connect: '0 s'}}"),
      `m.yaml, document 1 (kind ${V2}): field "spec.transport.timeouts.connect" must be larger than 0`,
    ],
    [
      "a bad v1 timeout",
      "kind: io.statefun.endpoints.v1/http\nspec: {functions: 'a/*', urlPathTemplate: 'http://x', timeouts: {call: soon}}",
      'm.yaml, document 1 (kind io.statefun.endpoints.v1/http): field "spec.timeouts.call": "soon" is not a duration: write a whole number and a unit, e.g. "1m", "30 s", "2min", "10seconds"',
    ],
    [
      "a legacy endpoint with a bad URL, named by its position",
      "version: '3.0'\nmodule: {spec: {endpoints: [{endpoint: {spec: {functions: 'a/*', urlPathTemplate: 'x'}}}]}}",
      'm.yaml, document 1, endpoints[0]: field "spec.urlPathTemplate" "x" is not an absolute URL',
    ],
    [
      "a bad byte size",
      endpoint("maxBatchBytes: lots"),
      `m.yaml, document 1 (kind ${V2}): field "spec.maxBatchBytes" must be a size in bytes, e.g. 16777216 or "16MiB", got "lots"`,
    ],
  ])("%s", (_, text, message) => {
    expect(refusal(text)).toBe(message);
  });

  it("names module.yaml when no file name is given", () => {
    expect(() => parseModuleYaml("7")).toThrow(
      'module.yaml, document 1: expected a mapping with "kind" and "spec", got 7',
    );
  });

  it("says how to pass a module file that cannot be read", () => {
    expect(() => loadModuleYaml("/nonexistent/dir/module.yaml")).toThrow(
      /^cannot read module file \/nonexistent\/dir\/module\.yaml: .+; pass the path of your module\.yaml with --module$/,
    );
  });
});

describe("parseModuleYaml readings", () => {
  it("skips empty documents and counts them in the document numbers", () => {
    const config = parseModuleYaml(
      `---\n---\nkind: ${V2}\nspec: {functions: 'a/f', urlPathTemplate: 'http://x'}\n`,
      "m.yaml",
    );
    expect(config.endpoints.map((e) => e.source)).toEqual([`m.yaml, document 2 (kind ${V2})`]);
    expect(config.notes).toEqual([]);
    expect(config.egresses).toEqual([]);
  });

  it("reads Kafka and Kinesis egresses with a note each, and notes other kinds as ignored", () => {
    const config = parseModuleYaml(
      [
        "kind: io.statefun.kafka.v1/egress\nspec: {id: com.example/out}",
        "kind: io.statefun.kinesis.v1/egress\nspec: {id: com.example/stream}",
        "kind: io.statefun.kafka.v1/ingress\nspec: {id: com.example/in}",
        "kind: com.example.custom/egress\nspec: {id: com.example/other}",
      ].join("\n---\n"),
      "m.yaml",
    );
    expect(config.egresses).toEqual([
      { id: "com.example/out", kind: "kafka" },
      { id: "com.example/stream", kind: "kinesis" },
    ]);
    expect(config.notes).toEqual([
      "m.yaml, document 1: io.statefun.kafka.v1/egress com.example/out is served locally by the egress server",
      "m.yaml, document 2: io.statefun.kinesis.v1/egress com.example/stream is served locally by the egress server",
      "m.yaml, document 3: kind io.statefun.kafka.v1/ingress is ignored by the local runtime (use its HTTP ingress)",
      "m.yaml, document 4: kind com.example.custom/egress is ignored by the local runtime (use its HTTP ingress)",
    ]);
  });

  it("gives each transport type its defaults and keeps the URL template as written", () => {
    const config = parseModuleYaml(
      [
        `kind: ${V2}\nspec: {functions: 'a/x', urlPathTemplate: 'http://h/{function.name}'}`,
        `kind: ${V2}\nspec: {functions: 'a/y', urlPathTemplate: 'http://h', transport: {type: io.statefun.transports.v1/okhttp}}`,
        `kind: ${V2}\nspec: {functions: 'a/z', urlPathTemplate: 'http://h', transport: {type: io.statefun.transports.v1/async, call: 5s, connect: null}}`,
        "kind: io.statefun.endpoints.v1/http\nspec: {functions: 'b/*', urlPathTemplate: 'http://h'}",
      ].join("\n---\n"),
    );
    expect(
      config.endpoints.map((e) => [
        e.name,
        e.urlPathTemplate,
        e.callTimeoutMs,
        e.connectTimeoutMs,
        e.maxNumBatchRequests,
        "maxBatchBytes" in e,
      ]),
    ).toEqual([
      ["x", "http://h/{function.name}", 120_000, 20_000, 1000, false],
      ["y", "http://h", 60_000, 10_000, 1000, false],
      ["z", "http://h", 5_000, 20_000, 1000, false],
      [undefined, "http://h", 60_000, 10_000, 1000, false],
    ]);
  });

  it("reads maxBatchBytes with units", () => {
    const config = parseModuleYaml(endpoint("maxBatchBytes: 16MiB"));
    expect(config.endpoints[0]?.maxBatchBytes).toBe(16 * 1024 * 1024);
  });
});

describe("parseByteSize", () => {
  it.each<[unknown, number]>([
    [1, 1],
    [16777216, 16777216],
    ["512", 512],
    ["100b", 100],
    ["2kb", 2000],
    ["512 KiB", 524_288],
    ["1mb", 1_000_000],
    [" 16 MiB ", 16_777_216],
    ["1.5kb", 1500],
    ["1.25kb", 1250],
    ["2GB", 2_000_000_000],
    ["1gib", 1024 ** 3],
  ])("%j is %d bytes", (value, bytes) => {
    expect(parseByteSize(value, "here")).toBe(bytes);
  });

  it.each<unknown>([
    0,
    "0",
    "0.5b",
    -1,
    "-1kb",
    "1 TB",
    "lots",
    "1.5.2kb",
    "kb",
    "x1kb",
    "1kb x",
    1e300,
  ])("refuses %j, naming the field and an example", (value) => {
    expect(() => parseByteSize(value, "here")).toThrow(
      `here: field "spec.maxBatchBytes" must be a size in bytes, e.g. 16777216 or "16MiB", got ${JSON.stringify(value)}`,
    );
  });
});

describe("parseFlinkDuration at its edges", () => {
  it.each<unknown>([-5, 1.5, "x5s", "5s 3", "5s1", true])("refuses %j", (value) => {
    expect(() => parseFlinkDuration(value)).toThrow(RuntimeError);
  });

  it("says what a duration looks like when the value is not text", () => {
    expect(() => parseFlinkDuration(-5)).toThrow(
      'expected a duration such as "1m", "30 s" or "10seconds", got -5',
    );
  });

  it("takes 0 and whole numbers of milliseconds as they are", () => {
    expect(parseFlinkDuration(0)).toBe(0);
    expect(parseFlinkDuration(1500)).toBe(1500);
    expect(parseFlinkDuration(" 7 ")).toBe(7);
  });
});

describe("endpoint lookup", () => {
  const config = parseModuleYaml(
    [
      `kind: ${V2}\nspec: {functions: 'ns/*', urlPathTemplate: 'http://all/{function.name}'}`,
      `kind: ${V2}\nspec: {functions: 'ns/special', urlPathTemplate: 'http://special'}`,
      `kind: ${V2}\nspec: {functions: 'other/only', urlPathTemplate: 'http://only'}`,
    ].join("\n---\n"),
  );

  it("prefers the exact function type over the namespace pattern, whatever the order", () => {
    expect(findEndpoint(config, "ns", "special")?.urlPathTemplate).toBe("http://special");
    expect(findEndpoint(config, "ns", "any")?.urlPathTemplate).toBe("http://all/{function.name}");
    expect(findEndpoint(config, "other", "only")?.urlPathTemplate).toBe("http://only");
    expect(findEndpoint(config, "other", "else")).toBeUndefined();
    expect(findEndpoint(config, "none", "special")).toBeUndefined();
  });

  it("puts the URL-encoded name into the template", () => {
    expect(functionUrl(findEndpoint(config, "ns", "a b/c")!, "a b/c")).toBe("http://all/a%20b%2Fc");
  });

  it("lists the served patterns, or says there are none", () => {
    expect(describeEndpoints(config)).toBe("ns/*, ns/special, other/only");
    expect(describeEndpoints(parseModuleYaml(""))).toBe("none (the module declares no endpoint)");
  });
});
