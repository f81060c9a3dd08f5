// Go emitter (apps/compat/fixtures/go/generated/registry): package registry, one file per schema,
// structs with json tags and a StateFun type built with the official Go SDK's MakeJsonType.
// Output is unformatted; generate.ts runs gofmt.
import { generatedHeader } from "./header.js";
import { pascalCase, snakeCase } from "./names.js";
import type { EnumType, ObjectType, SchemaModel, TypeRef } from "./schema-model.js";

const SDK_IMPORT = "github.com/apache/flink-statefun/statefun-sdk-go/v3/pkg/statefun";

function comment(text: string | undefined, indent = ""): string {
  if (!text) return "";
  return `${text
    .split("\n")
    .map((line) => `${indent}// ${line}`)
    .join("\n")}\n`;
}

/** The Go type of a model type; int64 array elements use registry.Int64 (quoted in JSON). */
function goType(type: TypeRef): string {
  switch (type.kind) {
    case "string":
      return "string";
    case "int64":
      return "int64";
    case "int32":
      return "int32";
    case "double":
      return "float64";
    case "boolean":
      return "bool";
    case "enum":
    case "object":
    case "ref":
      return type.name;
    case "array":
      return `[]${type.items.kind === "int64" ? "Int64" : goType(type.items)}`;
  }
}

function emitStruct(object: ObjectType): string {
  const lines: string[] = [];
  lines.push(
    comment(
      object.description
        ? `${object.name}: ${object.description}`
        : `${object.name} is generated from its schema.`,
    ).trimEnd(),
  );
  lines.push(`type ${object.name} struct {`);
  for (const field of object.fields) {
    if (field.description) lines.push(comment(field.description, "\t").trimEnd());
    const pointer = !field.required || field.nullable ? "*" : "";
    const options = [field.jsonName];
    if (!field.required) options.push("omitempty");
    if (field.type.kind === "int64") options.push("string");
    lines.push(
      `\t${pascalCase(field.jsonName)} ${pointer}${goType(field.type)} \`json:"${options.join(",")}"\``,
    );
  }
  lines.push("}");
  return lines.join("\n");
}

function emitEnum(enumType: EnumType): string {
  const lines = [
    `// ${enumType.name} is one of ${enumType.values.map((v) => JSON.stringify(v)).join(", ")}.`,
  ];
  lines.push(`type ${enumType.name} string`, "", "const (");
  for (const value of enumType.values) {
    lines.push(
      `\t${enumType.name}${pascalCase(value.replaceAll("-", "_"))} ${enumType.name} = ${JSON.stringify(value)}`,
    );
  }
  lines.push(")");
  return lines.join("\n");
}

/**
 * @param allSchemas how the shared file's header names its inputs
 * @returns file name -> unformatted Go source (gofmt runs afterwards)
 */
export function emitGo(models: readonly SchemaModel[], allSchemas: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const model of models) {
    const parts = [
      generatedHeader("//", model.file),
      "package registry",
      "",
      `import "${SDK_IMPORT}"`,
      "",
      `// ${model.name}TypeName is the typename of ${model.name}.`,
      `const ${model.name}TypeName = "${model.typeName}"`,
      "",
      `// ${model.name}Type is ${model.name} as a StateFun JSON type (statefun.MakeJsonType).`,
      `var ${model.name}Type = statefun.MakeJsonType(statefun.TypeNameFrom(${model.name}TypeName))`,
      "",
      emitStruct(model.root),
    ];
    for (const nested of model.nested) {
      parts.push("", nested.kind === "enum" ? emitEnum(nested) : emitStruct(nested));
    }
    files.set(`${snakeCase(model.name)}.go`, `${parts.join("\n")}\n`);
  }
  files.set(
    "registry.go",
    `${generatedHeader("//", allSchemas)}
// Package registry holds the statefun-ts type registry's types for the official Go SDK: one
// struct and one statefun.SimpleType per schema, with the same typenames and JSON as every other
// language. int64 values travel as decimal strings.
package registry

import (
\t"encoding/json"
\t"fmt"
\t"strconv"

\t"${SDK_IMPORT}"
)

// Types maps every typename of the registry to its StateFun type.
var Types = map[string]statefun.SimpleType{
${models.map((m) => `\t${m.name}TypeName: ${m.name}Type,`).join("\n")}
}

// Int64 is an int64 array element; like int64 fields it travels in JSON as a decimal string.
type Int64 int64

// MarshalJSON writes the value as a quoted decimal string.
func (v Int64) MarshalJSON() ([]byte, error) {
\treturn []byte(strconv.Quote(strconv.FormatInt(int64(v), 10))), nil
}

// UnmarshalJSON reads a quoted decimal string.
func (v *Int64) UnmarshalJSON(data []byte) error {
\tvar text string
\tif err := json.Unmarshal(data, &text); err != nil {
\t\treturn fmt.Errorf("an int64 must be a JSON string of decimal digits, got %s", data)
\t}
\tn, err := strconv.ParseInt(text, 10, 64)
\tif err != nil {
\t\treturn fmt.Errorf("an int64 must be a JSON string of decimal digits: %w", err)
\t}
\t*v = Int64(n)
\treturn nil
}
`,
  );
  return files;
}
