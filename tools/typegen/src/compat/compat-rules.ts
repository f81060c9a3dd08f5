// The schema-evolution rules: every kind of change the compatibility check knows, which way it
// breaks (backward: new readers, old data; forward: old readers, new data), and how to make it
// compatible. The README's mode x rule table is this table; nothing here reads files.

/** The keyword that sets a schema's compatibility mode. */
export const MODE_KEYWORD = "x-statefun-compatibility";
/** The keyword that skips rules for one schema, each with a recorded reason. */
export const IGNORE_KEYWORD = "x-statefun-compat-ignore";

/** A compatibility mode, as `x-statefun-compatibility` declares it (default `backward`). */
export type CompatMode =
  | "backward"
  | "forward"
  | "full"
  | "none"
  | "backward_transitive"
  | "forward_transitive"
  | "full_transitive";

/** Every mode, in the order the README lists them. */
export const COMPAT_MODES: readonly CompatMode[] = [
  "backward",
  "forward",
  "full",
  "none",
  "backward_transitive",
  "forward_transitive",
  "full_transitive",
];

/** The mode of a schema that declares none. */
export const DEFAULT_MODE: CompatMode = "backward";

/** Which way a change breaks. */
export type Direction = "backward" | "forward";

/** When a rule breaks one direction. */
export type Effect =
  | "breaks"
  | "ok"
  /** only when the object is closed (`additionalProperties: false`, always the case in this registry) */
  | "breaks if closed"
  /** only when the field was required in the old schema */
  | "breaks if it was required";

/** One rule: what changed, which way it breaks, and how to make the change compatible. */
export interface CompatRule {
  readonly backward: Effect;
  readonly forward: Effect;
  /** What the change is, for the README. */
  readonly summary: string;
  /** Why it breaks, from the reader's side. */
  readonly why: string;
  /** How to make the change compatible. */
  readonly fix: string;
}

const NEW_VERSION =
  'or make a new version of the type (<Name>V2 declaring "x-statefun-supersedes": "<old typename>", see schemas/README.md "Versioned state") and migrate';

/** Every rule by id, in the order of the README table. */
export const COMPAT_RULES = {
  SCHEMA_REMOVED: {
    backward: "breaks",
    forward: "ok",
    summary: "a schema file is gone",
    why: "state and messages of this type (in checkpoints, in flight) have no reader any more",
    fix: 'keep the schema until no data of the type remains, then retire it in registry.config.json ("retired": {"<typename>": "<reason>"})',
  },
  TYPENAME_CHANGED: {
    backward: "breaks",
    forward: "breaks",
    summary: "a type moved to another typename",
    why: "readers find types by typename: old data is not found under the new one, and old readers do not know it",
    fix: `keep the old typename, ${NEW_VERSION.slice(3)}`,
  },
  FIELD_REMOVED: {
    backward: "breaks if closed",
    forward: "breaks if it was required",
    summary: "a property is gone",
    why: "old data may carry it and a closed object refuses unknown properties; old readers that require it refuse new data",
    fix: "keep the property (optional), stop writing it, and document it as deprecated",
  },
  FIELD_ADDED: {
    backward: "ok",
    forward: "breaks if closed",
    summary: "an optional property is new",
    why: "old readers of a closed object refuse the unknown property in new data",
    fix: "upgrade every reader before any writer sets it (that is mode backward), or add it in one release and write it in the next",
  },
  REQUIRED_FIELD_ADDED: {
    backward: "breaks",
    forward: "breaks if closed",
    summary: "a required property is new",
    why: "old data lacks it, so new readers refuse it; old readers of a closed object refuse it in new data",
    fix: "add it as optional (not in required) and let the reader supply the default",
  },
  FIELD_MADE_REQUIRED: {
    backward: "breaks",
    forward: "ok",
    summary: "an optional property became required",
    why: "old data may lack it, so new readers refuse it",
    fix: "keep it optional and make the writers always set it",
  },
  FIELD_MADE_OPTIONAL: {
    backward: "ok",
    forward: "breaks",
    summary: "a required property became optional",
    why: "new data may lack it, and old readers require it",
    fix: "keep it required until every reader treats it as optional",
  },
  FIELD_TYPE_CHANGED: {
    backward: "breaks",
    forward: "breaks",
    summary: "a value's type changed (e.g. string to integer, int32 to int64, another $ref)",
    why: "readers of either side refuse the other side's values",
    fix: `add a new property with the new type next to the old one, ${NEW_VERSION}`,
  },
  TYPE_WIDENED: {
    backward: "ok",
    forward: "breaks",
    summary: 'an "integer" became a "number"',
    why: "old readers refuse fractional numbers in new data",
    fix: "upgrade every reader first (mode backward), or add a new number property",
  },
  TYPE_NARROWED: {
    backward: "breaks",
    forward: "ok",
    summary: 'a "number" became an "integer"',
    why: "old data may hold fractional numbers that new readers refuse",
    fix: "keep it a number and round in the writer",
  },
  NULLABLE_ADDED: {
    backward: "ok",
    forward: "breaks",
    summary: "a value may now be null",
    why: "old readers refuse null",
    fix: "upgrade every reader first (mode backward), or add a new nullable property",
  },
  NULLABLE_REMOVED: {
    backward: "breaks",
    forward: "ok",
    summary: "a value may no longer be null",
    why: "old data may hold null, which new readers refuse",
    fix: "keep it nullable and stop writing null",
  },
  ENUM_VALUE_REMOVED: {
    backward: "breaks",
    forward: "ok",
    summary: "an enum lost a value",
    why: "old data may hold the value, which new readers refuse",
    fix: "keep the value (document it as deprecated) and stop writing it",
  },
  ENUM_VALUE_ADDED: {
    backward: "ok",
    forward: "breaks",
    summary: "an enum gained a value",
    why: "old readers refuse the new value",
    fix: "upgrade every reader before any writer uses the value (mode backward)",
  },
  CONSTRAINT_NARROWED: {
    backward: "breaks",
    forward: "ok",
    summary:
      "a pattern, format, length, range or item count accepts less (new, raised minimum, lowered maximum, changed pattern)",
    why: "old data may break the stricter constraint, so new readers refuse it",
    fix: "keep the old constraint in the schema and check the stricter rule in the writer's code",
  },
  CONSTRAINT_WIDENED: {
    backward: "ok",
    forward: "breaks",
    summary:
      "a pattern, format, length, range or item count accepts more (removed, lowered minimum, raised maximum, changed pattern)",
    why: "new data may break the old constraint, so old readers refuse it",
    fix: "upgrade every reader first (mode backward), or keep the old constraint",
  },
  ADDITIONAL_PROPERTIES_CLOSED: {
    backward: "breaks",
    forward: "ok",
    summary: "an open object became closed (additionalProperties: false)",
    why: "old data may carry properties the closed object refuses",
    fix: "keep the object open, or declare every property old data may carry",
  },
  ADDITIONAL_PROPERTIES_OPENED: {
    backward: "ok",
    forward: "breaks",
    summary: "a closed object became open",
    why: "new data may carry properties that old readers of the closed object refuse",
    fix: "keep it closed and add the properties you need as optional ones",
  },
} as const satisfies Record<string, CompatRule>;

