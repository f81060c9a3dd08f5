// Decodes typed values (typename + bytes) for the inspector: built-ins as values, registry JSON
// parsed and checked, protobuf and unknown types as hex.

import type { DecodedValue, JsonValue, ViolationJson } from "@statefun-ts/inspector/api-types";
import {
  BoolType,
  Float32Type,
  Float64Type,
  Int32Type,
  Int64Type,
  type SimpleType,
  StringType,
} from "@statefun-ts/sdk";
import { describeError } from "../errors.js";
import type { IngressValidator } from "../ingress-body.js";

/** The bytes shown as hex at most. */
export const MAX_HEX_BYTES = 4096;
/** The characters of JSON text shown at most. */
export const MAX_TEXT_CHARS = 64 * 1024;

const BUILT_IN: Record<string, SimpleType<unknown>> = {
  "io.statefun.types/bool": BoolType as SimpleType<unknown>,
  "io.statefun.types/int": Int32Type as SimpleType<unknown>,
  "io.statefun.types/long": Int64Type as SimpleType<unknown>,
  "io.statefun.types/float": Float32Type as SimpleType<unknown>,
  "io.statefun.types/double": Float64Type as SimpleType<unknown>,
  "io.statefun.types/string": StringType as SimpleType<unknown>,
};

/** The typenames of StateFun's built-in types. */
export const BUILT_IN_TYPENAMES: readonly string[] = Object.keys(BUILT_IN);

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** What the decoder knows about registry types: their validators (which throw on bad values). */
export interface DecoderTypes {
  readonly validators: ReadonlyMap<string, IngressValidator>;
}

/** How much of a value a decoded form keeps. */
export interface DecodeLimits {
  /** Bytes shown as hex at most. */
  readonly hexBytes: number;
  /** Characters of JSON text at most. */
  readonly textChars: number;
}

/** The limits of the address view: a state value is shown in full up to 64 KiB of text. */
export const FULL_LIMITS: DecodeLimits = { hexBytes: MAX_HEX_BYTES, textChars: MAX_TEXT_CHARS };
/** The limits of the message flow, whose entries stay in a ring buffer. */
export const PREVIEW_LIMITS: DecodeLimits = { hexBytes: 256, textChars: 2048 };

/** Decodes one value; `typename` `""` means the type is not known (shown as hex). */
export function decodeValue(
  typename: string,
  bytes: Uint8Array,
  types: DecoderTypes,
  limits: DecodeLimits = FULL_LIMITS,
): DecodedValue {
  const hex = (b: Uint8Array) => hexOf(b, limits.hexBytes);
  const clip = (text: string) => clipText(text, limits.textChars);
  const size = bytes.length;
  const builtIn = BUILT_IN[typename];
  if (builtIn) {
    try {
      const value = builtInJson(builtIn.deserialize(bytes));
      if (typeof value === "string" && value.length > limits.textChars) {
        return {
          typename,
          kind: "builtin",
          bytes: size,
          value: value.slice(0, limits.textChars),
          truncated: true,
        };
      }
      return { typename, kind: "builtin", bytes: size, value };
    } catch (error) {
      return { typename, kind: "builtin", bytes: size, ...hex(bytes), error: describeError(error) };
    }
  }
  const validate = types.validators.get(typename);
  if (validate) return registryValue(typename, bytes, validate, limits);
  if (typename.startsWith("type.googleapis.com/")) {
    return { typename, kind: "protobuf", bytes: size, ...hex(bytes) };
  }
  // Unknown type (e.g. a function's own makeJsonType): hex, plus a preview when it is JSON.
  const preview = jsonText(bytes);
  return {
    typename,
    kind: "unknown",
    bytes: size,
    ...hex(bytes),
    ...(preview !== undefined ? clip(preview) : {}),
  };
}

function registryValue(
  typename: string,
  bytes: Uint8Array,
  validate: IngressValidator,
  limits: DecodeLimits,
): DecodedValue {
  let parsed: JsonValue;
  try {
    parsed = JSON.parse(utf8.decode(bytes)) as JsonValue;
  } catch (error) {
    return {
      typename,
      kind: "json",
      bytes: bytes.length,
      ...hexOf(bytes, limits.hexBytes),
      error: `not UTF-8 JSON: ${describeError(error)}`,
    };
  }
  let violations: ViolationJson[] = [];
  try {
    validate(bytes);
  } catch (error) {
    violations = violationsOf(error);
  }
  return {
    typename,
    kind: "json",
    bytes: bytes.length,
    ...(limits.textChars >= MAX_TEXT_CHARS ? { value: parsed } : {}),
    ...clipText(JSON.stringify(parsed, null, 2), limits.textChars),
    schema: violations.length === 0 ? "valid" : "invalid",
    violations,
  };
}

/** The violations of a validator's error: a RegistryValidationError's list, else its message. */
export function violationsOf(error: unknown): ViolationJson[] {
  const list = (error as { violations?: unknown }).violations;
  if (Array.isArray(list)) {
    return list
      .filter(
        (v): v is ViolationJson => typeof v?.pointer === "string" && typeof v?.message === "string",
      )
      .map((v) => ({ pointer: v.pointer, message: v.message }));
  }
  return [{ pointer: "", message: describeError(error) }];
}

function builtInJson(value: unknown): JsonValue {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return value as JsonValue;
}

function jsonText(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0) return undefined;
  const first = bytes[0];
  // Only objects, arrays and strings: a digit or a letter is too likely to be something else.
  if (first !== 0x7b && first !== 0x5b && first !== 0x22) return undefined;
  try {
    return JSON.stringify(JSON.parse(utf8.decode(bytes)), null, 2);
  } catch {
    return undefined;
  }
}

function hexOf(bytes: Uint8Array, max: number): { hex: string; truncated?: true } {
  const text = Buffer.from(bytes.subarray(0, max)).toString("hex");
  return bytes.length > max ? { hex: text, truncated: true } : { hex: text };
}

function clipText(text: string, max: number): { text: string; truncated?: true } {
  return text.length > max ? { text: text.slice(0, max), truncated: true } : { text };
}
