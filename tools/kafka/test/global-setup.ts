// Builds tools/kafka once before the suite (a no-op when up to date; a cold Maven build downloads
// the Kafka jars). Without java/mvn the broker tests are skipped, and say so.
import { buildKafka } from "../kafka-broker.mjs";
import { kafkaSkipReason } from "./toolchain.js";

export default async function setup(): Promise<void> {
  const reason = kafkaSkipReason();
  if (reason) {
    console.warn(`kafka: ${reason}`);
    return;
  }
  const started = Date.now();
  await buildKafka();
  console.log(`kafka: build step ${Date.now() - started} ms (Maven, no-op when up to date)`);
}
