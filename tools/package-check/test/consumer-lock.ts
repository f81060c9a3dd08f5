// A package-lock.json for the empty consumer project, so that `npm ci --offline` installs the
// packed tarballs and their dependencies from npm's cache alone. npm's cache holds the package
// tarballs `npm ci` fetched for the workspace but not the registry metadata a fresh resolution
// needs, so the third-party dependencies are pinned to the versions (and integrity) the
// workspace's lock resolved, which satisfy the published ranges.

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";

type LockEntry = Record<string, unknown> & {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  link?: boolean;
};

/** What the consumer project depends on: the tarballs and extra registry packages by version. */
export type ConsumerDeps = { tarballs: string[]; extra: Record<string, string> };

function tarballManifest(tarball: string): {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  bin?: Record<string, string>;
  engines?: Record<string, string>;
  license?: string;
} {
  return JSON.parse(
    execFileSync("tar", ["xzf", tarball, "-O", "package/package.json"], { encoding: "utf8" }),
  );
}

/** Finds where Node's resolution from `from` (a lock path) lands for `name` in the lock. */
function locate(packages: Record<string, LockEntry>, from: string, name: string): string {
  let dir = from;
  for (;;) {
    const candidate = dir === "" ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (dir === "") throw new Error(`the workspace lock has no ${name} reachable from ${from}`);
    const cut = dir.lastIndexOf("/node_modules/");
    dir = cut >= 0 ? dir.slice(0, cut) : "";
  }
}

/** The consumer's package.json dependencies and package-lock.json. */
export function consumerLock(
  workspaceRoot: string,
  deps: ConsumerDeps,
): { dependencies: Record<string, string>; lock: unknown } {
  const workspace = JSON.parse(readFileSync(join(workspaceRoot, "package-lock.json"), "utf8")) as {
    packages: Record<string, LockEntry>;
  };
  const packages: Record<string, LockEntry> = {};
  const dependencies: Record<string, string> = {};
  const pending: Array<{ from: string; to: string; name: string }> = [];
  for (const tarball of deps.tarballs) {
    const manifest = tarballManifest(tarball);
    const spec = `file:${tarball}`;
    dependencies[manifest.name] = spec;
    const at = `node_modules/${manifest.name}`;
    packages[at] = {
      version: manifest.version,
      resolved: spec,
      integrity: `sha512-${createHash("sha512").update(readFileSync(tarball)).digest("base64")}`,
      ...(manifest.license ? { license: manifest.license } : {}),
      ...(manifest.dependencies ? { dependencies: manifest.dependencies } : {}),
      ...(manifest.bin ? { bin: manifest.bin } : {}),
      ...(manifest.engines ? { engines: manifest.engines } : {}),
    };
    // a library's dependencies resolve as they do in the workspace (from libs/<dir>)
    const workspaceDir = Object.keys(workspace.packages).find(
      (key) => key.startsWith("libs/") && workspace.packages[key]?.name === manifest.name,
    );
    for (const name of Object.keys(manifest.dependencies ?? {})) {
      pending.push({ from: workspaceDir ?? "", to: at, name });
    }
  }
  for (const [name, version] of Object.entries(deps.extra)) {
    dependencies[name] = version;
    pending.push({ from: "", to: "", name });
  }
  while (pending.length > 0) {
    const { from, to, name } = pending.shift()!;
    const found = locate(workspace.packages, from, name);
    const entry = workspace.packages[found]!;
    if (entry.link) continue; // one of the tarballs (a workspace library)
    // same place relative to the root, or nested under the consumer-side parent
    const target = found.startsWith("node_modules/") ? found : `${to}/node_modules/${name}`;
    if (packages[target]) continue;
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...kept } = entry;
    // npm omits `resolved` for registry packages; without it an offline install asks for the
    // package's metadata, which the cache may not hold. The tarball URL is cached by `npm ci`.
    const packageName = found.slice(found.lastIndexOf("node_modules/") + "node_modules/".length);
    packages[target] = {
      ...kept,
      resolved:
        (kept.resolved as string | undefined) ??
        `https://registry.npmjs.org/${packageName}/-/${packageName.split("/").pop()}-${kept.version}.tgz`,
    };
    for (const dep of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
      const optional = entry.optionalDependencies?.[dep] !== undefined;
      try {
        pending.push({ from: found, to: target, name: dep });
        locate(workspace.packages, found, dep);
      } catch (error) {
        pending.pop();
        if (!optional) throw error; // an optional dependency of another platform is absent
      }
    }
  }
  const root = { name: "consumer", version: "1.0.0", dependencies };
  return {
    dependencies,
    lock: {
      name: "consumer",
      version: "1.0.0",
      lockfileVersion: 3,
      requires: true,
      packages: { "": root, ...packages },
    },
  };
}
