// Reads earlier versions of the schema files from git: at one ref, and every distinct version in
// the history of HEAD. Also picks the default ref (the merge base with main). Only git plumbing
// lives here; a checkout without git, or a shallow one, is reported, never guessed around.
import { execFileSync } from "node:child_process";
import { isJsonObject, type JsonObject } from "../schema-model.js";

/** One version of a schema file. */
export interface SchemaVersion {
  /** Path relative to the schemas folder, with "/" separators. */
  readonly file: string;
  readonly schema: JsonObject;
  /** Where it comes from, for reports (a short commit id, or the ref's label). */
  readonly at: string;
  /** The commit it was read at. */
  readonly commit: string;
}

function git(args: readonly string[], cwd: string): string | undefined {
  try {
    return execFileSync("git", args, {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch {
    return undefined;
  }
}

/** The ref to compare with, or why there is none. */
export type RefChoice =
  | {
      readonly ok: true;
      readonly commit: string;
      readonly label: string;
      readonly notes: readonly string[];
    }
  | { readonly ok: false; readonly reason: string };

/** True when `root` is inside a git work tree with at least one commit. */
function hasHistory(root: string): boolean {
  return git(["rev-parse", "--verify", "-q", "HEAD^{commit}"], root) !== undefined;
}

const short = (commit: string): string => commit.slice(0, 10);

/**
 * Resolves `--against <ref>`, or the default: the merge base of HEAD with `main` (or
 * `origin/main`), which is HEAD itself on main; HEAD when there is no main branch.
 */
export function chooseRef(root: string, against: string | undefined): RefChoice {
  if (!hasHistory(root)) {
    return {
      ok: false,
      reason: "not a git checkout with commits: there is no earlier version to compare with",
    };
  }
  const shallow = git(["rev-parse", "--is-shallow-repository"], root)?.trim() === "true";
  const notes: string[] = [];
  if (shallow) {
    notes.push(
      "shallow clone: only the fetched history is visible (transitive modes check those versions only; `git fetch --unshallow` for all)",
    );
  }
  if (against !== undefined) {
    const commit = git(["rev-parse", "--verify", "-q", `${against}^{commit}`], root)?.trim();
    if (commit === undefined) {
      return {
        ok: false,
        reason: `--against ${against} is not a commit here${shallow ? " (this is a shallow clone: fetch it first, e.g. `git fetch --deepen 50`)" : ""}`,
      };
    }
    return { ok: true, commit, label: `${against} (${short(commit)})`, notes };
  }
  const head = git(["rev-parse", "HEAD"], root)?.trim() ?? "HEAD";
  for (const main of ["main", "origin/main"]) {
    if (git(["rev-parse", "--verify", "-q", `${main}^{commit}`], root) === undefined) continue;
    const base = git(["merge-base", "HEAD", main], root)?.trim();
    if (base === undefined) {
      notes.push(
        `no merge base with ${main}${shallow ? " in this shallow clone" : ""}: comparing with HEAD`,
      );
      break;
    }
    const label =
      base === head
        ? `HEAD (${short(base)}, the merge base with ${main})`
        : `the merge base with ${main} (${short(base)})`;
    return { ok: true, commit: base, label, notes };
  }
  if (notes.length === 0 || !notes.at(-1)?.startsWith("no merge base"))
    notes.push("no main branch: comparing with HEAD");
  return { ok: true, commit: head, label: `HEAD (${short(head)})`, notes };
}

function parseSchema(text: string | undefined): JsonObject | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined; // an old version that was not valid JSON has no readers to protect
  }
}

/**
 * Every schema file under `schemasDir` (relative to root, "/" separators) at a commit, by its
 * path relative to the schemas folder.
 */
export function schemasAt(
  root: string,
  schemasDir: string,
  commit: string,
  label: string = short(commit),
): Map<string, SchemaVersion> {
  const out = new Map<string, SchemaVersion>();
  const listing = git(["ls-tree", "-r", "--name-only", commit, "--", `${schemasDir}/`], root) ?? "";
  for (const path of listing.split("\n").filter((p) => p.endsWith(".schema.json"))) {
    const schema = parseSchema(git(["show", `${commit}:./${path}`], root));
    const file = path.slice(schemasDir.length + 1);
    if (schema !== undefined) out.set(file, { file, schema, at: label, commit });
  }
  return out;
}

/** One schema file (relative to the schemas folder) at a commit; undefined when absent or not an object. */
export function readSchemaAt(
  root: string,
  schemasDir: string,
  commit: string,
  file: string,
): JsonObject | undefined {
  return parseSchema(git(["show", `${commit}:./${schemasDir}/${file}`], root));
}

/**
 * Every distinct version of every schema file in the history of HEAD (newest first), by path
 * relative to the schemas folder: what the transitive modes compare with.
 */
export function schemaHistory(root: string, schemasDir: string): Map<string, SchemaVersion[]> {
  const out = new Map<string, SchemaVersion[]>();
  const seen = new Set<string>();
  const log =
    git(
      ["log", "--relative", "--format=commit %H", "--name-only", "HEAD", "--", `${schemasDir}/`],
      root,
    ) ?? "";
  let commit = "";
  for (const line of log.split("\n")) {
    if (line.startsWith("commit ")) {
      commit = line.slice("commit ".length);
      continue;
    }
    if (!line.endsWith(".schema.json") || commit === "") continue;
    const text = git(["show", `${commit}:./${line}`], root); // undefined where the commit deleted it
    if (text === undefined) continue;
    const file = line.slice(schemasDir.length + 1);
    const schema = parseSchema(text);
    const key = `${file}\n${JSON.stringify(schema)}`;
    if (schema === undefined || seen.has(key)) continue;
    seen.add(key);
    const versions = out.get(file) ?? [];
    versions.push({ file, schema, at: short(commit), commit });
    out.set(file, versions);
  }
  return out;
}
