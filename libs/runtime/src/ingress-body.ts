// Turns an ingress request's body and Content-Type into a typed value: built-in types from plain
// text, registry types validated, strings checked for valid UTF-8.
import {
  BoolType,
  Float32Type,
  Float64Type,
  Int32Type,
  Int64Type,
  parseTypeName,
  type SimpleType,
  StringType,
} from "@statefun-ts/sdk";
import { typenameProblem } from "./address-rules.js";
import { describeError, IngressError } from "./errors.js";
import { invalidUtf8Offset } from "./utf8.js";
import { stringWrapperBytes } from "./wire-codec.js";

/** Checks the bytes of one typename; throws an Error whose message lists what is wrong. */
export type IngressValidator = (bytes: Uint8Array) => void;

/** Validators from types: a value is valid when the type can deserialize it. */
export function validatorsFromTypes(
  types: Iterable<SimpleType<unknown>>,
): Map<string, IngressValidator> {
  const validators = new Map<string, IngressValidator>();
  for (const type of types) {
    validators.set(type.typeName.toString(), (bytes) => {
      type.deserialize(bytes);
    });
  }
  return validators;
}

interface TextForm {
  readonly pattern: RegExp;
  readonly encode: (text: string) => Uint8Array;
}

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$|^[-+]?(Infinity|NaN)$/;

// Plain-text forms of the built-in types. A body that does not match is taken as the wrapper
// bytes themselves (what the playground and other SDKs send); wrapper bytes start with a field tag
// (0x08, 0x09, 0x0a, 0x0d), never with a digit, a sign or a letter.
const TEXT_FORMS: Record<string, TextForm> = {
  "io.statefun.types/bool": {
    pattern: /^(true|false)$/,
    encode: (text) => BoolType.serialize(text === "true"),
  },
  "io.statefun.types/int": {
    pattern: /^[-+]?\d+$/,
    encode: (text) => Int32Type.serialize(Number(text)),
  },
  "io.statefun.types/long": {
    pattern: /^[-+]?\d+$/,
    encode: (text) => Int64Type.serialize(BigInt(text.replace(/^\+/, ""))),
  },
  "io.statefun.types/float": {
    pattern: NUMBER,
    encode: (text) => Float32Type.serialize(Number(text)),
  },
  "io.statefun.types/double": {
    pattern: NUMBER,
    encode: (text) => Float64Type.serialize(Number(text)),
  },
};

const BUILT_IN: Record<string, SimpleType<unknown>> = {
  "io.statefun.types/bool": BoolType as SimpleType<unknown>,
  "io.statefun.types/int": Int32Type as SimpleType<unknown>,
  "io.statefun.types/long": Int64Type as SimpleType<unknown>,
  "io.statefun.types/float": Float32Type as SimpleType<unknown>,
  "io.statefun.types/double": Float64Type as SimpleType<unknown>,
  "io.statefun.types/string": StringType as SimpleType<unknown>,
};

const STRING = "io.statefun.types/string";
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The typename and bytes an ingress request carries. */
export interface IngressValue {
  readonly typename: string;
  readonly value: Uint8Array;
}

/**
 * Turns an ingress body into a typed value. `Content-Type: application/vnd.<typename>` takes the
 * body as the value bytes, except that built-in types also accept a plain-text body (`42`,
 * `true`, `1.5`, `hello`) which is encoded here; `text/plain` is `io.statefun.types/string`.
 * Registry types (validators) are checked. Throws {@link IngressError} with the HTTP status.
 */
export function ingressValue(
  contentType: string | undefined,
  body: Uint8Array,
  validators: ReadonlyMap<string, IngressValidator>,
): IngressValue {
  const mediaType = (contentType ?? "").split(";")[0]?.trim() ?? "";
  if (mediaType.toLowerCase() === "text/plain") {
    return { typename: STRING, value: StringType.serialize(decodeText(body, STRING)) };
  }
  if (!mediaType.toLowerCase().startsWith("application/vnd.")) {
    throw new IngressError(
      `Content-Type ${JSON.stringify(contentType ?? "")} is not supported: use "application/vnd.<typename>" (e.g. application/vnd.com.example/GreetRequest) or "text/plain" for a string`,
      415,
    );
  }
  const typename = checkedTypename(contentType, mediaType);
  const value = builtIn(typename, body) ?? body;
  const validate = validators.get(typename);
  if (validate) {
    try {
      validate(value);
    } catch (error) {
      throw new IngressError(`the body is not a valid ${typename}: ${describeError(error)}`, 400);
    }
  }
  return { typename, value };
}

