// @statefun-ts/compat: the relay contract (README.md) on our SDK, and the fixture tooling.

export { buildFixture, FIXTURE_LANGS, type FixtureLang, startFixture } from "./fixtures.js";
export { KINDS, type Kind, RECEIVED } from "./kinds.js";
export {
  AFTER_DELAY_MS,
  CANCEL_DELAY_MS,
  DUMP_TYPENAME,
  LANGS,
  type Lang,
  MODES,
  type Mode,
  registerRelay,
  relay,
} from "./relay.js";
export { serveRelay } from "./serve.js";
