import { SampleType } from "@statefun-ts/registry-examples";
import {
  BoolType,
  Float32Type,
  Float64Type,
  Int32Type,
  Int64Type,
  makeProtobufType,
  type SimpleType,
  StringType,
  type ValueSpec,
} from "@statefun-ts/sdk";
import { compat } from "./generated/compat.js";

/** One value kind the relay carries: its name, its SDK type and its state (`v_<name>`). */
export interface Kind<T = unknown> {
  readonly name: string;
  readonly type: SimpleType<T>;
  readonly spec: ValueSpec<T>;
}

function kind<T>(name: string, type: SimpleType<T>): Kind<unknown> {
  return { name, type, spec: { name: `v_${name}`, valueType: type } } as Kind<unknown>;
}

/** The value kinds in contract order (README.md), the same list in every fixture. */
export const KINDS: readonly Kind[] = [
  kind("bool", BoolType),
  kind("int", Int32Type),
  kind("long", Int64Type),
  kind("float", Float32Type),
  kind("double", Float64Type),
  kind("string", StringType),
  kind("sample", SampleType),
  kind("point", makeProtobufType(compat.Point)),
];

/** The relay's hit counter. */
export const RECEIVED: ValueSpec<bigint> = { name: "received", valueType: Int64Type };
