// The page's client of the inspector's JSON API: same origin, JSON in and out, errors as
// ApiError with the server's reason.

/** An answer other than 2xx, with the server's `{ error }` reason. */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function answer<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text === "" ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const reason = (body as { error?: unknown } | undefined)?.error;
    throw new ApiError(
      response.status,
      typeof reason === "string" ? reason : `HTTP ${response.status}: ${text.slice(0, 200)}`,
    );
  }
  return body as T;
}

/** `GET /api/<path>`. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return answer<T>(
    await fetch(`/api/${path}`, {
      signal: signal ?? null,
      headers: { Accept: "application/json" },
    }),
  );
}

/** `POST /api/<path>` with a JSON body. */
export async function postJson<T>(path: string, body?: unknown): Promise<T> {
  return answer<T>(
    await fetch(`/api/${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body ?? {}),
    }),
  );
}

/** `DELETE /api/<path>`. */
export async function deleteJson<T>(path: string): Promise<T> {
  return answer<T>(
    await fetch(`/api/${path}`, { method: "DELETE", headers: { Accept: "application/json" } }),
  );
}

/** The path of an address under /api/addresses/. */
export function addressPath(address: { namespace: string; type: string; id: string }): string {
  return [address.namespace, address.type, address.id].map(encodeURIComponent).join("/");
}
