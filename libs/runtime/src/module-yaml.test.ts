// module.yaml parsing: endpoints, egresses, durations, defaults and the errors for bad documents.
import { describe, expect, it } from "vitest";
import { parseFlinkDuration } from "./duration.js";
import { ModuleYamlError } from "./errors.js";
import { findEndpoint, functionUrl, parseModuleYaml } from "./module-yaml.js";

describe("parseFlinkDuration", () => {
  it.each([
    ["1m", 60_000],
    ["30 s", 30_000],
    ["2min", 120_000],
    ["10seconds", 10_000],
    ["1minute", 60_000],
    ["15 MIN", 900_000],
    ["250ms", 250],
    ["500", 500],
    ["1h", 3_600_000],
  ])("%s is %d ms", (text, ms) => {
    expect(parseFlinkDuration(text)).toBe(ms);
  });

  it("names the bad unit", () => {
    expect(() => parseFlinkDuration("3 fortnights")).toThrow('unknown time unit "fortnights"');
    expect(() => parseFlinkDuration("soon")).toThrow("is not a duration");
  });
});

describe("parseModuleYaml", () => {
  it("reads v2 endpoints with transport timeouts, egress ids, and ignores other kinds with a note", () => {
    const config = parseModuleYaml(`
kind: io.statefun.endpoints.v2/http
spec:
  functions: com.example.fns/*
  urlPathTemplate: http://localhost:8000/{function.name}
  maxNumBatchRequests: 50
  transport:
    type: io.statefun.transports.v1/async
    call: 2min
    connect: 10seconds
---
kind: io.statefun.endpoints.v2/http
spec:
  functions: com.example.fns/special
  urlPathTemplate: http://localhost:9000/statefun
---
kind: io.statefun.kafka.v1/egress
spec:
  id: com.example/greets
  address: kafka:9092
---
kind: io.statefun.kafka.v1/ingress
spec:
  id: com.example/names
`);
    const wildcard = findEndpoint(config, "com.example.fns", "greeter");
    expect(wildcard).toMatchObject({
      maxNumBatchRequests: 50,
      callTimeoutMs: 120_000,
      connectTimeoutMs: 10_000,
    });
    expect(wildcard && functionUrl(wildcard, "greeter")).toBe("http://localhost:8000/greeter");
    expect(findEndpoint(config, "com.example.fns", "special")).toMatchObject({
      urlPathTemplate: "http://localhost:9000/statefun",
      maxNumBatchRequests: 1000,
      callTimeoutMs: 120_000,
      connectTimeoutMs: 20_000,
    });
    expect(findEndpoint(config, "other", "greeter")).toBeUndefined();
    expect(config.egresses).toEqual([{ id: "com.example/greets", kind: "kafka" }]);
    expect(config.notes.some((n) => n.includes("io.statefun.kafka.v1/ingress is ignored"))).toBe(
      true,
    );
  });

  it("lets a legacy timeouts block win with its defaults, and reads the v1 kind and the 3.0 format", () => {
    const legacy = parseModuleYaml(`
kind: io.statefun.endpoints.v2/http
spec:
  functions: a/*
  urlPathTemplate: http://localhost:1/x
  transport:
    type: io.statefun.transports.v1/okhttp
    timeouts:
      call: 30 s
`);
    expect(legacy.endpoints[0]).toMatchObject({ callTimeoutMs: 30_000, connectTimeoutMs: 10_000 });
    const v30 = parseModuleYaml(`
version: "3.0"
module:
  meta:
    type: remote
  spec:
    endpoints:
      - endpoint:
          meta:
            kind: http
          spec:
            functions: com.foo.bar/*
            urlPathTemplate: http://bar.foo.com:8080/functions/{function.name}
            timeouts: { call: 1minutes, connect: 10seconds }
            maxNumBatchRequests: 10000
`);
    expect(v30.endpoints[0]).toMatchObject({
      namespace: "com.foo.bar",
      name: undefined,
      maxNumBatchRequests: 10000,
      callTimeoutMs: 60_000,
    });
  });

  it.each([
    ["kind: x\nspec: {}", 'document 1: field "kind" must be a typename'],
    [
      "kind: io.statefun.endpoints.v2/http\nspec: {functions: 'a/b/c', urlPathTemplate: 'http://x'}",
      'field "spec.functions" must be "<namespace>/<name>"',
    ],
    [
      "kind: io.statefun.endpoints.v2/http\nspec: {functions: 'a/*'}",
      'field "spec.urlPathTemplate" is required',
    ],
    [
      "kind: io.statefun.endpoints.v2/http\nspec: {functions: 'a/*', urlPathTemplate: 'http://x', transport: {call: 'soon'}}",
      'field "spec.transport.call": "soon" is not a duration',
    ],
    [
      "kind: io.statefun.endpoints.v2/http\nspec: {functions: 'a/*', urlPathTemplate: 'http://x', maxNumBatchRequests: many}",
      'field "spec.maxNumBatchRequests" must be an integer',
    ],
    [
      "---\nkind: io.statefun.endpoints.v2/http\nspec: {functions: 'a/*', urlPathTemplate: 'http://x'}\n---\nkind: io.statefun.endpoints.v2/http\nspec: {functions: 'a/*', urlPathTemplate: 'http://y'}",
      'document 2 (kind io.statefun.endpoints.v2/http): functions "a/*" are already served',
    ],
    ["kind: [unclosed", "invalid YAML"],
  ])("rejects %j naming the file, document and field", (text, message) => {
    expect(() => parseModuleYaml(text, "my/module.yaml")).toThrow(ModuleYamlError);
    expect(() => parseModuleYaml(text, "my/module.yaml")).toThrow(message);
    expect(() => parseModuleYaml(text, "my/module.yaml")).toThrow("my/module.yaml, document");
  });
});
