// TypeScript output (libs/registry/src/generated): one module per schema with the interface
// (json-schema-to-typescript), the typename constant and the validated SimpleType constant;
// validators.js (ajv standalone) with its .d.ts; registry.ts; index.ts.
import { dirname, posix } from "node:path";
import { compile } from "json-schema-to-typescript";
import { validatorName } from "./compile-validators.mjs";
import { generatedHeader } from "./header.mjs";

/** `GreetRequest` -> `greet-request`. */
export function kebabCase(name) {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

/** `GreetRequest` -> `GREET_REQUEST_TYPENAME`. */
export function typenameConstant(name) {
  return `${name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()}_TYPENAME`;
}

/** Path of a schema's module inside the generated folder, e.g. `compat/sample.ts`. */
export function tsModulePath(model) {
  return `${model.namespace}/${kebabCase(model.name)}.ts`;
}

function importPath(from, to) {
  const rel = posix.relative(posix.dirname(from), to).replace(/\.ts$/, ".js");
  return rel.startsWith(".") ? rel : `./${rel}`;
}

/**
 * @param {import("./load-schemas.mjs").SchemaModel[]} models
 * @param {string} validatorsSource ajv standalone module source
 * @param {string} allSchemas how headers of files built from every schema name their inputs
 * @returns {Promise<Map<string, string>>} file path (relative to the generated folder) -> text
 */
export async function emitTypeScript(models, validatorsSource, allSchemas) {
  /** @type {Map<string, string>} */
  const files = new Map();
  const byTypeName = new Map(models.map((m) => [m.typeName, m]));

  for (const model of models) {
    const path = tsModulePath(model);
    // Interfaces only; referenced types are imported from their own modules, not re-declared.
    const interfaceSource = await compile(structuredClone(model.schema), model.name, {
      bannerComment: "",
      cwd: dirname(model.path),
      declareExternallyReferenced: false,
      additionalProperties: false,
      format: false,
      strictIndexSignatures: true,
      unknownAny: true,
    });
    const imports = [
      `import { makeRegistryType, type RegistryType } from "${importPath(path, "../registry-type.ts")}";`,
      `import { ${validatorName(model)} } from "${importPath(path, "validators.ts")}";`,
      ...model.refs.map((typeName) => {
        const target = /** @type {import("./load-schemas.mjs").SchemaModel} */ (
          byTypeName.get(typeName)
        );
        return `import type { ${target.name} } from "${importPath(path, tsModulePath(target))}";`;
      }),
    ];
    const constant = typenameConstant(model.name);
    files.set(
      path,
      [
        generatedHeader("//", model.file),
        imports.join("\n"),
        "",
        interfaceSource.trim(),
        "",
        `/** The typename of {@link ${model.name}}: \`${model.typeName}\`. */`,
        `export const ${constant} = "${model.typeName}";`,
        "",
        `/**`,
        ` * {@link ${model.name}} as a StateFun type: UTF-8 JSON, validated against`,
        ` * \`${model.file}\` on deserialize and (unless \`withoutValidation()\`) on serialize.`,
        ` */`,
        `export const ${model.name}Type: RegistryType<${model.name}> = makeRegistryType<${model.name}>(`,
        `  ${constant},`,
        `  ${validatorName(model)},`,
        `);`,
        "",
      ].join("\n"),
    );
  }

  files.set(
    "validators.js",
    `${generatedHeader("//", allSchemas, "ajv standalone")}${validatorsSource}`,
  );
  files.set(
    "validators.d.ts",
    [
      generatedHeader("//", allSchemas),
      `import type { Validator } from "../validator.js";`,
      "",
      ...models.map(
        (m) =>
          `/** Validates a \`${m.typeName}\` value (${m.file}). */\nexport declare const ${validatorName(m)}: Validator;`,
      ),
      "",
    ].join("\n"),
  );

  const registryImports = models.map(
    (m) =>
      `import { ${typenameConstant(m.name)}, ${m.name}Type } from "./${tsModulePath(m).replace(/\.ts$/, ".js")}";`,
  );
  files.set(
    "registry.ts",
    [
      generatedHeader("//", allSchemas),
      `import type { RegistryType } from "../registry-type.js";`,
      ...registryImports,
      "",
      "/** Every registry type by its typename, e.g. to decode a message whose typename is only known at run time. */",
      "export const registry: ReadonlyMap<string, RegistryType<unknown>> = new Map<string, RegistryType<unknown>>([",
      ...models.map((m) => `  [${typenameConstant(m.name)}, ${m.name}Type],`),
      "]);",
      "",
    ].join("\n"),
  );
  files.set(
    "index.ts",
    [
      generatedHeader("//", allSchemas),
      ...models.map((m) => `export * from "./${tsModulePath(m).replace(/\.ts$/, ".js")}";`),
      `export { registry } from "./registry.js";`,
      "",
    ].join("\n"),
  );
  return files;
}
