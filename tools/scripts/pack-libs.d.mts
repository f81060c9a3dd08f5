/** The published libraries (directories under libs/), in dependency order. */
export const PUBLISHED_LIBS: readonly string[];
/** The manifest as published: workspace-only fields and the "development" condition removed. */
export function publishedManifest(manifest: Record<string, unknown>): Record<string, unknown>;
/** Packs libs/<lib> (built) into `out` as it would be published; returns the tarball's path. */
export function packLib(lib: string, out: string): string;
