// The in-process cost of the SDK's opt-in metrics (HandlerOptions.metrics, a prom-client
// Registry) and tracing (HandlerOptions.tracing with no OpenTelemetry SDK registered): the same
// greeter batch through a plain handler and an observed one, alternating many short rounds,
// measured per CPU-second of this process (the machine is shared) and compared round by round.

import { Registry } from "prom-client";
import { greeterRequest, ourHandler } from "./greeter.mjs";

function cpuNs() {
  const used = process.cpuUsage();
  return (used.user + used.system) * 1000;
}

async function run(invoke, bytes, ops) {
  const start = cpuNs();
  for (let i = 0; i < ops; i++) await invoke(bytes);
  return (ops * 1e9) / Math.max(1, cpuNs() - start);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Overhead of `options` on a batch of `batch` invocations: the median over rounds of
 * (plain / observed - 1) per CPU-second, with both medians of requests per CPU-second.
 */
export async function benchOverhead(batch, options, { rounds = 41, ops } = {}) {
  const bytes = greeterRequest(batch);
  const plain = ourHandler().invoke;
  const observed = ourHandler(options).invoke;
  const perRound = ops ?? (batch === 1 ? 20_000 : 400);
  for (const invoke of [plain, observed]) await run(invoke, bytes, perRound * 3); // warm-up
  const ratios = [];
  const rates = { plain: [], observed: [] };
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? ["observed", "plain"] : ["plain", "observed"];
    const got = {};
    for (const name of order) {
      got[name] = await run(name === "plain" ? plain : observed, bytes, perRound);
    }
    rates.plain.push(got.plain);
    rates.observed.push(got.observed);
    ratios.push(got.plain / got.observed - 1);
  }
  return {
    batch,
    plain: median(rates.plain),
    observed: median(rates.observed),
    overhead: median(ratios),
  };
}

/** The variants measured: metrics on, tracing on without an OpenTelemetry SDK. */
export const OBSERVABILITY_VARIANTS = [["metrics on", () => ({ metrics: new Registry() })]];
