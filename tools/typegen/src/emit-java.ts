// Java emitter (package io.statefun.registry, e.g. libs/registry-java/src/main/java): one final value class per
// schema with Jackson annotations and a StateFun Type built with the official Java SDK's
// SimpleType.simpleImmutableTypeFrom; nested objects and enums are nested types of that class.

import {
  DATE_RE,
  DATE_TIME_SEPARATOR_RE,
  EMAIL_RE,
  TIME_RE,
  URI_RE,
  UUID_RE,
} from "./format-checks.js";
import { generatedHeader } from "./header.js";
import { enumConstant } from "./names.js";
import type {
  Constraints,
  EnumType,
  Field,
  ObjectType,
  SchemaModel,
  TypeRef,
} from "./schema-model.js";

/** The package of every generated class. */
export const JAVA_PACKAGE = "io.statefun.registry";

function javadoc(text: string | undefined, indent: string): string {
  if (!text) return "";
  const escaped = text.replaceAll("*/", "*&#47;").replaceAll("@", "{@literal @}");
  return `${indent}/** ${escaped.split("\n").join(`\n${indent} * `)} */\n`;
}

function javaType(type: TypeRef, boxed: boolean): string {
  switch (type.kind) {
    case "string":
      return "String";
    case "int64":
      return boxed ? "Long" : "long";
    case "int32":
      return boxed ? "Integer" : "int";
    case "double":
      return boxed ? "Double" : "double";
    case "boolean":
      return boxed ? "Boolean" : "boolean";
    case "enum":
    case "object":
    case "ref":
      return type.name;
    case "array":
      return `List<${javaType(type.items, true)}>`;
  }
}

function annotations(field: Field, forParameter: boolean): string {
  const list = [
    forParameter
      ? `@JsonProperty(value = "${field.jsonName}", required = ${field.required})`
      : `@JsonProperty("${field.jsonName}")`,
  ];
  if (!forParameter && !field.required) list.push("@JsonInclude(JsonInclude.Include.NON_NULL)");
  if (field.type.kind === "int64") list.push("@JsonFormat(shape = JsonFormat.Shape.STRING)");
  if (!forParameter && field.type.kind === "array" && field.type.items.kind === "int64") {
    list.push("@JsonSerialize(contentUsing = ToStringSerializer.class)");
  }
  return list.join(" ");
}

const boxedField = (field: Field): boolean => !field.required || field.nullable;

// A final class in record style (Java 11 has no records; Flink 1.16 fixtures target Java 11):
// private final fields that Jackson writes, an @JsonCreator constructor it reads with,
// record-style accessors, equals, hashCode and toString.
function valueClass(object: ObjectType, indent: string, isStatic: boolean, body: string): string {
  const i1 = `${indent}  `;
  const i2 = `${indent}    `;
  const i3 = `${indent}      `;
  const out: string[] = [];
  out.push(
    `${javadoc(object.description ?? `${object.name}, generated from its schema.`, indent)}${indent}public ${isStatic ? "static " : ""}final class ${object.name} {`,
  );
  for (const field of object.fields) {
    out.push(`${javadoc(field.description, i1)}${i1}${annotations(field, false)}`);
    out.push(
      `${i1}private final ${javaType(field.type, boxedField(field))} ${field.jsonName};`,
      "",
    );
  }
  out.push(
    `${i1}/** Creates a value; Jackson calls it with the JSON properties. */`,
    `${i1}@JsonCreator`,
  );
  if (object.fields.length === 0) out.push(`${i1}public ${object.name}() {}`);
  else {
    out.push(`${i1}public ${object.name}(`);
    out.push(
      object.fields
        .map((f) => `${i3}${annotations(f, true)} ${javaType(f.type, boxedField(f))} ${f.jsonName}`)
        .join(",\n") + ") {",
    );
    for (const f of object.fields) out.push(`${i2}this.${f.jsonName} = ${f.jsonName};`);
    out.push(`${i1}}`);
  }
  for (const f of object.fields) {
    out.push(
      "",
      `${i1}/** The "${f.jsonName}" property${f.required ? "" : " (null when absent)"}. */`,
      `${i1}public ${javaType(f.type, boxedField(f))} ${f.jsonName}() {`,
      `${i2}return ${f.jsonName};`,
      `${i1}}`,
    );
  }
  const names = object.fields.map((f) => f.jsonName);
  out.push(
    "",
    `${i1}@Override`,
    `${i1}public boolean equals(Object other) {`,
    `${i2}if (this == other) return true;`,
    `${i2}if (!(other instanceof ${object.name})) return false;`,
    names.length === 0 ? `${i2}return true;` : `${i2}${object.name} that = (${object.name}) other;`,
    ...(names.length === 0
      ? []
      : [`${i2}return ${names.map((n) => `Objects.equals(${n}, that.${n})`).join(`\n${i3}&& `)};`]),
    `${i1}}`,
    "",
    `${i1}@Override`,
    `${i1}public int hashCode() {`,
    `${i2}return Objects.hash(${names.join(", ")});`,
    `${i1}}`,
    "",
    `${i1}@Override`,
    `${i1}public String toString() {`,
    `${i2}return "${object.name}{"${names.map((n, idx) => ` + "${idx === 0 ? "" : ", "}${n}=" + ${n}`).join("")} + "}";`,
    `${i1}}`,
  );
  out.push("", checkMethod(object, i1));
  if (body) out.push("", body.trimEnd());
  out.push(`${indent}}`);
  return `${out.join("\n")}\n`;
}

