/** Bundles a workspace TypeScript entry into one ES module for plain Node; returns `outfile`. */
export function bundleTs(entry: string, outfile: string): Promise<string>;
