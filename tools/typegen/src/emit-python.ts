// Python emitter (package statefun_registry, e.g. libs/registry-python/src): one module per schema with
// dataclasses (from_dict/to_dict) and a StateFun type built with the official Python SDK's
// simple_type; __init__.py re-exports everything and holds REGISTRY.
import { generatedHeader } from "./header.js";
import { snakeCase } from "./names.js";
import type { Constraints, ObjectType, SchemaModel, TypeRef } from "./schema-model.js";

/** The Python package every generated module lives in. */
export const PYTHON_PACKAGE = "statefun_registry";

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

// A Python dict literal of a node's validation keywords (and string format), or "None".
function checks(type: { readonly constraints?: Constraints; readonly format?: string }): string {
  const entries = Object.entries({
    ...type.constraints,
    ...(type.format ? { format: type.format } : {}),
  });
  if (entries.length === 0) return "None";
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(", ")}}`;
}

/**
 * Python expression that turns the JSON value `v` at the JSON pointer `at` (a Python expression)
 * into the field's Python value, checking its type and validation keywords.
 */
function fromJson(type: TypeRef, v: string, at: string, depth = 0): string {
  switch (type.kind) {
    case "string":
      return `_rt.string(${v}, ${at}, ${checks(type)})`;
    case "int64":
      return `_rt.int64_from_json(${v}, ${at})`;
    case "int32":
      return `_rt.int32(${v}, ${at}, ${checks(type)})`;
    case "double":
      return `_rt.double(${v}, ${at}, ${checks(type)})`;
    case "boolean":
      return `_rt.boolean(${v}, ${at})`;
    case "enum":
      return `_rt.enum(${v}, (${type.values.map((x) => JSON.stringify(x)).join(", ")},), ${at})`;
    case "object":
    case "ref":
      return `${type.name}.from_dict(${v}, ${at})`;
    case "array": {
      const [i, x] = [`i${depth}`, `x${depth}`];
      return `[${fromJson(type.items, x, `${at} + "/" + str(${i})`, depth + 1)} for ${i}, ${x} in enumerate(_rt.array(${v}, ${at}, ${checks(type)}))]`;
    }
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
    `    def from_dict(cls, d: Any, at: str = "") -> "${object.name}":`,
    `        """Reads the JSON object of a ${typeName} value at the JSON pointer \`at\`; raises ValueError naming the pointer of the first value that breaks the schema."""`,
    "        _rt.check_object(d, cls._FIELDS, at)",
    "        return cls(",
  );
  for (const field of object.fields) {
    const key = JSON.stringify(field.jsonName);
    const at = `at + ${JSON.stringify(`/${field.jsonName.replaceAll("~", "~0").replaceAll("/", "~1")}`)}`;
    const conversion = fromJson(field.type, `d[${key}]`, at);
    if (field.required && !field.nullable) {
      lines.push(
        `            ${field.jsonName}=${fromJson(field.type, `_rt.required(d, ${key}, at)`, at)},`,
      );
    } else if (field.required) {
      lines.push(
        `            ${field.jsonName}=None if _rt.required(d, ${key}, at) is None else ${conversion},`,
      );
    } else {
      // absent is None; a present null is refused like any other wrong type
      lines.push(`            ${field.jsonName}=None if ${key} not in d else ${conversion},`);
    }
  }
  lines.push("        )");
  return lines.join("\n");
}

const RUNTIME = `"""Helpers shared by the generated registry modules: the same checks as the JSON Schemas (and the
TypeScript validators): types, required fields, enums, pattern, lengths, ranges, item counts and
the string formats. Every error is a ValueError that starts with the JSON pointer of the value."""

import json
import re
from typing import Any, Dict, FrozenSet, List, Optional, Tuple, Type

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1


def fail(at: str, message: str) -> None:
    raise ValueError(f"{at or '(root)'} {message}")


def required(d: Any, key: str, at: str) -> Any:
    if key not in d:
        fail(f"{at}/{key}", "is required")
    return d[key]


def check_object(d: Any, fields: FrozenSet[str], at: str) -> None:
    if not isinstance(d, dict):
        fail(at, f"must be an object, got {type(d).__name__}")
    for key in sorted(set(d) - fields):
        fail(f"{at}/{key}", "is not allowed (the schema has additionalProperties: false)")


