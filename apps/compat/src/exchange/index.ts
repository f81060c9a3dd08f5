// The live exchange, runtime-neutral: routes, expected values (with the official SDKs'
// documented divergences), a runner over any runtime's ingress/egress, and the checks.

export { checkGeneric, checkRoute, checkRoutes } from "./check.js";
export {
  afterHop,
  afterRoute,
  comparable,
  deliveryPath,
  encodeCounter,
  expectedEgress,
  expectedHops,
  type HopExpectation,
  repliesTo,
  SIGN_OF_ZERO_LOST_BY,
} from "./expected.js";
export {
  type EdgeValue,
  EXCHANGE_KINDS,
  type ExchangeRoute,
  ExchangeRouteError,
  edgeValue,
  edgeValues,
  hopAddress,
  kindTypename,
  orderedPairs,
  permutations,
  relayType,
  routeId,
  routesOver,
} from "./route.js";
export {
  addressKey,
  type ExchangeObservation,
  type ExchangeOptions,
  type ExchangeRecord,
  type ExchangeRuntime,
  ExchangeTimeoutError,
  GENERIC_EGRESS_ID,
  KAFKA_EGRESS_ID,
  runExchange,
} from "./run.js";
