// ajv is CommonJS; this is the generator's one entry point to it (the 2020-12 class, the code
// template tag, and the standalone code generator). Nothing else.
import { createRequire } from "node:module";
import type { Ajv2020 as Ajv2020Class, _ as CodeTag, Format } from "ajv/dist/2020.js";

const require = createRequire(import.meta.url);

/** The draft 2020-12 Ajv class. */
export const Ajv2020: typeof Ajv2020Class = (
  require("ajv/dist/2020") as { default: typeof Ajv2020Class }
).default;
/** ajv's code template tag, for the inline code of custom keywords. */
export const _: typeof CodeTag = (require("ajv") as { _: typeof CodeTag })._;
/** ajv's standalone validation code generator: (ajv, exports name -> schema id) -> module source. */
export const standaloneCode = (
  require("ajv/dist/standalone") as {
    default: (ajv: Ajv2020Class, refsOrFunc: Record<string, string>) => string;
  }
).default;
/** ajv-formats' "full" format definitions, by format name. */
export const fullFormats = (
  require("ajv-formats/dist/formats") as { fullFormats: Readonly<Record<string, Format>> }
).fullFormats;
