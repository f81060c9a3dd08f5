// The UTF-8 well-formedness check shared by the string type and the egress builders.

/**
 * Whether a string is well-formed Unicode (no lone surrogates), so that its UTF-8 encoding is
 * exact. Go and Java reject invalid UTF-8 in protobuf strings; a lone surrogate would otherwise be
 * replaced by U+FFFD silently.
 */
export function isWellFormed(value: string): boolean {
  return (value as unknown as { isWellFormed(): boolean }).isWellFormed();
}
