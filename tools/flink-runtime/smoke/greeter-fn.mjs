// A tiny remote function written with the OFFICIAL JS SDK (npm apache-flink-statefun@3.3.0),
// served on 127.0.0.1, used by smoke-test.sh to prove the real runtime works end to end.
//   com.example/greeter: counts greetings per id in state "seen" (int), emits a Kafka record to
//     egress com.example/greets and forwards a string to com.example/echo.
//   com.example/echo: writes what it received to egress compat/out (a plain string egress).
// Usage: node greeter-fn.mjs [sdkDir]   (prints "LISTENING <port>" once listening)
import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const sdkPath = process.argv[2]
  ? require.resolve(path.resolve(process.argv[2]))
  : require.resolve("apache-flink-statefun");
const { StateFun, kafkaEgressMessage, egressMessageBuilder, messageBuilder } = require(sdkPath);

const GreetRequest = StateFun.jsonType("com.example/GreetRequest");
const statefun = new StateFun();

statefun.bind({
  typename: "com.example/greeter",
  specs: [{ name: "seen", type: StateFun.intType() }],
  fn(context, message) {
    const req = message.as(GreetRequest);
    const seen = (context.storage.seen ?? 0) + 1;
    context.storage.seen = seen;
    const greeting = `Hello ${req.name}! seen=${seen}`;
    context.send(
      kafkaEgressMessage({
        typename: "com.example/greets",
        topic: "greetings",
        key: context.self.id,
        value: greeting,
      }),
    );
    context.send(
      messageBuilder({
        typename: "com.example/echo",
        id: context.self.id,
        value: greeting,
        valueType: StateFun.stringType(),
      }),
    );
  },
});

statefun.bind({
  typename: "com.example/echo",
  fn(context, message) {
    context.send(
      egressMessageBuilder({
        typename: "compat/out",
        value: `echo(${message.asString()}) from ${context.caller?.typename}`,
        valueType: StateFun.stringType(),
      }),
    );
  },
});

const server = http.createServer(statefun.handler());
server.listen(0, "127.0.0.1", () => {
  console.log(`LISTENING ${server.address().port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
