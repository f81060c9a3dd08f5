// A hook that reads an API path and reads it again when its topics change (live updates).
import { useEffect, useState } from "preact/hooks";
import { getJson } from "./api.js";
import type { ChangedEvent } from "./api-types.js";
import { versions } from "./live.js";

/** The state of a read: the last data (kept while reading again) and the last error. */
export interface ApiState<T> {
  readonly data: T | undefined;
  readonly error: string | undefined;
  readonly loading: boolean;
  /** Reads again now. */
  readonly reload: () => void;
}

/** Reads `path` (no read when `null`), again whenever one of `topics` changes. */
export function useApi<T>(
  path: string | null,
  topics: ReadonlyArray<ChangedEvent["topics"][number]>,
): ApiState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  // Reading the versions here subscribes the component to them.
  const version = topics.map((t) => versions[t].value).join(".");
  useEffect(() => {
    if (path === null) return;
    const abort = new AbortController();
    setLoading(true);
    getJson<T>(path, abort.signal).then(
      (value) => {
        setData(value);
        setError(undefined);
        setLoading(false);
      },
      (reason: unknown) => {
        if (abort.signal.aborted) return;
        setError(reason instanceof Error ? reason.message : String(reason));
        setLoading(false);
      },
    );
    return () => abort.abort();
  }, [path, version, tick]);
  return { data, error, loading, reload: () => setTick((n) => n + 1) };
}
