// ajv is CommonJS; this is its one ESM entry point for the generator.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
/** @type {typeof import("ajv/dist/2020.js").default} */
export const Ajv2020 = require("ajv/dist/2020").default;
/** ajv's code template tag, for the inline code of custom keywords. */
export const { _ } = require("ajv");
