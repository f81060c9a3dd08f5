// Go emitter (package registry, e.g. libs/registry-go/registry): package registry, one file per schema,
// structs with json tags and a StateFun type built with the official Go SDK's MakeJsonType.
// Output is unformatted; generate.ts runs gofmt.

import {
  DATE_RE,
  DATE_TIME_SEPARATOR_RE,
  EMAIL_RE,
  TIME_RE,
  URI_RE,
  UUID_RE,
} from "./format-checks.js";
import { generatedHeader } from "./header.js";
import { pascalCase, snakeCase } from "./names.js";
import type { Constraints, EnumType, ObjectType, SchemaModel, TypeRef } from "./schema-model.js";

const lowerFirst = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

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

// A Go *constraints literal for a node's validation keywords and format, or "nil".
function goConstraints(type: {
  readonly constraints?: Constraints;
  readonly format?: string;
}): string {
  const c = type.constraints ?? {};
  const parts: string[] = [];
  const int = (k: "minLength" | "maxLength" | "minItems" | "maxItems", field: string) => {
    if (c[k] !== undefined) parts.push(`${field}: intp(${c[k]})`);
  };
  const num = (
    k: "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum",
    field: string,
  ) => {
    if (c[k] !== undefined) parts.push(`${field}: floatp(${c[k]})`);
  };
  int("minLength", "minLength");
  int("maxLength", "maxLength");
  int("minItems", "minItems");
  int("maxItems", "maxItems");
  num("minimum", "minimum");
  num("maximum", "maximum");
  num("exclusiveMinimum", "exclusiveMinimum");
  num("exclusiveMaximum", "exclusiveMaximum");
  if (c.pattern !== undefined)
    parts.push(`pattern: regexp.MustCompile(${JSON.stringify(c.pattern)})`);
  if (type.format !== undefined) parts.push(`format: ${JSON.stringify(type.format)}`);
  return parts.length === 0 ? "nil" : `&constraints{${parts.join(", ")}}`;
}

// A Go expression of type error checking the generic JSON value `v` at pointer `at`.
interface CheckVars {
  /** Package-level variable names start with it (one per schema file). */
  readonly prefix: string;
  /** `name = value` declarations of the constraint variables. */
  readonly vars: string[];
}

// Declares a package-level constraints variable (regexps compile once) and returns its name.
function constraintVar(c: string, ctx: CheckVars): string {
  if (c === "nil") return "nil";
  const name = `${ctx.prefix}${ctx.vars.length}`;
  ctx.vars.push(`${name} = ${c}`);
  return name;
}

function goCheck(type: TypeRef, v: string, at: string, ctx: CheckVars): string {
  switch (type.kind) {
    case "string":
      return `checkString(${v}, ${at}, ${constraintVar(goConstraints(type), ctx)})`;
    case "int64":
      return `checkInt64(${v}, ${at})`;
    case "int32":
    case "double":
      return `${type.kind === "int32" ? "checkInt32" : "checkDouble"}(${v}, ${at}, ${constraintVar(goConstraints(type), ctx)})`;
    case "boolean":
      return `checkBool(${v}, ${at})`;
    case "enum":
      return `checkEnum(${v}, ${at}, ${type.values.map((x) => JSON.stringify(x)).join(", ")})`;
    case "object":
    case "ref":
      return `check${type.name}(${v}, ${at})`;
    case "array": {
      const name = constraintVar(goConstraints(type), ctx);
      return `checkArray(${v}, ${at}, ${name}, func(item interface{}, at string) error { return ${goCheck(type.items, "item", "at", ctx)} })`;
    }
  }
}

