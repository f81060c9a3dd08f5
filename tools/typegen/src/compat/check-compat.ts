// `generate --check-compat`: compares every schema in the working tree with its earlier
// version(s) from git and reports each change that breaks the schema's compatibility mode as
// `file#/pointer: RULE_ID: what changed ...; to make it compatible: ...`.
import { readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { findSchemaFiles } from "../load-schemas.js";
import { isJsonObject, type JsonObject } from "../schema-model.js";
import { supersededBy } from "../schema-rules.js";
import {
  breaks,
  COMPAT_RULES,
  type CompatMode,
  DEFAULT_MODE,
  type Direction,
  IGNORE_KEYWORD,
  isTransitive,
  MODE_KEYWORD,
  modeDirections,
  type RuleId,
} from "./compat-rules.js";
import { diffSchemas, type RefLookups } from "./diff-schemas.js";
import {
  chooseRef,
  readSchemaAt,
  type SchemaVersion,
  schemaHistory,
  schemasAt,
} from "./schema-history.js";

/** One breaking change. */
export interface CompatViolation {
  /** The schema file relative to the workspace root. */
  readonly file: string;
  readonly pointer: string;
  readonly rule: RuleId;
  readonly mode: CompatMode;
  readonly directions: readonly Direction[];
  /** The earlier version it was compared with. */
  readonly against: string;
  readonly detail: string;
  /** Set when x-statefun-compat-ignore (or registry.config.json's "retired") skips it. */
  readonly ignoredBecause?: string;
  /** The one-line report. */
  readonly message: string;
}

/** What one run found. */
export interface CompatReport {
  /** False when there was nothing to compare with (no git, unknown ref): `reason` says why. */
  readonly checked: boolean;
  readonly reason?: string;
  readonly against?: string;
  readonly notes: readonly string[];
  /** Schema files compared with at least one earlier version. */
  readonly compared: number;
  readonly violations: readonly CompatViolation[];
  readonly ignored: readonly CompatViolation[];
}

/** Options of {@link checkCompat}. */
export interface CompatOptions {
  /** The workspace root (git runs there; file names are relative to it). */
  readonly root: string;
  /** The schemas folder, relative to root. */
  readonly schemas: string;
  /** The ref to compare with (default: the merge base with main, HEAD on main). */
  readonly against?: string;
  /** Typenames deliberately removed, each with its reason (registry.config.json "retired"). */
  readonly retired?: Readonly<Record<string, string>>;
}

/** A schema's mode (the default when it declares none). */
export function modeOf(schema: JsonObject): CompatMode {
  const mode = schema[MODE_KEYWORD];
  return typeof mode === "string" ? (mode as CompatMode) : DEFAULT_MODE;
}

function ignoresOf(schema: JsonObject): Readonly<Record<string, string>> {
  const ignore = schema[IGNORE_KEYWORD];
  if (!isJsonObject(ignore)) return {};
  return Object.fromEntries(
    Object.entries(ignore).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
}

/** Formats one violation as its report line. */
export function formatViolation(v: Omit<CompatViolation, "message">): string {
  const rule = COMPAT_RULES[v.rule];
  const ignored = v.ignoredBecause === undefined ? "" : ` [ignored: ${v.ignoredBecause}]`;
  return `${v.file}#${v.pointer}: ${v.rule}: ${v.detail} (mode ${v.mode}, against ${v.against}): ${rule.why}; to make it compatible: ${rule.fix}${ignored}`;
}

/**
 * Compares one schema's versions and returns the changes that break its mode.
 *
 * @param file the file relative to the workspace root (for reports)
 * @param schemaFile the file relative to the schemas folder (resolves `$ref`s)
 */
export function compareVersions(
  before: JsonObject,
  after: JsonObject,
  file: string,
  schemaFile: string,
  against: string,
  lookups?: RefLookups,
): CompatViolation[] {
  const mode = modeOf(after);
  const directions = modeDirections(mode);
  const ignores = ignoresOf(after);
  const out: CompatViolation[] = [];
  const supersedes = supersededBy(after);
  for (const change of diffSchemas(before, after, schemaFile, lookups)) {
    // A new version that declares the typename it replaces is the versioning convention, not a rename.
    if (
      change.rule === "TYPENAME_CHANGED" &&
      supersedes.includes(String(before["x-statefun-typename"]))
    )
      continue;
    const broken = directions.filter((d) => breaks(change.rule, d, change.facts));
    if (broken.length === 0) continue;
    const ignoredBecause = ignores[change.rule];
    const v = {
      file,
      pointer: change.pointer,
      rule: change.rule,
      mode,
      directions: broken,
      against,
      detail: change.detail,
      ...(ignoredBecause === undefined ? {} : { ignoredBecause }),
    };
    out.push({ ...v, message: formatViolation(v) });
  }
  return out;
}

/** Runs the check over every schema. */
export function checkCompat(options: CompatOptions): CompatReport {
  const { root } = options;
  const schemas = options.schemas.split(sep).join("/").replace(/\/$/, "");
  const choice = chooseRef(root, options.against);
  if (!choice.ok)
    return {
      checked: false,
      reason: choice.reason,
      notes: [],
      compared: 0,
      violations: [],
      ignored: [],
    };

  const current = new Map<string, JsonObject>();
  for (const path of findSchemaFiles(join(root, schemas))) {
    const file = relative(join(root, schemas), path).split(sep).join("/");
    try {
      const value: unknown = JSON.parse(readFileSync(path, "utf8"));
      if (isJsonObject(value)) current.set(file, value);
    } catch {
      // generation reports unparsable files (invalid-json); nothing to compare here
    }
  }
  const atRef = schemasAt(root, schemas, choice.commit, choice.label);
  const needsHistory = [...current.values()].some((s) => isTransitive(modeOf(s)));
  const history = needsHistory ? schemaHistory(root, schemas) : new Map<string, SchemaVersion[]>();
  const all: CompatViolation[] = [];
  let compared = 0;

  for (const [file, after] of current) {
    const earlier: SchemaVersion[] = [];
    const refVersion = atRef.get(file);
    if (refVersion !== undefined) earlier.push(refVersion);
    if (isTransitive(modeOf(after))) earlier.push(...(history.get(file) ?? []));
    if (earlier.length > 0) compared++;
    const seen = new Set<string>();
    for (const version of earlier) {
      // `$ref`s of the old side are read at the old version's commit
      const lookups: RefLookups = {
        before: (f) => readSchemaAt(root, schemas, version.commit, f),
        after: (f) => current.get(f),
      };
      for (const v of compareVersions(
        version.schema,
        after,
        `${schemas}/${file}`,
        file,
        version.at,
        lookups,
      )) {
        const key = `${v.pointer}\n${v.rule}\n${v.detail}`;
        if (seen.has(key)) continue; // the same change against several earlier versions: once
        seen.add(key);
        all.push(v);
      }
    }
  }
  all.push(...removedSchemas(current, atRef, schemas, choice.label, options.retired ?? {}));
  return {
    checked: true,
    against: choice.label,
    notes: choice.notes,
    compared,
    violations: all.filter((v) => v.ignoredBecause === undefined),
    ignored: all.filter((v) => v.ignoredBecause !== undefined),
  };
}

// Files gone since the ref: TYPENAME_CHANGED when a new file declares the same title (the type
// moved), else SCHEMA_REMOVED; the removed version's mode decides.
function removedSchemas(
  current: ReadonlyMap<string, JsonObject>,
  atRef: ReadonlyMap<string, SchemaVersion>,
  schemas: string,
  against: string,
  retired: Readonly<Record<string, string>>,
): CompatViolation[] {
  const out: CompatViolation[] = [];
  for (const [file, { schema: before }] of atRef) {
    if (current.has(file)) continue;
    const mode = modeOf(before);
    const typeName = String(before["x-statefun-typename"]);
    const moved = [...current.entries()].find(
      ([f, s]) =>
        !atRef.has(f) && s.title === before.title && s["x-statefun-typename"] !== typeName,
    );
    // The new file declares it supersedes the old typename: a new version, not a rename (the
    // schema rules then require the old version's schema to stay in the registry).
    if (moved !== undefined && supersededBy(moved[1]).includes(typeName)) continue;
    const rule: RuleId = moved === undefined ? "SCHEMA_REMOVED" : "TYPENAME_CHANGED";
    const broken = modeDirections(mode).filter((d) => breaks(rule, d));
    if (broken.length === 0) continue;
    const detail =
      moved === undefined
        ? `${typeName} was removed`
        : `${typeName} moved to ${String(moved[1]["x-statefun-typename"])} (${schemas}/${moved[0]})`;
    const reason = retired[typeName];
    const v = {
      file: `${schemas}/${file}`,
      pointer: "",
      rule,
      mode,
      directions: broken,
      against,
      detail,
      ...(reason === undefined
        ? {}
        : { ignoredBecause: `retired in registry.config.json: ${reason}` }),
    };
    out.push({ ...v, message: formatViolation(v) });
  }
  return out;
}
