// Builds and tests the Go, Java and Python registry packages with their own toolchains (go vet +
// go test, mvn verify, pip install + unittest), compile-checks them against the official SDKs
// (Go v3.3.0, Java 3.3.0 + Jackson, PyPI apache-flink-statefun 3.3.0) and round-trips every
// schema example through each language's StateFun type: the example's JSON exactly as the
// TypeScript type writes it (JSON.stringify), and the same with the Go SDK's trailing newline,
// goes through deserialize then serialize; the result must be the same JSON value.
// The command line is check-languages-cli.ts.
import { type ExecFileSyncOptions, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { WORKSPACE_ROOT } from "./generate.js";
import { loadSchemas } from "./load-registry.js";
import { readRegistryConfig } from "./registry-config.js";
import type { JsonValue, SchemaModel } from "./schema-model.js";

/** A language the check covers. */
export type CheckedLanguage = "go" | "java" | "python";

/** One example as it goes to every language. */
export interface ExampleCase {
  readonly typeName: string;
  readonly label: string;
  readonly json: string;
}

/** The outcome for one language: the cases that failed (empty = all passed). */
export interface LanguageResult {
  readonly language: CheckedLanguage;
  readonly cases: number;
  readonly failures: string[];
  readonly ms: number;
}

const run = (command: string, args: readonly string[], options: ExecFileSyncOptions = {}): string =>
  execFileSync(command, args, {
    encoding: "utf8",
    stdio: "pipe", // a failure's error carries stderr; a pass prints nothing
    maxBuffer: 64 * 1024 * 1024,
    ...options,
  }) as string;

// The configured output folder of a language (absolute).
function outputDir(language: CheckedLanguage): string {
  const dir = readRegistryConfig(WORKSPACE_ROOT).outputs[language];
  if (dir === null) throw new Error(`registry.config.json skips ${language}: nothing to check`);
  return join(WORKSPACE_ROOT, dir);
}

/** Every example as the TS type writes it, and with Go's trailing newline. */
export function exampleCases(models: readonly SchemaModel[]): ExampleCase[] {
  return models.flatMap((m) =>
    m.examples.flatMap((example, index) => [
      {
        typeName: m.typeName,
        label: `${m.file}#/examples/${index}`,
        json: JSON.stringify(example),
      },
      {
        typeName: m.typeName,
        label: `${m.file}#/examples/${index} + "\\n"`,
        json: `${JSON.stringify(example)}\n`,
      },
    ]),
  );
}

// The folder holding `marker` (go.mod, pom.xml, pyproject.toml) at or above a language's output.
function packageRoot(language: CheckedLanguage, marker: string): string {
  const output = outputDir(language);
  for (let dir = output; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, marker))) return dir;
  }
  throw new Error(
    `no ${marker} at or above ${output}: the ${language} output must live in a package of its own`,
  );
}