// check<Object>: the object's schema over a generic JSON value (maps, slices, json.Number).
function emitCheck(object: ObjectType, ctx: CheckVars): string {
  const lines = [
    `// check${object.name} checks a generic JSON value against the schema of ${object.name}.`,
    `func check${object.name}(v interface{}, at string) error {`,
    `	m, err := checkObject(v, at, ${object.fields.map((f) => JSON.stringify(f.jsonName)).join(", ")})`,
    "	if err != nil {",
    "		return err",
    "	}",
  ];
  for (const field of object.fields) {
    const key = JSON.stringify(field.jsonName);
    const at = `at + ${JSON.stringify(`/${field.jsonName}`)}`;
    const check = goCheck(field.type, "value", at, ctx);
    lines.push(`	if value, ok := m[${key}]; ok {`);
    if (field.nullable)
      lines.push(
        "		if value != nil {",
        `			if err := ${check}; err != nil {`,
        "				return err",
        "			}",
        "		}",
      );
    else lines.push(`		if err := ${check}; err != nil {`, "			return err", "		}");
    if (field.required) lines.push("	} else {", `		return fail(${at}, "is required")`);
    lines.push("	}");
  }
  lines.push("	return nil", "}");
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

// checks.go: the schema checks shared by every type (the same as the TypeScript validators).
function checksGo(allSchemas: string): string {
  const q = (re: string): string => JSON.stringify(re);
  return `${generatedHeader("//", allSchemas)}
package registry

import (
\t"bytes"
\t"encoding/json"
\t"fmt"
\t"io"
\t"math"
\t"regexp"
\t"sort"
\t"strconv"
\t"strings"
\t"unicode/utf8"

\t"${SDK_IMPORT}"
)

// validatedType is a JSON SimpleType (the bytes of statefun.MakeJsonType) that checks every value
// against its schema when it is read and before it is written: a value the schema refuses never
// reaches the wire. Errors name the typename and the JSON pointer.
type validatedType struct {
\ttypeName statefun.TypeName
\tcheck    func(v interface{}, at string) error
}

func (t validatedType) GetTypeName() statefun.TypeName { return t.typeName }

func (t validatedType) Deserialize(r io.Reader, receiver interface{}) error {
\tdata, err := io.ReadAll(r)
\tif err != nil {
\t\treturn err
\t}
\tgeneric, err := decodeGeneric(data)
\tif err != nil {
\t\treturn fmt.Errorf("%s: cannot deserialize: not JSON: %w", t.typeName, err)
\t}
\tif err := t.check(generic, ""); err != nil {
\t\treturn fmt.Errorf("%s: cannot deserialize: %w", t.typeName, err)
\t}
\treturn json.Unmarshal(data, receiver)
}

func (t validatedType) Serialize(w io.Writer, data interface{}) error {
\tencoded, err := json.Marshal(data)
\tif err != nil {
\t\treturn err
\t}
\tgeneric, err := decodeGeneric(encoded)
\tif err == nil {
\t\terr = t.check(generic, "")
\t}
\tif err != nil {
\t\treturn fmt.Errorf("%s: cannot serialize: %w", t.typeName, err)
\t}
\t_, err = w.Write(append(encoded, '\\n')) // as json.Encoder writes it
\treturn err
}

// decodeGeneric parses JSON into maps, slices and json.Number (exact integers).
func decodeGeneric(data []byte) (interface{}, error) {
\tdec := json.NewDecoder(bytes.NewReader(data))
\tdec.UseNumber()
\tvar v interface{}
\terr := dec.Decode(&v)
\treturn v, err
}

// ValidationError is a value that breaks its schema, at a JSON pointer ("" for the whole value).
type ValidationError struct {
\tPointer string
\tMessage string
}

func (e *ValidationError) Error() string {
\tif e.Pointer == "" {
\t\treturn "(root) " + e.Message
\t}
\treturn e.Pointer + " " + e.Message
}

func fail(at, message string) error { return &ValidationError{Pointer: at, Message: message} }

type constraints struct {
\tminLength, maxLength, minItems, maxItems            *int
\tminimum, maximum, exclusiveMinimum, exclusiveMaximum *float64
\tpattern                                              *regexp.Regexp
\tformat                                               string
}

func intp(n int) *int           { return &n }
func floatp(x float64) *float64 { return &x }

func checkObject(v interface{}, at string, fields ...string) (map[string]interface{}, error) {
\tm, ok := v.(map[string]interface{})
\tif !ok {
\t\treturn nil, fail(at, fmt.Sprintf("must be an object, got %s", describe(v)))
\t}
\tknown := map[string]bool{}
\tfor _, f := range fields {
\t\tknown[f] = true
\t}
\tvar unknown []string
\tfor k := range m {
\t\tif !known[k] {
\t\t\tunknown = append(unknown, k)
\t\t}
\t}
\tif len(unknown) > 0 {
\t\tsort.Strings(unknown)
\t\treturn nil, fail(at+"/"+unknown[0], "is not allowed (the schema has additionalProperties: false)")
\t}
\treturn m, nil
}

func describe(v interface{}) string {
\tb, _ := json.Marshal(v)
\treturn string(b)
}

func checkString(v interface{}, at string, c *constraints) error {
\ts, ok := v.(string)
\tif !ok {
\t\treturn fail(at, fmt.Sprintf("must be a string, got %s", describe(v)))
\t}
\tif c == nil {
\t\treturn nil
\t}
\tn := utf8.RuneCountInString(s) // code points, as ajv counts them
\tif c.minLength != nil && n < *c.minLength {
\t\treturn fail(at, fmt.Sprintf("must NOT have fewer than %d characters", *c.minLength))
\t}
\tif c.maxLength != nil && n > *c.maxLength {
\t\treturn fail(at, fmt.Sprintf("must NOT have more than %d characters", *c.maxLength))
\t}
\tif c.pattern != nil && !c.pattern.MatchString(s) {
\t\treturn fail(at, fmt.Sprintf("must match pattern %q", c.pattern.String()))
\t}
\tif c.format != "" && !formats[c.format](s) {
\t\treturn fail(at, fmt.Sprintf("must match format %q", c.format))
\t}
\treturn nil
}

func checkBool(v interface{}, at string) error {
\tif _, ok := v.(bool); !ok {
\t\treturn fail(at, fmt.Sprintf("must be a boolean, got %s", describe(v)))
\t}
\treturn nil
}

func number(v interface{}, at string) (float64, error) {
\tn, ok := v.(json.Number)
\tif !ok {
\t\treturn 0, fail(at, fmt.Sprintf("must be a number, got %s", describe(v)))
\t}
\treturn n.Float64()
}

func checkRange(x float64, at string, c *constraints) error {
\tif c == nil {
\t\treturn nil
\t}
\tif c.minimum != nil && x < *c.minimum {
\t\treturn fail(at, fmt.Sprintf("must be >= %v", *c.minimum))
\t}
\tif c.maximum != nil && x > *c.maximum {
\t\treturn fail(at, fmt.Sprintf("must be <= %v", *c.maximum))
\t}
\tif c.exclusiveMinimum != nil && x <= *c.exclusiveMinimum {
\t\treturn fail(at, fmt.Sprintf("must be > %v", *c.exclusiveMinimum))
\t}
\tif c.exclusiveMaximum != nil && x >= *c.exclusiveMaximum {
\t\treturn fail(at, fmt.Sprintf("must be < %v", *c.exclusiveMaximum))
\t}
\treturn nil
}

func checkDouble(v interface{}, at string, c *constraints) error {
\tx, err := number(v, at)
\tif err != nil {
\t\treturn err
\t}
\treturn checkRange(x, at, c)
}

func checkInt32(v interface{}, at string, c *constraints) error {
\tx, err := number(v, at)
\tif err != nil || x != math.Trunc(x) || x < math.MinInt32 || x > math.MaxInt32 {
\t\treturn fail(at, fmt.Sprintf("must be an int32, got %s", describe(v)))
\t}
\treturn checkRange(x, at, c)
}

var int64Text = regexp.MustCompile("^-?(0|[1-9][0-9]*)$")

func checkInt64(v interface{}, at string) error {
\ts, ok := v.(string)
\tif !ok || !int64Text.MatchString(s) {
\t\treturn fail(at, fmt.Sprintf("must be an int64 as a decimal string, got %s", describe(v)))
\t}
\tif _, err := strconv.ParseInt(s, 10, 64); err != nil {
\t\treturn fail(at, "is out of the int64 range: "+s)
\t}
\treturn nil
}

func checkEnum(v interface{}, at string, values ...string) error {
\tif s, ok := v.(string); ok {
\t\tfor _, allowed := range values {
\t\t\tif s == allowed {
\t\t\t\treturn nil
\t\t\t}
\t\t}
\t}
\treturn fail(at, fmt.Sprintf("must be one of %q, got %s", values, describe(v)))
}

func checkArray(v interface{}, at string, c *constraints, item func(interface{}, string) error) error {
\titems, ok := v.([]interface{})
\tif !ok {
\t\treturn fail(at, fmt.Sprintf("must be an array, got %s", describe(v)))
\t}
\tif c != nil && c.minItems != nil && len(items) < *c.minItems {
\t\treturn fail(at, fmt.Sprintf("must NOT have fewer than %d items", *c.minItems))
\t}
\tif c != nil && c.maxItems != nil && len(items) > *c.maxItems {
\t\treturn fail(at, fmt.Sprintf("must NOT have more than %d items", *c.maxItems))
\t}
\tfor i, x := range items {
\t\tif err := item(x, at+"/"+strconv.Itoa(i)); err != nil {
\t\t\treturn err
\t\t}
\t}
\treturn nil
}

// The string formats, as ajv-formats' "full" mode checks them.
var (
\tdateText          = regexp.MustCompile(${q(DATE_RE)})
\ttimeText          = regexp.MustCompile(${q(`(?i)${TIME_RE}`)})
\tdateTimeSeparator = regexp.MustCompile(${q(`(?i)${DATE_TIME_SEPARATOR_RE}`)})
\tuuidText          = regexp.MustCompile(${q(`(?i)${UUID_RE}`)})
\temailText         = regexp.MustCompile(${q(`(?i)${EMAIL_RE}`)})
\turiText           = regexp.MustCompile(${q(`(?i)${URI_RE}`)})
\tdaysInMonth       = []int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
)

var formats = map[string]func(string) bool{
\t"date":      isDate,
\t"date-time": isDateTime,
\t"uuid":      uuidText.MatchString,
\t"email":     emailText.MatchString,
\t"uri":       func(s string) bool { return strings.ContainsAny(s, "/:") && uriText.MatchString(s) },
}

func isDate(s string) bool {
\tm := dateText.FindStringSubmatch(s)
\tif m == nil {
\t\treturn false
\t}
\tyear, _ := strconv.Atoi(m[1])
\tmonth, _ := strconv.Atoi(m[2])
\tday, _ := strconv.Atoi(m[3])
\tif month < 1 || month > 12 || day < 1 {
\t\treturn false
\t}
\tleap := year%4 == 0 && (year%100 != 0 || year%400 == 0)
\tif month == 2 && leap {
\t\treturn day <= 29
\t}
\treturn day <= daysInMonth[month]
}

func isTime(s string) bool {
\tm := timeText.FindStringSubmatch(s)
\tif m == nil || m[4] == "" {
\t\treturn false // a date-time needs its offset
\t}
\thr, _ := strconv.Atoi(m[1])
\tmin, _ := strconv.Atoi(m[2])
\tsec, _ := strconv.ParseFloat(m[3], 64)
\tsign := 1
\tif m[5] == "-" {
\t\tsign = -1
\t}
\ttzH, _ := strconv.Atoi("0" + m[6])
\ttzM, _ := strconv.Atoi("0" + m[7])
\tif tzH > 23 || tzM > 59 {
\t\treturn false
\t}
\tif hr <= 23 && min <= 59 && sec < 60 {
\t\treturn true
\t}
\tutcMin := min - tzM*sign // a leap second: 23:59:60 UTC
\tutcHr := hr - tzH*sign
\tif utcMin < 0 {
\t\tutcHr--
\t}
\treturn (utcHr == 23 || utcHr == -1) && (utcMin == 59 || utcMin == -1) && sec < 61
}

func isDateTime(s string) bool {
\tparts := dateTimeSeparator.Split(s, -1)
\treturn len(parts) == 2 && isDate(parts[0]) && isTime(parts[1])
}
`;
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
      `// ${model.name}Type is ${model.name} as a StateFun JSON type: JSON like statefun.MakeJsonType,`,
      "// checked against the schema when read and before it is written.",
      `var ${model.name}Type statefun.SimpleType = validatedType{typeName: statefun.TypeNameFrom(${model.name}TypeName), check: check${model.name}}`,
      "",
      emitStruct(model.root),
    ];
    for (const nested of model.nested) {
      parts.push("", nested.kind === "enum" ? emitEnum(nested) : emitStruct(nested));
    }
    const ctx: CheckVars = { prefix: `${lowerFirst(model.name)}Check`, vars: [] };
    const checks = [
      model.root,
      ...model.nested.filter((n): n is ObjectType => n.kind === "object"),
    ].map((o) => emitCheck(o, ctx));
    parts.push("", ...checks.flatMap((c) => [c, ""]));
    if (ctx.vars.length > 0) parts.push("var (", ...ctx.vars.map((v) => `\t${v}`), ")");
    const usesRegexp = ctx.vars.some((v) => v.includes("regexp."));
    parts[parts.indexOf(`import "${SDK_IMPORT}"`)] = usesRegexp
      ? `import (\n\t"regexp"\n\n\t"${SDK_IMPORT}"\n)`
      : `import "${SDK_IMPORT}"`;
    files.set(`${snakeCase(model.name)}.go`, `${parts.join("\n")}\n`);
  }
  files.set("checks.go", checksGo(allSchemas));
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
