// The rules an address from outside must follow before the runtime accepts it: the function type
// as a typename (exactly one "/", non-empty parts, no wildcard, no whitespace or control
// characters) and an id (non-empty, no control characters), each within a length limit.
import { IngressError } from "./errors.js";

/** Longest function type (`<namespace>/<name>`) the ingress accepts, in characters. */
export const MAX_TYPE_LENGTH = 255;
/** Longest id the ingress accepts, in characters. */
export const MAX_ID_LENGTH = 1024;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const WHITESPACE = /\s/;

function shown(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

/** Why `text` is not a valid typename, or undefined when it is. */
export function typenameProblem(text: string): string | undefined {
  if (text.length === 0) return "it is empty";
  if (text.length > MAX_TYPE_LENGTH) return `it is longer than ${MAX_TYPE_LENGTH} characters`;
  const parts = text.split("/");
  if (parts.length !== 2)
    return `it must have exactly one "/" between namespace and name (it has ${parts.length - 1})`;
  if (parts.some((p) => p === "")) return "the namespace and the name must not be empty";
  if (text.includes("*")) return 'a wildcard "*" is a module.yaml pattern, not a function type';
  if (CONTROL.test(text)) return "it contains a control character";
  if (WHITESPACE.test(text)) return "it contains whitespace";
  return undefined;
}

/** Throws a 400 naming the rule when `<namespace>/<type>` is not a valid function type. */
export function checkFunctionType(namespace: string, type: string): void {
  const text = `${namespace}/${type}`;
  const problem = typenameProblem(text);
  if (problem) {
    throw new IngressError(
      `function type ${shown(text)} is not a valid typename: ${problem}. A function type is <namespace>/<name>, e.g. com.example.fns/greeter`,
      400,
    );
  }
}

/** Throws a 400 naming the rule when `id` is not a valid address id. */
export function checkId(id: string): void {
  const problem =
    id.length === 0
      ? "it is empty"
      : id.length > MAX_ID_LENGTH
        ? `it is longer than ${MAX_ID_LENGTH} characters`
        : CONTROL.test(id)
          ? "it contains a control character"
          : undefined;
  if (problem) throw new IngressError(`id ${shown(id)} is not valid: ${problem}`, 400);
}
