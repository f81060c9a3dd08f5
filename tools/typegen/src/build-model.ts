// Step 3 of the pipeline, build: turns a schema that passed every rule (schema-rules.ts) into the
// typed model the emitters read. It reports nothing: a node it cannot read is a typegen bug.

import { pascalCase } from "./names.js";
import {
  CONSTRAINT_KEYWORDS,
  type Constraints,
  type EnumType,
  type Field,
  type Identities,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  type ObjectType,
  type ResolvedSchema,
  type SchemaModel,
  type StringFormat,
  type TypeRef,
} from "./schema-model.js";
import { nodeForm, refTarget, supersededBy } from "./schema-rules.js";

/** Collects what a schema's nodes add besides their own type: nested types and referenced typenames. */
interface BuildContext {
  readonly resolved: ResolvedSchema;
  readonly identities: Identities;
  readonly nested: (ObjectType | EnumType)[];
  readonly refs: Set<string>;
}

interface Built {
  readonly type: TypeRef;
  readonly nullable: boolean;
}

/** Builds the model of a schema that passed {@link checkSchema}. */
export function buildModel(resolved: ResolvedSchema, identities: Identities): SchemaModel {
  const context: BuildContext = { resolved, identities, nested: [], refs: new Set() };
  const root = buildObject(resolved.schema, resolved.name, context);
  return {
    ...resolved,
    root,
    nested: context.nested,
    refs: [...context.refs].sort(),
    examples: Array.isArray(resolved.schema.examples) ? resolved.schema.examples : [],
    supersedes: supersededBy(resolved.schema).sort(),
  };
}

function invalid(context: BuildContext, what: string): never {
  throw new Error(`typegen bug: ${context.resolved.file} passed the rules but ${what}`);
}

function buildNode(node: JsonValue | undefined, nameHint: string, context: BuildContext): Built {
  if (!isJsonObject(node)) invalid(context, "holds a non-object schema");
  const form = nodeForm(node);
  if (typeof form === "string") invalid(context, `has a ${form}`);
  switch (form.form) {
    case "ref":
      return { type: buildRef(form.ref, context), nullable: false };
    case "nullable":
      return { type: buildNode(form.inner, nameHint, context).type, nullable: true };
    case "enum": {
      const enumType: EnumType = {
        kind: "enum",
        name: nameHint,
        values: (form.values as string[]).slice(),
      };
      context.nested.push(enumType);
      return { type: enumType, nullable: form.nullable };
    }
    case "typed":
      return { type: buildTyped(node, form.type, nameHint, context), nullable: form.nullable };
  }
}

// The validation keywords a node states (numbers and the pattern string), or undefined for none.
function constraintsOf(node: JsonObject): { constraints?: Constraints } {
  const out: Record<string, number | string> = {};
  for (const keyword of CONSTRAINT_KEYWORDS) {
    const value = node[keyword];
    if (typeof value === "number" || (keyword === "pattern" && typeof value === "string"))
      out[keyword] = value;
  }
  return Object.keys(out).length === 0 ? {} : { constraints: out as Constraints };
}

function buildTyped(
  node: JsonObject,
  type: JsonValue | undefined,
  nameHint: string,
  context: BuildContext,
): TypeRef {
  switch (type) {
    case "string":
      if (node.format === "int64") return { kind: "int64" };
      return {
        kind: "string",
        ...(typeof node.format === "string" ? { format: node.format as StringFormat } : {}),
        ...constraintsOf(node),
      };
    case "integer":
      return { kind: "int32", ...constraintsOf(node) };
    case "number":
      return { kind: "double", ...constraintsOf(node) };
    case "boolean":
      return { kind: "boolean" };
    case "array":
      return {
        kind: "array",
        items: buildNode(node.items, `${nameHint}Item`, context).type,
        ...constraintsOf(node),
      };
    case "object": {
      const object = buildObject(node, nameHint, context);
      context.nested.push(object);
      return object;
    }
    default:
      return invalid(context, `has type ${JSON.stringify(type)}`);
  }
}

// The root object is built like any other but not listed among the nested types.
function buildObject(node: JsonObject, objectName: string, context: BuildContext): ObjectType {
  const properties = isJsonObject(node.properties) ? node.properties : {};
  const required = Array.isArray(node.required) ? node.required : [];
  const fields: Field[] = [];
  for (const [jsonName, propertySchema] of Object.entries(properties)) {
    const built = buildNode(propertySchema, `${objectName}${pascalCase(jsonName)}`, context);
    fields.push({
      jsonName,
      type: built.type,
      required: required.includes(jsonName),
      nullable: built.nullable,
      description:
        isJsonObject(propertySchema) && typeof propertySchema.description === "string"
          ? propertySchema.description
          : undefined,
    });
  }
  return {
    kind: "object",
    name: objectName,
    description: typeof node.description === "string" ? node.description : undefined,
    fields,
  };
}

function buildRef(ref: JsonValue, context: BuildContext): TypeRef {
  const target = refTarget(ref, context.resolved.path);
  const identity = target === undefined ? undefined : context.identities.get(target);
  if (identity === undefined)
    return invalid(context, `has the unresolved $ref ${JSON.stringify(ref)}`);
  context.refs.add(identity.typeName);
  return { kind: "ref", name: identity.name, typeName: identity.typeName };
}