/** A rule id, e.g. `FIELD_REMOVED`. */
export type RuleId = keyof typeof COMPAT_RULES;

/** Every rule id, in table order. */
export const RULE_IDS = Object.keys(COMPAT_RULES) as RuleId[];

/** True for a known rule id. */
export function isRuleId(value: string): value is RuleId {
  return Object.hasOwn(COMPAT_RULES, value);
}

/** The directions a mode checks (none checks nothing). */
export function modeDirections(mode: CompatMode): readonly Direction[] {
  if (mode.startsWith("backward")) return ["backward"];
  if (mode.startsWith("forward")) return ["forward"];
  if (mode.startsWith("full")) return ["backward", "forward"];
  return [];
}

/** True for the modes that check every earlier version, not only the one at the ref. */
export function isTransitive(mode: CompatMode): boolean {
  return mode.endsWith("_transitive");
}

/** The facts a conditional effect depends on. */
export interface ChangeFacts {
  /** The object is closed (in the schema that matters for the direction). */
  readonly closed?: boolean;
  /** The field was required in the old schema. */
  readonly wasRequired?: boolean;
}

/** Whether a rule, with the facts of one change, breaks a direction. */
export function breaks(rule: RuleId, direction: Direction, facts: ChangeFacts = {}): boolean {
  const effect: Effect = COMPAT_RULES[rule][direction];
  switch (effect) {
    case "breaks":
      return true;
    case "ok":
      return false;
    case "breaks if closed":
      return facts.closed === true;
    case "breaks if it was required":
      return facts.wasRequired === true;
  }
}

/** The README's mode x rule table (markdown), derived from the rules. */
export function compatTable(): string {
  const modes: CompatMode[] = ["backward", "forward", "full", "none"];
  const cell = (rule: RuleId, mode: CompatMode): string => {
    const effects = modeDirections(mode).map((d) => COMPAT_RULES[rule][d]);
    const breaking = effects.filter((e) => e !== "ok");
    if (breaking.length === 0) return "ok";
    if (breaking.includes("breaks")) return "**fails**";
    return [...new Set(breaking)].map((e) => `fails ${e.slice("breaks ".length)}`).join("; ");
  };
  const rows = RULE_IDS.map(
    (rule) =>
      `| \`${rule}\` | ${COMPAT_RULES[rule].summary} | ${modes.map((m) => cell(rule, m)).join(" | ")} |`,
  );
  return [
    `| rule | change | ${modes.join(" | ")} |`,
    `| --- | --- | ${modes.map(() => "---").join(" | ")} |`,
    ...rows,
  ].join("\n");
}
