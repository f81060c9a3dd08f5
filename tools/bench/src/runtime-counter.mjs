// The function of the runtime benchmark, in its own process: an int state `count` per id,
// incremented by every message, and one Kafka egress record (topic "counts") per message.
// Served by the SDK's createStatefunServer (its fastest server, as a user would run it) on
// 127.0.0.1 on a free port; prints {"port": n}; exits when stdin closes.
import {
  createStatefunServer,
  Int32Type,
  KafkaEgressBuilder,
  statefulFunctionsBuilder,
  typeNameFrom,
} from "@statefun-ts/sdk";

const count = { name: "count", valueType: Int32Type };
const out = typeNameFrom("bench.io/out");
const handler = statefulFunctionsBuilder()
  .withSpec({
    functionType: typeNameFrom("bench.fns/counter"),
    states: [count],
    function: (ctx) => {
      const n = (ctx.storage.get(count) ?? 0) + 1;
      ctx.storage.set(count, n);
      ctx.sendEgress(
        new KafkaEgressBuilder({ target: out, topic: "counts", key: ctx.self.id, value: `${n}` }),
      );
    },
  })
  .asHandler();

const server = createStatefunServer(handler);
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
