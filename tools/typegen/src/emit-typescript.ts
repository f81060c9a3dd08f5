// TypeScript emitter (outputs.typescript of registry.config.json): one module per schema with the interface
// (json-schema-to-typescript), the typename constant and the validated SimpleType constant;
// validators.js (ajv standalone) with its .d.ts; registry.ts; index.ts. No formatting here.
import { dirname, posix } from "node:path";
import { compile, type JSONSchema } from "json-schema-to-typescript";
import { validatorName } from "./compile-validators.js";
import { generatedHeader } from "./header.js";
import { kebabCase } from "./names.js";
import type { SchemaModel } from "./schema-model.js";

/** The package generated modules import `makeRegistryType`, `RegistryType` and `Validator` from. */
export const REGISTRY_LIBRARY = "@statefun-ts/registry";

/** `GreetRequest` -> `GREET_REQUEST_TYPENAME`. */
export function typenameConstant(name: string): string {
  return `${name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()}_TYPENAME`;
}

/** Path of a schema's module inside the generated folder, e.g. `compat/sample.ts`. */
export function tsModulePath(model: Pick<SchemaModel, "namespace" | "name">): string {
  return `${model.namespace}/${kebabCase(model.name)}.ts`;
}

function importPath(from: string, to: string): string {
  const rel = posix.relative(posix.dirname(from), to).replace(/\.ts$/, ".js");
  return rel.startsWith(".") ? rel : `./${rel}`;
}

/** `UserV2` -> `USER_V2_SUPERSEDES`. */
export function supersedesConstant(name: string): string {
  return typenameConstant(name).replace(/_TYPENAME$/, "_SUPERSEDES");
}

// For a type with x-statefun-supersedes: the list, and one typed state upgrade per old version.
function upgradeSource(model: SchemaModel, olds: readonly SchemaModel[]): string[] {
  if (olds.length === 0) return [];
  const lines = [
    `/** The typenames {@link ${model.name}} supersedes (\`x-statefun-supersedes\`): states of these types are upgraded to it. */`,
    `export const ${supersedesConstant(model.name)} = [${olds.map((o) => JSON.stringify(o.typeName)).join(", ")}] as const;`,
    "",
  ];
  for (const old of olds) {
    lines.push(
      `/**`,
      ` * Moves a state of \`${old.typeName}\` to {@link ${model.name}} under a new state name: put`,
      ` * \`.states\` in the function's states and read with \`.get(storage)\`, which upgrades an old`,
      ` * value through \`migrate\` and writes it back as \`${model.typeName}\` (see schemas/README.md).`,
      ` */`,
      `export function upgrade${old.name}To${model.name}(`,
      `  from: ValueSpec<${old.name}>,`,
      `  to: ValueSpec<${model.name}>,`,
      `  migrate: (old: ${old.name}) => ${model.name},`,
      `): StateUpgrade<${old.name}, ${model.name}> {`,
      `  return stateUpgrade(from, to, migrate, { from: ${JSON.stringify(old.typeName)}, to: ${typenameConstant(model.name)} });`,
      `}`,
      "",
    );
  }
  return lines;
}

/**
 * @param validatorsSource ajv standalone module source
 * @param allSchemas how headers of files built from every schema name their inputs
 * @returns file path (relative to the generated folder) -> text
 */
export async function emitTypeScript(
  models: readonly SchemaModel[],
  validatorsSource: string,
  allSchemas: string,
): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const byTypeName = new Map(models.map((m) => [m.typeName, m]));

  for (const model of models) {
    const path = tsModulePath(model);
    // Interfaces only; referenced types are imported from their own modules, not re-declared.
    const interfaceSource = await compile(structuredClone(model.schema) as JSONSchema, model.name, {
      bannerComment: "",
      cwd: dirname(model.path),
      declareExternallyReferenced: false,
      additionalProperties: false,
      format: false,
      strictIndexSignatures: true,
      unknownAny: true,
    });
    const olds = model.supersedes.map((typeName) => {
      const target = byTypeName.get(typeName);
      if (target === undefined)
        throw new Error(`typegen bug: ${model.file} supersedes unknown ${typeName}`);
      return target;
    });
    const upgradeImports =
      olds.length > 0 ? ", type StateUpgrade, stateUpgrade, type ValueSpec" : "";
    const imports = [
      `import { makeRegistryType, type RegistryType${upgradeImports} } from "${REGISTRY_LIBRARY}";`,
      `import { ${validatorName(model)} } from "${importPath(path, "validators.ts")}";`,
      ...model.refs.map((typeName) => {
        const target = byTypeName.get(typeName);
        if (target === undefined)
          throw new Error(`typegen bug: ${model.file} references unknown ${typeName}`);
        return `import type { ${target.name} } from "${importPath(path, tsModulePath(target))}";`;
      }),
      ...olds
        .filter((old) => !model.refs.includes(old.typeName))
        .map((old) => `import type { ${old.name} } from "${importPath(path, tsModulePath(old))}";`),
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
        ...upgradeSource(model, olds),
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
      `import type { Validator } from "${REGISTRY_LIBRARY}";`,
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
      `import type { RegistryType } from "${REGISTRY_LIBRARY}";`,
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
