// makeJsonType: values that travel as UTF-8 JSON under a typename of your choice.

import { describeError, SerializationError } from "../errors.js";
import type { SimpleType } from "../simple-type.js";
import { isTypeName, type TypeName, typeNameFrom } from "../type-name.js";
import { decodeUtf8 } from "../utf8.js";

/**
 * A JSON type: the value travels as UTF-8 JSON text. Reads what every official SDK writes (Go
 * appends a newline, Python keeps non-ASCII characters); writes compact JSON without a newline.
 *
 * @example const UserType = makeJsonType<User>(typeNameFrom("com.example/User"));
 */
export function makeJsonType<T>(typeName: TypeName | string): SimpleType<T> {
  const name = isTypeName(typeName) ? typeName : typeNameFrom(typeName);
  const text = name.toString();
  return {
    typeName: name,
    serialize(value: T): Uint8Array {
      let json: string | undefined;
      try {
        json = JSON.stringify(value);
      } catch (error) {
        throw new SerializationError(
          `${text} cannot serialize the value as JSON: ${describeError(error)}`,
        );
      }
      if (json === undefined) {
        throw new SerializationError(
          `${text} cannot serialize ${String(value)} as JSON: it has no JSON form`,
        );
      }
      return Buffer.from(json, "utf8");
    },
    deserialize(bytes: Uint8Array): T {
      const json = decodeUtf8(bytes);
      if (json === undefined) {
        throw new SerializationError(
          `${text} cannot deserialize ${bytes.length} bytes: not valid UTF-8 (refused rather than replaced with U+FFFD; the writer must send UTF-8 JSON)`,
        );
      }
      try {
        return JSON.parse(json) as T;
      } catch (error) {
        throw new SerializationError(
          `${text} cannot deserialize ${bytes.length} bytes: not valid JSON (${describeError(error)})`,
        );
      }
    },
  };
}
