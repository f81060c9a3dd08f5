import Long from "long";
import type { compat } from "../generated/compat.js";

const long = (text: string) => Long.fromString(text);

/** compat.Point values: default (empty bytes), int64/int32 extremes, NaN, nesting, size. */
export const POINTS: ReadonlyArray<readonly [string, compat.Point.$Properties]> = [
  ["empty", {}],
  [
    "full",
    {
      x: long("-9223372036854775808"),
      y: 1.5,
      label: "héllo ✓ 日本",
      tags: [0, -1, 2147483647, -2147483648],
      visible: true,
      origin: { x: long("9223372036854775807"), y: Number.NaN, label: "" },
    },
  ],
  [
    "nested",
    {
      x: 1,
      origin: { x: 2, origin: { x: 3, origin: { label: "deep", visible: true, y: -1e308 } } },
    },
  ],
  [
    "large",
    {
      x: long("9007199254740993"),
      y: Number.POSITIVE_INFINITY,
      label: "p€".repeat(2048),
      tags: Array.from({ length: 1000 }, (_, i) => i * 2147 - 1_000_000),
    },
  ],
];