function checkGo(models: readonly SchemaModel[], casesFile: string, work: string): string {
  const module = packageRoot("go", "go.mod");
  const modulePath = /^module\s+(\S+)/m.exec(readFileSync(join(module, "go.mod"), "utf8"))?.[1];
  if (modulePath === undefined) throw new Error(`${module}/go.mod declares no module`);
  const importPath = [modulePath, relative(module, outputDir("go")).split(sep).join("/")]
    .filter((p) => p !== "")
    .join("/");
  // the module's own checks, as its README says: vet and test
  run("go", ["vet", "./..."], { cwd: module });
  run("go", ["test", "./..."], { cwd: module });
  const dir = join(work, "go");
  mkdirSync(dir, { recursive: true });
  const goMod = readFileSync(join(module, "go.mod"), "utf8")
    .replace(/^module .*$/m, "module typegencheck")
    .concat(`\nrequire ${modulePath} v0.0.0\n`, `replace ${modulePath} => ${module}\n`);
  writeFileSync(join(dir, "go.mod"), goMod);
  writeFileSync(join(dir, "go.sum"), readFileSync(join(module, "go.sum"), "utf8"));
  writeFileSync(
    join(dir, "main.go"),
    `package main

import (
\t"bufio"
\t"bytes"
\t"encoding/json"
\t"fmt"
\t"os"

\tregistry "${importPath}"
)

var receivers = map[string]func() interface{}{
${models.map((m) => `\t"${m.typeName}": func() interface{} { return new(registry.${m.name}) },`).join("\n")}
}

type testCase struct {
\tTypeName string \`json:"typeName"\`
\tJSON     string \`json:"json"\`
}

func main() {
\tscanner := bufio.NewScanner(os.Stdin)
\tscanner.Buffer(make([]byte, 1<<20), 1<<24)
\tout := json.NewEncoder(os.Stdout)
\tfor scanner.Scan() {
\t\tvar c testCase
\t\tif err := json.Unmarshal(scanner.Bytes(), &c); err != nil {
\t\t\tpanic(err)
\t\t}
\t\ttyp := registry.Types[c.TypeName]
\t\treceiver := receivers[c.TypeName]()
\t\tresult := map[string]string{}
\t\tif err := typ.Deserialize(bytes.NewReader([]byte(c.JSON)), receiver); err != nil {
\t\t\tresult["error"] = fmt.Sprintf("deserialize: %v", err)
\t\t} else {
\t\t\tvar buf bytes.Buffer
\t\t\tif err := typ.Serialize(&buf, receiver); err != nil {
\t\t\t\tresult["error"] = fmt.Sprintf("serialize: %v", err)
\t\t\t} else {
\t\t\t\tresult["json"] = buf.String()
\t\t\t}
\t\t}
\t\t_ = out.Encode(result)
\t}
}
`,
  );
  run("go", ["build", "-mod=mod", "-o", join(dir, "check"), "."], {
    cwd: dir,
    env: { ...process.env, GOFLAGS: "-mod=mod" },
  });
  return run(join(dir, "check"), [], { input: readFileSync(casesFile) });
}

const JAVA_CHECK = `import io.statefun.registry.RegistryJson;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.statefun.sdk.java.slice.Slices;
import org.apache.flink.statefun.sdk.java.types.Type;
import org.apache.flink.statefun.sdk.java.types.TypeSerializer;

public final class Check {
  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      Map<?, ?> c = RegistryJson.MAPPER.readValue(line, Map.class);
      Map<String, String> result = new LinkedHashMap<>();
      try {
        @SuppressWarnings("unchecked")
        Type<Object> type = (Type<Object>) RegistryJson.TYPES.get((String) c.get("typeName"));
        TypeSerializer<Object> serializer = type.typeSerializer();
        Object value = serializer.deserialize(Slices.wrap(((String) c.get("json")).getBytes(StandardCharsets.UTF_8)));
        result.put("json", new String(serializer.serialize(value).toByteArray(), StandardCharsets.UTF_8));
      } catch (Exception e) {
        result.put("error", e.toString());
      }
      System.out.println(RegistryJson.MAPPER.writeValueAsString(result));
    }
  }
}
`;

function checkJava(casesFile: string, work: string): string {
  // the module's own build, as its README says: compile (-Werror), JUnit tests, jar
  const pom = join(packageRoot("java", "pom.xml"), "pom.xml");
  const cpFile = join(work, "classpath.txt");
  run("mvn", [
    "-q",
    "-B",
    "-f",
    pom,
    "verify",
    "dependency:build-classpath",
    "-DincludeScope=runtime",
    `-Dmdep.outputFile=${cpFile}`,
  ]);
  const classpath = `${join(dirname(pom), "target/classes")}:${readFileSync(cpFile, "utf8").trim()}`;
  const dir = join(work, "java");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "Check.java"), JAVA_CHECK);
  run("javac", [
    "--release",
    "11",
    "-Xlint:all",
    "-Werror",
    "-Xlint:-processing",
    "-d",
    join(dir, "classes"),
    "-cp",
    classpath,
    join(dir, "Check.java"),
  ]);
  return run("java", ["-cp", `${join(dir, "classes")}:${classpath}`, "Check"], {
    input: readFileSync(casesFile),
  });
}