// The constraints of a node as a RegistryChecks.Constraints expression, or "null".
function javaConstraints(type: {
  readonly constraints?: Constraints;
  readonly format?: string;
}): string {
  const c = type.constraints ?? {};
  const calls = Object.entries(c).map(
    ([k, v]) =>
      `.${k}(${typeof v === "string" ? JSON.stringify(v) : k.includes("Length") || k.includes("Items") ? String(v) : `${v}d`})`,
  );
  if (type.format !== undefined) calls.push(`.format(${JSON.stringify(type.format)})`);
  return calls.length === 0 ? "null" : `new RegistryChecks.Constraints()${calls.join("")}`;
}

// A Java statement (without ";") checking the JsonNode `v` at the pointer expression `at`.
function javaCheck(type: TypeRef, v: string, at: string, consts: string[], depth: number): string {
  const constant = (t: {
    readonly constraints?: Constraints;
    readonly format?: string;
  }): string => {
    const c = javaConstraints(t);
    if (c === "null") return "null";
    consts.push(c);
    return `C${consts.length - 1}`;
  };
  switch (type.kind) {
    case "string":
      return `RegistryChecks.string(${v}, ${at}, ${constant(type)})`;
    case "int64":
      return `RegistryChecks.int64(${v}, ${at})`;
    case "int32":
      return `RegistryChecks.int32(${v}, ${at}, ${constant(type)})`;
    case "double":
      return `RegistryChecks.number(${v}, ${at}, ${constant(type)})`;
    case "boolean":
      return `RegistryChecks.bool(${v}, ${at})`;
    case "enum":
      return `RegistryChecks.oneOf(${v}, ${at}, ${type.values.map((x) => JSON.stringify(x)).join(", ")})`;
    case "object":
    case "ref":
      return `${type.name}.check(${v}, ${at})`;
    case "array": {
      const [item, itemAt] = [`item${depth}`, `at${depth}`];
      return `RegistryChecks.array(${v}, ${at}, ${constant(type)}, (${item}, ${itemAt}) -> ${javaCheck(type.items, item, itemAt, consts, depth + 1)})`;
    }
  }
}

