// Java emitter (apps/compat/fixtures/java/generated/io/statefun/registry): one final value class per
// schema with Jackson annotations and a StateFun Type built with the official Java SDK's
// SimpleType.simpleImmutableTypeFrom; nested objects and enums are nested types of that class.
import { generatedHeader } from "./header.js";
import { enumConstant } from "./names.js";
import type { EnumType, Field, ObjectType, SchemaModel, TypeRef } from "./schema-model.js";

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
  if (body) out.push("", body.trimEnd());
  out.push(`${indent}}`);
  return `${out.join("\n")}\n`;
}

function enumDeclaration(enumType: EnumType, indent: string): string {
  const constants = enumType.values
    .map((v) => `${indent}  @JsonProperty("${v}")\n${indent}  ${enumConstant(v)}`)
    .join(",\n");
  return `${indent}/** One of ${enumType.values.map((v) => `"${v}"`).join(", ")}. */\n${indent}public enum ${enumType.name} {\n${constants}\n${indent}}\n`;
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
      `  /** {@link ${model.name}} as a StateFun type: UTF-8 JSON through {@link RegistryJson}. */`,
      `  public static final Type<${model.name}> TYPE =`,
      "      SimpleType.simpleImmutableTypeFrom(",
      "          TypeName.typeNameFromString(TYPENAME),",
      "          RegistryJson::serialize,",
      `          bytes -> RegistryJson.deserialize(bytes, ${model.name}.class));`,
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
  files.set(
    `${dir}/RegistryJson.java`,
    `${generatedHeader("//", allSchemas)}package ${JAVA_PACKAGE};

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Map;
import org.apache.flink.statefun.sdk.java.types.Type;

/** The one ObjectMapper of the registry types, and the map of every type by typename. */
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
  public static byte[] serialize(Object value) throws IOException {
    return MAPPER.writeValueAsBytes(value);
  }

  /** Reads UTF-8 JSON (a trailing newline, as the Go SDK writes, is fine). */
  public static <T> T deserialize(byte[] bytes, Class<T> type) throws IOException {
    return MAPPER.readValue(bytes, type);
  }
}
`,
  );
  return files;
}
