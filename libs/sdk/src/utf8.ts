// The UTF-8 rules shared by the string and JSON types and the egress builders.

/*
 * UTF-8 rules for string values. Outgoing: a string must be well-formed Unicode (no lone
 * surrogates), so that its UTF-8 encoding is exact. Incoming: bytes that are not valid UTF-8 are
 * refused with an error, never replaced by U+FFFD silently (Go and Java reject invalid UTF-8 in
 * protobuf strings; the local runtime's ingress refuses it too). See the SDK README, "Invalid UTF-8".
 */

/** Whether a string is well-formed Unicode (no lone surrogates). */
export function isWellFormed(value: string): boolean {
  return (value as unknown as { isWellFormed(): boolean }).isWellFormed();
}

const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The text of UTF-8 bytes, or `undefined` when they are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strict.decode(bytes);
  } catch {
    return undefined;
  }
}