// check(JsonNode, String): the class's schema over a JSON tree; throws RegistryValidationException.
function checkMethod(object: ObjectType, indent: string): string {
  const i2 = `${indent}  `;
  const consts: string[] = [];
  const body: string[] = [];
  for (const field of object.fields) {
    const at = `at + ${JSON.stringify(`/${field.jsonName}`)}`;
    const check = javaCheck(field.type, "value", at, consts, 0);
    body.push(`${i2}value = node.get(${JSON.stringify(field.jsonName)});`);
    if (field.required)
      body.push(`${i2}if (value == null) throw RegistryChecks.fail(${at}, "is required");`);
    const present = field.required ? "" : "value != null";
    const notNull = field.nullable ? "!value.isNull()" : "";
    const condition = [present, notNull].filter((c) => c !== "").join(" && ");
    body.push(condition === "" ? `${i2}${check};` : `${i2}if (${condition}) ${check};`);
  }
  const names = object.fields.map((f) => JSON.stringify(f.jsonName)).join(", ");
  return [
    ...consts.map(
      (c, n) => `${indent}private static final RegistryChecks.Constraints C${n} = ${c};`,
    ),
    `${indent}/** Checks a JSON tree against the schema of {@link ${object.name}}; throws naming the JSON pointer. */`,
    `${indent}public static void check(JsonNode json, String at) {`,
    `${i2}JsonNode node = RegistryChecks.object(json, at${names === "" ? "" : `, ${names}`});`,
    ...(object.fields.length === 0 ? [] : [`${i2}JsonNode value;`]),
    ...body,
    `${indent}}`,
  ].join("\n");
}

function enumDeclaration(enumType: EnumType, indent: string): string {
  const constants = enumType.values
    .map((v) => `${indent}  @JsonProperty("${v}")\n${indent}  ${enumConstant(v)}`)
    .join(",\n");
  return `${indent}/** One of ${enumType.values.map((v) => `"${v}"`).join(", ")}. */\n${indent}public enum ${enumType.name} {\n${constants}\n${indent}}\n`;
}