const PYTHON_CHECK = `import json, sys
from statefun_registry import REGISTRY

for line in sys.stdin:
    c = json.loads(line)
    t = REGISTRY[c["typeName"]]
    try:
        value = t.serializer().deserialize(c["json"].encode("utf-8"))
        print(json.dumps({"json": t.serializer().serialize(value).decode("utf-8")}))
    except Exception as e:
        print(json.dumps({"error": repr(e)}))
`;

function checkPython(casesFile: string, work: string): string {
  const venv = join(WORKSPACE_ROOT, "tools/typegen/.venv");
  const python = join(venv, "bin/python");
  if (!existsSync(python)) {
    run("python3", ["-m", "venv", venv]);
    run(join(venv, "bin/pip"), [
      "install",
      "-q",
      "--disable-pip-version-check",
      "apache-flink-statefun==3.3.0",
    ]);
  }
  // the package as a service installs it, then its own tests (unittest), as its README says
  const project = packageRoot("python", "pyproject.toml");
  run(join(venv, "bin/pip"), [
    "install",
    "-q",
    "--disable-pip-version-check",
    "--no-deps",
    "--force-reinstall",
    project,
  ]);
  run(python, ["-B", "-m", "unittest", "discover", "-s", join(project, "tests")], {
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
  });
  const script = join(work, "check.py");
  writeFileSync(script, PYTHON_CHECK);
  const generated = outputDir("python");
  run(python, [
    "-m",
    "py_compile",
    ...run("find", [generated, "-name", "*.py"]).trim().split("\n"),
  ]);
  return run(python, ["-B", script], {
    input: readFileSync(casesFile),
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
  });
}

/** Deep equality of JSON values (numbers by value, so 1 and 1.0 are equal). */
function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (
    typeof a !== typeof b ||
    Array.isArray(a) !== Array.isArray(b) ||
    (a === null) !== (b === null)
  )
    return false;
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    const [x, y] = [a as JsonValue[], b as JsonValue[]];
    return x.length === y.length && x.every((v, i) => sameJson(v, y[i]));
  }
  const keys = Object.keys(a).sort();
  return sameJson(keys, Object.keys(b).sort()) && keys.every((k) => sameJson(a[k], b[k]));
}

/** Runs the checks and returns one result per language. */
export function checkLanguages(
  languages: readonly CheckedLanguage[] = ["go", "java", "python"],
): LanguageResult[] {
  const models = loadSchemas(
    join(WORKSPACE_ROOT, readRegistryConfig(WORKSPACE_ROOT).schemas),
    WORKSPACE_ROOT,
  );
  const cases = exampleCases(models);
  const work = mkdtempSync(join(tmpdir(), "typegen-languages-"));
  try {
    const casesFile = join(work, "cases.jsonl");
    writeFileSync(
      casesFile,
      `${cases.map((c) => JSON.stringify({ typeName: c.typeName, json: c.json })).join("\n")}\n`,
    );
    const runners: Record<CheckedLanguage, () => string> = {
      go: () => checkGo(models, casesFile, work),
      java: () => checkJava(casesFile, work),
      python: () => checkPython(casesFile, work),
    };
    return languages.map((language) => {
      const started = Date.now();
      const lines = runners[language]().trim().split("\n");
      const failures = cases.flatMap((c, i) => {
        const result = JSON.parse(lines[i] ?? '{"error":"no output"}') as {
          json?: string;
          error?: string;
        };
        if (result.error !== undefined || result.json === undefined)
          return [`${c.label}: ${result.error ?? "no json"}`];
        return sameJson(JSON.parse(result.json) as JsonValue, JSON.parse(c.json) as JsonValue)
          ? []
          : [`${c.label}: wrote ${result.json.trim()}`];
      });
      return { language, cases: cases.length, failures, ms: Date.now() - started };
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
