// Compiles every schema with ajv (draft 2020-12) into one standalone ES module of validators,
// and checks each schema's examples against it at generation time.
import type { KeywordCxt } from "ajv/dist/2020.js";
import { _, Ajv2020, fullFormats, standaloneCode } from "./ajv.js";
import { pointerJoin, SchemaError, SchemaErrors } from "./schema-error.js";
import {
  isJsonObject,
  type JsonObject,
  type JsonValue,
  type SchemaModel,
  STRING_FORMATS,
} from "./schema-model.js";

/** The $id the generator gives a schema; relative `$ref`s resolve against it. */
export function schemaId(model: SchemaModel): string {
  return `https://statefun-ts.local/schemas/${model.namespace}/${model.name}.schema.json`;
}

/** The exported name of a schema's validator in validators.js. */
export function validatorName(model: Pick<SchemaModel, "name">): string {
  return `validate${model.name}`;
}

const ANNOTATIONS: ReadonlySet<string> = new Set([
  "x-statefun-compatibility",
  "x-statefun-compat-ignore",
  "title",
  "description",
  "examples",
  "$comment",
  "x-statefun-typename",
  "x-statefun-supersedes",
]);
const INT64_KEYWORD = "x-statefun-int64";
const INT64_MESSAGE =
  "must be an int64 as a decimal string (-9223372036854775808 to 9223372036854775807)";

// The schema ajv compiles: the author's schema with an $id, the exact int64 range check on
// `format: int64` strings and the int32 range on integers.
function derive(node: JsonValue): JsonValue {
  if (Array.isArray(node)) return node.map(derive);
  if (!isJsonObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    // Annotations do not validate anything; leaving them out keeps validators.js small.
    if (key === "properties" && isJsonObject(value))
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, derive(v)]));
    else if (!ANNOTATIONS.has(key)) out[key] = key === "enum" ? value : derive(value);
  }
  const types = Array.isArray(node.type) ? node.type : [node.type];
  if (types.includes("string") && node.format === "int64") out[INT64_KEYWORD] = true;
  if (types.includes("integer")) {
    out.minimum = Math.max(
      typeof node.minimum === "number" ? node.minimum : -2147483648,
      -2147483648,
    );
    out.maximum = Math.min(
      typeof node.maximum === "number" ? node.maximum : 2147483647,
      2147483647,
    );
  }
  return out;
}

function newAjv(): InstanceType<typeof Ajv2020> {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    // ajv-formats' "full" checks (real calendar dates, RFC 3339 date-times, RFC 3986 URIs); the
    // standalone module imports them from ajv-formats at run time.
    code: {
      source: true,
      esm: true,
      lines: true,
      formats: _`require("ajv-formats/dist/formats").fullFormats`,
    },
    formats: { int64: true, ...Object.fromEntries(STRING_FORMATS.map((f) => [f, fullFormats[f]])) },
  });
  ajv.addKeyword({ keyword: "x-statefun-typename", schemaType: "string" });
  ajv.addKeyword({ keyword: "x-statefun-supersedes", schemaType: ["string", "array"] });
  ajv.addKeyword({
    keyword: INT64_KEYWORD,
    type: "string",
    schemaType: "boolean",
    error: { message: INT64_MESSAGE },
    code(cxt: KeywordCxt) {
      const { data } = cxt;
      cxt.fail(
        _`!/^-?(0|[1-9][0-9]{0,18})$/.test(${data}) || (${data}.length >= 19 && (BigInt(${data}) > 9223372036854775807n || BigInt(${data}) < -9223372036854775808n))`,
      );
    },
  });
  return ajv;
}

/**
 * Compiles the validators and returns the ES module source (without header). Throws
 * {@link SchemaErrors} when an example does not validate.
 */
export function compileValidators(models: readonly SchemaModel[]): string {
  const ajv = newAjv();
  for (const model of models) {
    ajv.addSchema({ ...(derive(model.schema) as JsonObject), $id: schemaId(model) });
  }
  const errors: SchemaError[] = [];
  for (const model of models) {
    const validate = ajv.getSchema(schemaId(model));
    if (validate === undefined) throw new Error(`typegen bug: ajv lost ${schemaId(model)}`);
    model.examples.forEach((example, index) => {
      if (!validate(example)) {
        const detail = (validate.errors ?? [])
          .map((e) => `${e.instancePath || "(root)"} ${e.message}`)
          .join("; ");
        errors.push(
          new SchemaError(
            model.file,
            pointerJoin("/examples", index),
            "invalid-example",
            `the example does not match the schema: ${detail}`,
          ),
        );
      }
    });
  }
  if (errors.length > 0) throw new SchemaErrors(errors);
  const exports = Object.fromEntries(models.map((m) => [validatorName(m), schemaId(m)]));
  return rewriteRequires(standaloneCode(ajv, exports));
}

// ajv's ESM standalone output still calls require() for its runtime helpers (ucs2length, equal,
// ...). Turn each into a static import so the module loads as plain ESM. The helpers are CommonJS
// modules exporting `default`; Node hands over module.exports as the default export while
// bundlers (vitest) may already unwrap it, so take whichever is the function.
function rewriteRequires(code: string): string {
  const imports = new Map<string, string>();
  const body = code.replace(
    /require\("([^"]+)"\)(\.default)?/g,
    (_match, specifier: string, dflt: string | undefined) => {
      const path = specifier.endsWith(".js") ? specifier : `${specifier}.js`;
      let local = imports.get(path);
      if (local === undefined) {
        local = `runtime${imports.size}`;
        imports.set(path, local);
      }
      return dflt ? `cjsDefault(${local})` : local;
    },
  );
  const header = [...imports].map(([path, local]) => `import ${local} from "${path}";`);
  if (imports.size > 0) {
    header.push('const cjsDefault = (m) => (typeof m === "function" ? m : m.default);');
  }
  return `${header.join("\n")}${header.length > 0 ? "\n" : ""}${body.replace(/^"use strict";/, "")}`;
}