function registryChecksJava(allSchemas: string): string {
  const q = (re: string): string => JSON.stringify(re);
  return `${generatedHeader("//", allSchemas)}package ${JAVA_PACKAGE};

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The schema checks every generated class uses (the same as the TypeScript validators). */
public final class RegistryChecks {
  private RegistryChecks() {}

  /** The validation keywords of one value. */
  public static final class Constraints {
    Integer minLength, maxLength, minItems, maxItems;
    Double minimum, maximum, exclusiveMinimum, exclusiveMaximum;
    Pattern pattern;
    String format;

    /** Sets minLength. */
    public Constraints minLength(int n) { minLength = n; return this; }
    /** Sets maxLength. */
    public Constraints maxLength(int n) { maxLength = n; return this; }
    /** Sets minItems. */
    public Constraints minItems(int n) { minItems = n; return this; }
    /** Sets maxItems. */
    public Constraints maxItems(int n) { maxItems = n; return this; }
    /** Sets minimum. */
    public Constraints minimum(double x) { minimum = x; return this; }
    /** Sets maximum. */
    public Constraints maximum(double x) { maximum = x; return this; }
    /** Sets exclusiveMinimum. */
    public Constraints exclusiveMinimum(double x) { exclusiveMinimum = x; return this; }
    /** Sets exclusiveMaximum. */
    public Constraints exclusiveMaximum(double x) { exclusiveMaximum = x; return this; }
    /** Sets the pattern (searched, as ECMAScript's RegExp.test does). */
    public Constraints pattern(String p) { pattern = Pattern.compile(p); return this; }
    /** Sets the format. */
    public Constraints format(String f) { format = f; return this; }
  }

  /** A violation at a JSON pointer. */
  public static RegistryValidationException fail(String at, String message) {
    return new RegistryValidationException((at.isEmpty() ? "(root)" : at) + " " + message, at);
  }

  /** An object with only the given properties. */
  public static JsonNode object(JsonNode v, String at, String... fields) {
    if (v == null || !v.isObject()) throw fail(at, "must be an object, got " + v);
    List<String> known = Arrays.asList(fields);
    TreeSet<String> unknown = new TreeSet<>();
    v.fieldNames().forEachRemaining(name -> { if (!known.contains(name)) unknown.add(name); });
    if (!unknown.isEmpty()) {
      throw fail(at + "/" + unknown.first(), "is not allowed (the schema has additionalProperties: false)");
    }
    return v;
  }

  /** A string within its constraints. */
  public static void string(JsonNode v, String at, Constraints c) {
    if (!v.isTextual()) throw fail(at, "must be a string, got " + v);
    if (c == null) return;
    String s = v.textValue();
    int n = s.codePointCount(0, s.length()); // code points, as ajv counts them
    if (c.minLength != null && n < c.minLength) throw fail(at, "must NOT have fewer than " + c.minLength + " characters");
    if (c.maxLength != null && n > c.maxLength) throw fail(at, "must NOT have more than " + c.maxLength + " characters");
    if (c.pattern != null && !c.pattern.matcher(s).find()) throw fail(at, "must match pattern \\"" + c.pattern.pattern() + "\\"");
    if (c.format != null && !FORMATS.get(c.format).test(s)) throw fail(at, "must match format \\"" + c.format + "\\"");
  }

  /** A boolean. */
  public static void bool(JsonNode v, String at) {
    if (!v.isBoolean()) throw fail(at, "must be a boolean, got " + v);
  }

  private static void range(double x, String at, Constraints c) {
    if (c == null) return;
    if (c.minimum != null && x < c.minimum) throw fail(at, "must be >= " + c.minimum);
    if (c.maximum != null && x > c.maximum) throw fail(at, "must be <= " + c.maximum);
    if (c.exclusiveMinimum != null && x <= c.exclusiveMinimum) throw fail(at, "must be > " + c.exclusiveMinimum);
    if (c.exclusiveMaximum != null && x >= c.exclusiveMaximum) throw fail(at, "must be < " + c.exclusiveMaximum);
  }

  /** A number within its range. */
  public static void number(JsonNode v, String at, Constraints c) {
    if (!v.isNumber()) throw fail(at, "must be a number, got " + v);
    range(v.doubleValue(), at, c);
  }

  /** An int32 within its range (2.0 is the integer 2, as in ajv). */
  public static void int32(JsonNode v, String at, Constraints c) {
    double x = v.isNumber() ? v.doubleValue() : Double.NaN;
    if (!v.isNumber() || x != Math.rint(x) || x < Integer.MIN_VALUE || x > Integer.MAX_VALUE) {
      throw fail(at, "must be an int32, got " + v);
    }
    range(x, at, c);
  }

  private static final Pattern INT64 = Pattern.compile("-?(0|[1-9][0-9]*)");
  private static final BigInteger MIN64 = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger MAX64 = BigInteger.valueOf(Long.MAX_VALUE);

  /** An int64 as a canonical decimal string. */
  public static void int64(JsonNode v, String at) {
    if (!v.isTextual() || !INT64.matcher(v.textValue()).matches()) {
      throw fail(at, "must be an int64 as a decimal string, got " + v);
    }
    BigInteger n = new BigInteger(v.textValue());
    if (n.compareTo(MIN64) < 0 || n.compareTo(MAX64) > 0) throw fail(at, "is out of the int64 range: " + v.textValue());
  }

  /** One of the enum's values. */
  public static void oneOf(JsonNode v, String at, String... values) {
    if (!v.isTextual() || !Arrays.asList(values).contains(v.textValue())) {
      throw fail(at, "must be one of " + Arrays.toString(values) + ", got " + v);
    }
  }

  /** An array within its item counts, each item checked. */
  public static void array(JsonNode v, String at, Constraints c, BiConsumer<JsonNode, String> item) {
    if (!v.isArray()) throw fail(at, "must be an array, got " + v);
    if (c != null && c.minItems != null && v.size() < c.minItems) throw fail(at, "must NOT have fewer than " + c.minItems + " items");
    if (c != null && c.maxItems != null && v.size() > c.maxItems) throw fail(at, "must NOT have more than " + c.maxItems + " items");
    for (int i = 0; i < v.size(); i++) item.accept(v.get(i), at + "/" + i);
  }

  // The string formats, as ajv-formats' "full" mode checks them.
  private static final Pattern DATE = Pattern.compile(${q(DATE_RE)});
  private static final Pattern TIME = Pattern.compile(${q(TIME_RE)}, Pattern.CASE_INSENSITIVE);
  private static final Pattern SEPARATOR = Pattern.compile(${q(DATE_TIME_SEPARATOR_RE)}, Pattern.CASE_INSENSITIVE);
  private static final Pattern UUID = Pattern.compile(${q(UUID_RE)}, Pattern.CASE_INSENSITIVE);
  private static final Pattern EMAIL = Pattern.compile(${q(EMAIL_RE)}, Pattern.CASE_INSENSITIVE);
  private static final Pattern URI = Pattern.compile(${q(URI_RE)}, Pattern.CASE_INSENSITIVE);
  private static final int[] DAYS = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

  private static boolean isDate(String s) {
    Matcher m = DATE.matcher(s);
    if (!m.matches()) return false;
    int year = Integer.parseInt(m.group(1));
    int month = Integer.parseInt(m.group(2));
    int day = Integer.parseInt(m.group(3));
    boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    return month >= 1 && month <= 12 && day >= 1 && day <= (month == 2 && leap ? 29 : DAYS[month]);
  }

  private static boolean isTime(String s) {
    Matcher m = TIME.matcher(s);
    if (!m.matches() || m.group(4) == null) return false; // a date-time needs its offset
    int hr = Integer.parseInt(m.group(1));
    int min = Integer.parseInt(m.group(2));
    double sec = Double.parseDouble(m.group(3));
    int sign = "-".equals(m.group(5)) ? -1 : 1;
    int tzH = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
    int tzM = m.group(7) == null ? 0 : Integer.parseInt(m.group(7));
    if (tzH > 23 || tzM > 59) return false;
    if (hr <= 23 && min <= 59 && sec < 60) return true;
    int utcMin = min - tzM * sign; // a leap second: 23:59:60 UTC
    int utcHr = hr - tzH * sign - (utcMin < 0 ? 1 : 0);
    return (utcHr == 23 || utcHr == -1) && (utcMin == 59 || utcMin == -1) && sec < 61;
  }

  private static boolean isDateTime(String s) {
    String[] parts = SEPARATOR.split(s, -1);
    return parts.length == 2 && isDate(parts[0]) && isTime(parts[1]);
  }

  private static final Map<String, Predicate<String>> FORMATS =
      Map.of(
          "date", RegistryChecks::isDate,
          "date-time", RegistryChecks::isDateTime,
          "uuid", s -> UUID.matcher(s).matches(),
          "email", s -> EMAIL.matcher(s).matches(),
          "uri", s -> (s.contains("/") || s.contains(":")) && URI.matcher(s).matches());
}
`;
}

