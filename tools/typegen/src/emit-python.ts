// Python emitter (apps/compat/fixtures/python/generated/registry): one module per schema with
// dataclasses (from_dict/to_dict) and a StateFun type built with the official Python SDK's
// simple_type; __init__.py re-exports everything and holds REGISTRY.
import { generatedHeader } from "./header.js";
import { snakeCase } from "./names.js";
import type { ObjectType, SchemaModel, TypeRef } from "./schema-model.js";

function pyType(type: TypeRef): string {
  switch (type.kind) {
    case "string":
      return "str";
    case "int64":
    case "int32":
      return "int";
    case "double":
      return "float";
    case "boolean":
      return "bool";
    case "enum":
      return `Literal[${type.values.map((v) => JSON.stringify(v)).join(", ")}]`;
    case "object":
    case "ref":
      return `"${type.name}"`;
    case "array":
      return `List[${pyType(type.items)}]`;
  }
}

/** Python expression that turns the JSON value `v` into the field's Python value. */
function fromJson(type: TypeRef, v: string, where: string): string {
  switch (type.kind) {
    case "string":
      return `_rt.string(${v}, ${where})`;
    case "int64":
      return `_rt.int64_from_json(${v}, ${where})`;
    case "int32":
      return `_rt.int32(${v}, ${where})`;
    case "double":
      return `_rt.double(${v}, ${where})`;
    case "boolean":
      return `_rt.boolean(${v}, ${where})`;
    case "enum":
      return `_rt.enum(${v}, (${type.values.map((x) => JSON.stringify(x)).join(", ")},), ${where})`;
    case "object":
    case "ref":
      return `${type.name}.from_dict(${v})`;
    case "array":
      return `[${fromJson(type.items, "x", where)} for x in _rt.array(${v}, ${where})]`;
  }
}

/** Python expression that turns the field's Python value `v` into its JSON value. */
function toJson(type: TypeRef, v: string): string {
  switch (type.kind) {
    case "int64":
      return `_rt.int64_to_json(${v})`;
    case "double":
      return `float(${v})`;
    case "object":
    case "ref":
      return `${v}.to_dict()`;
    case "array":
      return `[${toJson(type.items, "x")} for x in ${v}]`;
    default:
      return v;
  }
}

function dataclass(object: ObjectType, typeName: string): string {
  const lines = ["", "", "@dataclass(kw_only=True)", `class ${object.name}:`];
  lines.push(
    `    """${(object.description ?? `${object.name}, generated from its schema.`).replaceAll('"""', "'''").replaceAll("\\", "\\\\")}"""`,
    "",
  );
  for (const field of object.fields) {
    const base = pyType(field.type);
    const annotation = field.nullable || !field.required ? `Optional[${base}]` : base;
    const defaultValue = field.required ? "" : " = None";
    lines.push(`    ${field.jsonName}: ${annotation}${defaultValue}`);
  }
  const known = object.fields.map((f) => JSON.stringify(f.jsonName)).join(", ");
  lines.push(
    "",
    `    _FIELDS: ClassVar[FrozenSet[str]] = frozenset((${known}${object.fields.length === 1 ? "," : ""}))`,
  );

  lines.push(
    "",
    "    def to_dict(self) -> Dict[str, Any]:",
    '        """The JSON object of this value (int64 as decimal strings)."""',
    "        d: Dict[str, Any] = {}",
  );
  for (const field of object.fields) {
    const v = `self.${field.jsonName}`;
    if (!field.required) {
      lines.push(
        `        if ${v} is not None:`,
        `            d[${JSON.stringify(field.jsonName)}] = ${toJson(field.type, v)}`,
      );
    } else if (field.nullable) {
      lines.push(
        `        d[${JSON.stringify(field.jsonName)}] = None if ${v} is None else ${toJson(field.type, v)}`,
      );
    } else {
      lines.push(`        d[${JSON.stringify(field.jsonName)}] = ${toJson(field.type, v)}`);
    }
  }
  lines.push("        return d");

  lines.push(
    "",
    "    @classmethod",
    `    def from_dict(cls, d: Any) -> "${object.name}":`,
    `        """Reads the JSON object of a ${typeName} value; raises ValueError naming the field when it does not match the schema."""`,
    `        _rt.check_object(d, cls._FIELDS, ${JSON.stringify(`${typeName} ${object.name}`)})`,
    "        return cls(",
  );
  for (const field of object.fields) {
    const key = JSON.stringify(field.jsonName);
    const where = JSON.stringify(`${typeName} ${object.name}.${field.jsonName}`);
    const conversion = fromJson(field.type, `d[${key}]`, where);
    if (field.required && !field.nullable) {
      lines.push(
        `            ${field.jsonName}=${fromJson(field.type, `_rt.required(d, ${key}, ${where})`, where)},`,
      );
    } else if (field.required) {
      lines.push(
        `            ${field.jsonName}=None if _rt.required(d, ${key}, ${where}) is None else ${conversion},`,
      );
    } else {
      lines.push(`            ${field.jsonName}=None if d.get(${key}) is None else ${conversion},`);
    }
  }
  lines.push("        )");
  return lines.join("\n");
}

