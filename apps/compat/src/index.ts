// @statefun-ts/compat: the relay contract (README.md) on our SDK, the fixture tooling and the
// runtime-neutral live exchange (also at "@statefun-ts/compat/exchange").

export { Endpoints, freePort } from "./endpoints.js";
export * from "./exchange/index.js";
export {
  type BuildOutcome,
  buildFixture,
  FIXTURE_LANGS,
  FixtureBuildError,
  type FixtureLang,
  startFixture,
} from "./fixtures.js";
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