function validationExceptionJava(allSchemas: string): string {
  return `${generatedHeader("//", allSchemas)}package ${JAVA_PACKAGE};

/** A value that breaks its schema; the message starts with the typename and the JSON pointer. */
public final class RegistryValidationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String pointer;

  /** A violation at {@code pointer} ("" for the whole value). */
  public RegistryValidationException(String message, String pointer) {
    super(message);
    this.pointer = pointer;
  }

  /** The JSON pointer of the value that breaks the schema. */
  public String pointer() {
    return pointer;
  }
}
`;
}

/**
 * @param allSchemas how the shared file's header names its inputs
 * @returns path below the generated folder -> Java source
 */
export function emitJava(models: readonly SchemaModel[], allSchemas: string): Map<string, string> {
  const files = new Map<string, string>();
  const dir = JAVA_PACKAGE.replaceAll(".", "/");
  for (const model of models) {
    const members = [
      `  /** The typename of {@link ${model.name}}. */`,
      `  public static final String TYPENAME = "${model.typeName}";`,
      "",
      `  /**`,
      `   * {@link ${model.name}} as a StateFun type: UTF-8 JSON through {@link RegistryJson}, checked`,
      `   * against the schema when read and before it is written.`,
      `   */`,
      `  public static final Type<${model.name}> TYPE =`,
      "      SimpleType.simpleImmutableTypeFrom(",
      "          TypeName.typeNameFromString(TYPENAME),",
      `          value -> RegistryJson.serialize(value, ${model.name}::check, TYPENAME),`,
      `          bytes -> RegistryJson.deserialize(bytes, ${model.name}.class, ${model.name}::check, TYPENAME));`,
    ];
    for (const nested of model.nested) {
      members.push("");
      members.push(
        (nested.kind === "enum"
          ? enumDeclaration(nested, "  ")
          : valueClass(nested, "  ", true, "")
        ).trimEnd(),
      );
    }
    const source = [
      generatedHeader("//", model.file),
      `package ${JAVA_PACKAGE};`,
      "",
      "import com.fasterxml.jackson.annotation.JsonCreator;",
      "import com.fasterxml.jackson.annotation.JsonFormat;",
      "import com.fasterxml.jackson.annotation.JsonInclude;",
      "import com.fasterxml.jackson.annotation.JsonProperty;",
      "import com.fasterxml.jackson.databind.JsonNode;",
      "import com.fasterxml.jackson.databind.annotation.JsonSerialize;",
      "import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;",
      "import java.util.List;",
      "import java.util.Objects;",
      "import org.apache.flink.statefun.sdk.java.TypeName;",
      "import org.apache.flink.statefun.sdk.java.types.SimpleType;",
      "import org.apache.flink.statefun.sdk.java.types.Type;",
      "",
      valueClass(model.root, "", false, members.join("\n")),
    ].join("\n");
    files.set(`${dir}/${model.name}.java`, source);
  }
  files.set(`${dir}/RegistryChecks.java`, registryChecksJava(allSchemas));
  files.set(`${dir}/RegistryValidationException.java`, validationExceptionJava(allSchemas));
  files.set(
    `${dir}/RegistryJson.java`,
    `${generatedHeader("//", allSchemas)}package ${JAVA_PACKAGE};

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Map;
import org.apache.flink.statefun.sdk.java.types.Type;

/**
 * The one ObjectMapper of the registry types, the map of every type by typename, and the
 * checked reading and writing: a value that breaks its schema is refused when read and is never
 * written.
 */
public final class RegistryJson {
  /** Shared mapper: unknown properties are errors (every schema has additionalProperties: false). */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  /** Every registry type by its typename. */
  public static final Map<String, Type<?>> TYPES =
      Map.ofEntries(
${models.map((m) => `          Map.entry(${m.name}.TYPENAME, ${m.name}.TYPE)`).join(",\n")});

  private RegistryJson() {}

  /** Writes a value as compact UTF-8 JSON. */
  public static byte[] serialize(Object value, Check check, String typeName) throws IOException {
    try {
      check.check(MAPPER.valueToTree(value), "");
    } catch (RegistryValidationException e) {
      throw new RegistryValidationException(typeName + ": cannot serialize: " + e.getMessage(), e.pointer());
    }
    return MAPPER.writeValueAsBytes(value);
  }

  /**
   * Reads UTF-8 JSON (a trailing newline, as the Go SDK writes, is fine), checked against the
   * schema first.
   */
  public static <T> T deserialize(byte[] bytes, Class<T> type, Check check, String typeName)
      throws IOException {
    try {
      check.check(MAPPER.readTree(bytes), "");
    } catch (RegistryValidationException e) {
      throw new RegistryValidationException(typeName + ": cannot deserialize: " + e.getMessage(), e.pointer());
    }
    return MAPPER.readValue(bytes, type);
  }

  /** A generated schema check over a JSON tree (each class's {@code check}). */
  @FunctionalInterface
  public interface Check {
    /** Throws a {@link RegistryValidationException} naming the JSON pointer. */
    void check(JsonNode json, String at);
  }
}
`,
  );
  return files;
}