/** Content-Type headers already checked, with their typename; cleared at {@link MAX_TYPENAMES}. */
const typenames = new Map<string, string>();
const MAX_TYPENAMES = 1_000;

/** The typename of an `application/vnd.<typename>` media type; a 400 when it is not valid. */
function checkedTypename(contentType: string | undefined, mediaType: string): string {
  const key = contentType ?? "";
  const known = typenames.get(key);
  if (known !== undefined) return known;
  const typename = mediaType.slice("application/vnd.".length);
  const parsed = parseTypeName(typename);
  if (parsed instanceof Error) {
    throw new IngressError(`Content-Type ${JSON.stringify(contentType)}: ${parsed.message}`, 400);
  }
  const problem = typenameProblem(typename);
  if (problem) {
    throw new IngressError(
      `Content-Type ${JSON.stringify(contentType)}: typename ${JSON.stringify(typename)} is not valid: ${problem}`,
      400,
    );
  }
  if (typenames.size >= MAX_TYPENAMES) typenames.clear();
  typenames.set(key, typename);
  return typename;
}

/** A 400 saying where the first invalid UTF-8 byte is, or undefined when `bytes` are valid. */
function utf8Problem(bytes: Uint8Array, what: string, base = 0): IngressError | undefined {
  const at = invalidUtf8Offset(bytes);
  if (at < 0) return undefined;
  const hex = [...bytes.subarray(at, at + 4)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
  return new IngressError(
    `${what} is not valid UTF-8: invalid byte sequence at byte ${base + at} (${hex}); send UTF-8 text, or bytes under another Content-Type`,
    400,
  );
}

function decodeText(body: Uint8Array, typename: string): string {
  const problem = utf8Problem(body, `the body of a text/plain (${typename}) message`);
  if (problem) throw problem;
  return utf8.decode(body);
}

function builtIn(typename: string, body: Uint8Array): Uint8Array | undefined {
  const type = BUILT_IN[typename];
  if (!type) return undefined;
  let text: string | undefined;
  try {
    text = utf8.decode(body);
  } catch {
    text = undefined;
  }
  try {
    if (typename === STRING) {
      // Wrapper bytes start with the field tag 0x0a; anything else is plain text.
      if (body.length > 0 && body[0] === 0x0a) {
        const inner = stringWrapperBytes(body);
        if (inner === undefined) {
          throw new IngressError(
            `the body of a ${typename} message starts like wrapper bytes (0x0a) but is not a valid string wrapper`,
            400,
          );
        }
        const problem = utf8Problem(
          inner,
          `the string inside the ${typename} wrapper`,
          inner.byteOffset - body.byteOffset,
        );
        if (problem) throw problem;
        return body;
      }
      if (text === undefined) {
        throw (
          utf8Problem(body, `the body of a ${typename} message`) ??
          new IngressError(`the body of a ${typename} message is not valid UTF-8`, 400)
        );
      }
      return StringType.serialize(text);
    }
    const form = TEXT_FORMS[typename];
    const trimmed = text?.replace(/[\r\n\t ]+$/, "");
    if (form && trimmed !== undefined && form.pattern.test(trimmed)) return form.encode(trimmed);
    type.deserialize(body);
    return body;
  } catch (error) {
    if (error instanceof IngressError) throw error;
    throw new IngressError(
      `the body is neither a plain-text ${typename} (e.g. ${example(typename)}) nor its wrapper bytes: ${describeError(error)}`,
      400,
    );
  }
}

function example(typename: string): string {
  switch (typename) {
    case "io.statefun.types/bool":
      return "true";
    case "io.statefun.types/float":
    case "io.statefun.types/double":
      return "1.5";
    default:
      return "42";
  }
}