const RUNTIME = `"""Helpers shared by the generated registry modules: checks that mirror the JSON Schemas."""

import json
import re
from typing import Any, FrozenSet, List, Tuple

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


def required(d: Any, key: str, where: str) -> Any:
    if key not in d:
        raise ValueError(f"{where} is required")
    return d[key]


def check_object(d: Any, fields: FrozenSet[str], where: str) -> None:
    if not isinstance(d, dict):
        raise ValueError(f"{where} must be a JSON object, got {type(d).__name__}")
    unknown = sorted(set(d) - fields)
    if unknown:
        raise ValueError(f"{where} has unknown properties {unknown} (additionalProperties is false)")


def string(v: Any, where: str) -> str:
    if not isinstance(v, str):
        raise ValueError(f"{where} must be a string, got {v!r}")
    return v


def boolean(v: Any, where: str) -> bool:
    if not isinstance(v, bool):
        raise ValueError(f"{where} must be a boolean, got {v!r}")
    return v


def int32(v: Any, where: str) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or not -(2**31) <= v <= 2**31 - 1:
        raise ValueError(f"{where} must be an int32, got {v!r}")
    return v


def double(v: Any, where: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ValueError(f"{where} must be a number, got {v!r}")
    return float(v)


def int64_from_json(v: Any, where: str) -> int:
    if not isinstance(v, str) or not re.fullmatch("-?(0|[1-9][0-9]*)", v):
        raise ValueError(f"{where} must be an int64 as a decimal string, got {v!r}")
    n = int(v)
    if not INT64_MIN <= n <= INT64_MAX:
        raise ValueError(f"{where} is out of the int64 range: {v}")
    return n


def int64_to_json(v: int) -> str:
    if isinstance(v, bool) or not isinstance(v, int) or not INT64_MIN <= v <= INT64_MAX:
        raise ValueError(f"{v!r} is not an int64")
    return str(v)


def enum(v: Any, values: Tuple[str, ...], where: str) -> Any:
    if v not in values:
        raise ValueError(f"{where} must be one of {list(values)}, got {v!r}")
    return v


def array(v: Any, where: str) -> List[Any]:
    if not isinstance(v, list):
        raise ValueError(f"{where} must be an array, got {v!r}")
    return v


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON that keeps non-ASCII characters (like the SDK's make_json_type)."""
    return json.dumps(value.to_dict(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def loads(data: bytes) -> Any:
    """Parses UTF-8 JSON; surrounding whitespace (the Go SDK's trailing newline) is fine."""
    return json.loads(data.decode("utf-8"))
`;

/**
 * @param allSchemas how the shared files' headers name their inputs
 * @returns path below the generated folder -> Python source
 */
export function emitPython(
  models: readonly SchemaModel[],
  allSchemas: string,
): Map<string, string> {
  const files = new Map<string, string>();
  const byTypeName = new Map(models.map((m) => [m.typeName, m]));
  for (const model of models) {
    const imports = model.refs.map((t) => {
      const target = byTypeName.get(t);
      if (target === undefined)
        throw new Error(`typegen bug: ${model.file} references unknown ${t}`);
      return `from .${snakeCase(target.name)} import ${target.name}`;
    });
    const parts = [
      generatedHeader("#", model.file).trimEnd(),
      `"""${model.typeName}: ${String(model.schema.description).replaceAll('"""', "'''").replaceAll("\\", "\\\\")}"""`,
      "",
      "from dataclasses import dataclass",
      "from typing import Any, ClassVar, Dict, FrozenSet, List, Literal, Optional  # noqa: F401",
      "",
      "from statefun import simple_type",
      "",
      "from . import _runtime as _rt",
      ...imports,
    ];
    // Nested types first: the annotations are strings, but from_dict needs the classes at call time only.
    parts.push(dataclass(model.root, model.typeName));
    for (const nested of model.nested) {
      if (nested.kind === "object") parts.push(dataclass(nested, model.typeName));
    }
    parts.push(
      "",
      "",
      `${model.name}TypeName = ${JSON.stringify(model.typeName)}`,
      `"""The typename of ${model.name}."""`,
      "",
      `${model.name}Type = simple_type(`,
      `    typename=${model.name}TypeName,`,
      "    serialize_fn=_rt.dumps,",
      `    deserialize_fn=lambda data: ${model.name}.from_dict(_rt.loads(data)),`,
      ")",
      `"""${model.name} as a StateFun type: UTF-8 JSON, int64 as decimal strings."""`,
      "",
    );
    files.set(`registry/${snakeCase(model.name)}.py`, parts.join("\n"));
  }
  files.set("registry/_runtime.py", `${generatedHeader("#", allSchemas)}${RUNTIME}`);
  const exportsList = models.flatMap((m) => [
    m.name,
    `${m.name}Type`,
    `${m.name}TypeName`,
    ...m.nested.filter((n) => n.kind === "object").map((n) => n.name),
  ]);
  files.set(
    "registry/__init__.py",
    [
      generatedHeader("#", allSchemas).trimEnd(),
      '"""The statefun-ts type registry for the official Python SDK: dataclasses and StateFun types."""',
      "",
      ...models.map((m) => {
        const names = [
          m.name,
          `${m.name}Type`,
          `${m.name}TypeName`,
          ...m.nested.filter((n) => n.kind === "object").map((n) => n.name),
        ];
        return `from .${snakeCase(m.name)} import ${names.join(", ")}`;
      }),
      "",
      "REGISTRY = {",
      ...models.map((m) => `    ${m.name}TypeName: ${m.name}Type,`),
      "}",
      '"""Every registry type by its typename."""',
      "",
      `__all__ = [${[...exportsList, "REGISTRY"].map((n) => JSON.stringify(n)).join(", ")}]`,
      "",
    ].join("\n"),
  );
  return files;
}
