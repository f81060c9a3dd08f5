/**
 * Safe descriptions of thrown values for error messages. Whatever a function throws (an Error, a
 * string, `undefined`, a symbol, a null-prototype object, an object whose `message` or `toString`
 * throws, a revoked proxy), {@link describeThrown} returns a string and never throws itself.
 */

const MAX_LENGTH = 500;

/** A one-line description of any thrown value; never throws. */
export function describeThrown(value: unknown): string {
  try {
    return clip(describe(value));
  } catch {
    return "a value that cannot be described (inspecting it threw)";
  }
}

function describe(value: unknown): string {
  switch (typeof value) {
    case "string":
      return value === "" ? "an empty string" : value;
    case "undefined":
      return "undefined (the function threw or rejected with no value)";
    case "symbol":
      return `a symbol ${attempt(() => value.toString(), "Symbol()")}`;
    case "bigint":
      return `a bigint ${value}`;
    case "number":
    case "boolean":
      return `a ${typeof value} ${String(value)}`;
    case "function":
      return `a function ${attempt(() => value.name, "") || "(anonymous)"}`;
  }
  if (value === null) return "null";
  const object = value as object;
  if (attempt(() => object instanceof Error, false)) {
    const error = object as Error;
    const message = attempt(() => error.message, undefined);
    const name = attempt(() => error.name, undefined);
    if (typeof message === "string" && message !== "") return message;
    return typeof name === "string" && name !== ""
      ? `${name} with no message`
      : "an Error with no message";
  }
  // A plain object that looks like an error ({ message: "..." }).
  const message = attempt(() => (object as { message?: unknown }).message, undefined);
  if (typeof message === "string" && message !== "") return message;
  const prototype = attempt(() => Object.getPrototypeOf(object) as object | null, undefined);
  if (prototype === null) return `an object with a null prototype ${json(object)}`;
  const tag = attempt(() => Object.prototype.toString.call(object), "[object Object]");
  const text = attempt(() => {
    const s = String(object);
    return typeof s === "string" ? s : undefined;
  }, undefined);
  if (text !== undefined && text !== tag && text !== "[object Object]") return text;
  return `${tag} ${json(object)}`.trimEnd();
}

function json(value: object): string {
  return attempt(() => {
    const text = JSON.stringify(value);
    return typeof text === "string" ? text : "";
  }, "");
}

function attempt<T, F>(read: () => T, fallback: F): T | F {
  try {
    return read();
  } catch {
    return fallback;
  }
}

function clip(text: string): string {
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 3)}...` : text;
}