# The string formats, as ajv-formats' "full" mode checks them (TypeScript's validators).
_DATE = re.compile(r"(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)", re.ASCII)
_DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
_TIME = re.compile(r"(\\d\\d):(\\d\\d):(\\d\\d(?:\\.\\d+)?)(z|([+-])(\\d\\d)(?::?(\\d\\d))?)?", re.ASCII | re.IGNORECASE)
_DATE_TIME_SEPARATOR = re.compile(r"t|\\s", re.IGNORECASE)
_UUID = re.compile(r"(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}", re.ASCII | re.IGNORECASE)
_EMAIL = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_\`{|}~-]+(?:\\.[a-z0-9!#$%&'*+/=?^_\`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?",
    re.ASCII | re.IGNORECASE,
)
_URI = re.compile(
    r"(?:[a-z][a-z0-9+\\-.]*:)(?:\\/?\\/(?:(?:[a-z0-9\\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:\\[(?:(?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){4}|(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}|(?:(?:[0-9a-f]{1,4}:){0,2}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){2}|(?:(?:[0-9a-f]{1,4}:){0,3}[0-9a-f]{1,4})?::[0-9a-f]{1,4}:|(?:(?:[0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::)(?:[0-9a-f]{1,4}:[0-9a-f]{1,4}|(?:(?:25[0-5]|2[0-4]\\d|[01]?\\d\\d?)\\.){3}(?:25[0-5]|2[0-4]\\d|[01]?\\d\\d?))|(?:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}|(?:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})?::)|[Vv][0-9a-f]+\\.[a-z0-9\\-._~!$&'()*+,;=:]+)\\]|(?:(?:25[0-5]|2[0-4]\\d|[01]?\\d\\d?)\\.){3}(?:25[0-5]|2[0-4]\\d|[01]?\\d\\d?)|(?:[a-z0-9\\-._~!$&'()*+,;=]|%[0-9a-f]{2})*)(?::\\d*)?(?:\\/(?:[a-z0-9\\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*|\\/(?:(?:[a-z0-9\\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\\/(?:[a-z0-9\\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)?|(?:[a-z0-9\\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\\/(?:[a-z0-9\\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)(?:\\?(?:[a-z0-9\\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?(?:#(?:[a-z0-9\\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?",
    re.ASCII | re.IGNORECASE,
)


def _is_date(s: str) -> bool:
    m = _DATE.fullmatch(s)
    if not m:
        return False
    year, month, day = int(m[1]), int(m[2]), int(m[3])
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 1 <= month <= 12 and 1 <= day <= (29 if month == 2 and leap else _DAYS[month])


def _is_time(s: str) -> bool:
    m = _TIME.fullmatch(s)
    if not m:
        return False
    hr, mn, sec = int(m[1]), int(m[2]), float(m[3])
    tz_sign = -1 if m[5] == "-" else 1
    tz_h, tz_m = int(m[6] or 0), int(m[7] or 0)
    if tz_h > 23 or tz_m > 59 or not m[4]:
        return False
    if hr <= 23 and mn <= 59 and sec < 60:
        return True
    utc_min = mn - tz_m * tz_sign  # a leap second: 23:59:60 UTC
    utc_hr = hr - tz_h * tz_sign - (1 if utc_min < 0 else 0)
    return utc_hr in (23, -1) and utc_min in (59, -1) and sec < 61


def _is_date_time(s: str) -> bool:
    parts = _DATE_TIME_SEPARATOR.split(s)
    return len(parts) == 2 and _is_date(parts[0]) and _is_time(parts[1])


FORMATS = {
    "date-time": _is_date_time,
    "date": _is_date,
    "uuid": lambda s: _UUID.fullmatch(s) is not None,
    "email": lambda s: _EMAIL.fullmatch(s) is not None,
    "uri": lambda s: ("/" in s or ":" in s) and _URI.fullmatch(s) is not None,
}


def string(v: Any, at: str, checks: Optional[Dict[str, Any]] = None) -> str:
    if not isinstance(v, str):
        fail(at, f"must be a string, got {v!r}")
    if checks:
        n = len(v)  # code points, as ajv counts them
        if "minLength" in checks and n < checks["minLength"]:
            fail(at, f"must NOT have fewer than {checks['minLength']} characters")
        if "maxLength" in checks and n > checks["maxLength"]:
            fail(at, f"must NOT have more than {checks['maxLength']} characters")
        if "pattern" in checks and re.search(checks["pattern"], v) is None:
            fail(at, f'must match pattern "{checks["pattern"]}"')
        if "format" in checks and not FORMATS[checks["format"]](v):
            fail(at, f'must match format "{checks["format"]}"')
    return v


def boolean(v: Any, at: str) -> bool:
    if not isinstance(v, bool):
        fail(at, f"must be a boolean, got {v!r}")
    return v


def _range(v: Any, at: str, checks: Optional[Dict[str, Any]]) -> None:
    if not checks:
        return
    if "minimum" in checks and v < checks["minimum"]:
        fail(at, f"must be >= {checks['minimum']}")
    if "maximum" in checks and v > checks["maximum"]:
        fail(at, f"must be <= {checks['maximum']}")
    if "exclusiveMinimum" in checks and v <= checks["exclusiveMinimum"]:
        fail(at, f"must be > {checks['exclusiveMinimum']}")
    if "exclusiveMaximum" in checks and v >= checks["exclusiveMaximum"]:
        fail(at, f"must be < {checks['exclusiveMaximum']}")


def int32(v: Any, at: str, checks: Optional[Dict[str, Any]] = None) -> int:
    # JSON has one number type: 2.0 is the integer 2 (as in ajv)
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, bool) or not isinstance(v, int) or not INT32_MIN <= v <= INT32_MAX:
        fail(at, f"must be an int32, got {v!r}")
    _range(v, at, checks)
    return v


def double(v: Any, at: str, checks: Optional[Dict[str, Any]] = None) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        fail(at, f"must be a number, got {v!r}")
    _range(v, at, checks)
    return float(v)


def int64_from_json(v: Any, at: str) -> int:
    if not isinstance(v, str) or not re.fullmatch("-?(0|[1-9][0-9]*)", v, re.ASCII):
        fail(at, f"must be an int64 as a decimal string, got {v!r}")
    n = int(v)
    if not INT64_MIN <= n <= INT64_MAX:
        fail(at, f"is out of the int64 range: {v}")
    return n


def int64_to_json(v: int) -> str:
    if isinstance(v, bool) or not isinstance(v, int) or not INT64_MIN <= v <= INT64_MAX:
        raise ValueError(f"{v!r} is not an int64")
    return str(v)


def enum(v: Any, values: Tuple[str, ...], at: str) -> Any:
    if not isinstance(v, str) or v not in values:
        fail(at, f"must be one of {list(values)}, got {v!r}")
    return v


def array(v: Any, at: str, checks: Optional[Dict[str, Any]] = None) -> List[Any]:
    if not isinstance(v, list):
        fail(at, f"must be an array, got {v!r}")
    if checks:
        if "minItems" in checks and len(v) < checks["minItems"]:
            fail(at, f"must NOT have fewer than {checks['minItems']} items")
        if "maxItems" in checks and len(v) > checks["maxItems"]:
            fail(at, f"must NOT have more than {checks['maxItems']} items")
    return v


def dumps(value: Any, cls: Type[Any], typename: str) -> bytes:
    """Checks the value against its schema, then writes compact UTF-8 JSON that keeps non-ASCII
    characters (like the SDK's make_json_type). A value the schema refuses never reaches the wire."""
    try:
        if not isinstance(value, cls):
            raise ValueError(f"(root) must be a {cls.__name__}, got {type(value).__name__}")
        d = value.to_dict()
        cls.from_dict(json.loads(json.dumps(d)))
    except (ValueError, TypeError, AttributeError) as e:
        raise ValueError(f"{typename}: cannot serialize: {e}") from e
    return json.dumps(d, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def read(data: bytes, cls: Type[Any], typename: str) -> Any:
    """Parses UTF-8 JSON (surrounding whitespace, such as the Go SDK's trailing newline, is fine)
    and checks it against the schema."""
    try:
        return cls.from_dict(json.loads(data.decode("utf-8")))
    except (ValueError, UnicodeDecodeError) as e:
        raise ValueError(f"{typename}: cannot deserialize: {e}") from e
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
      `    serialize_fn=lambda value: _rt.dumps(value, ${model.name}, ${model.name}TypeName),`,
      `    deserialize_fn=lambda data: _rt.read(data, ${model.name}, ${model.name}TypeName),`,
      ")",
      `"""${model.name} as a StateFun type: UTF-8 JSON, int64 as decimal strings."""`,
      "",
    );
    files.set(`${PYTHON_PACKAGE}/${snakeCase(model.name)}.py`, parts.join("\n"));
  }
  files.set(`${PYTHON_PACKAGE}/_runtime.py`, `${generatedHeader("#", allSchemas)}${RUNTIME}`);
  const exportsList = models.flatMap((m) => [
    m.name,
    `${m.name}Type`,
    `${m.name}TypeName`,
    ...m.nested.filter((n) => n.kind === "object").map((n) => n.name),
  ]);
  files.set(
    `${PYTHON_PACKAGE}/__init__.py`,
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
