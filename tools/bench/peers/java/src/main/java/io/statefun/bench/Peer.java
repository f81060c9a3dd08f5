package io.statefun.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.statefun.sdk.java.AddressScopedStorage;
import org.apache.flink.statefun.sdk.java.StatefulFunction;
import org.apache.flink.statefun.sdk.java.StatefulFunctionSpec;
import org.apache.flink.statefun.sdk.java.StatefulFunctions;
import org.apache.flink.statefun.sdk.java.TypeName;
import org.apache.flink.statefun.sdk.java.ValueSpec;
import org.apache.flink.statefun.sdk.java.handler.RequestReplyHandler;
import org.apache.flink.statefun.sdk.java.message.MessageBuilder;
import org.apache.flink.statefun.sdk.java.slice.Slices;

/**
 * The benchmark greeter on the official Java SDK 3.3.0, the same function as
 * tools/bench/src/greeter.mjs, served at /statefun by the JDK HttpServer on 127.0.0.1 (free port;
 * run with -Dsun.net.httpserver.nodelay=true). Prints {"port":N}; exits when stdin closes.
 */
public final class Peer {
  static final ValueSpec<Integer> SEEN = ValueSpec.named("seen_count").withIntType();
  static final TypeName GREETER = TypeName.typeNameFromString("com.example.fns/greeter");
  static final TypeName INBOX = TypeName.typeNameFromString("com.example.fns/inbox");

  public static void main(String[] args) throws Exception {
    StatefulFunction greeter =
        (context, message) -> {
          String name = message.asUtf8String();
          AddressScopedStorage storage = context.storage();
          int seen = storage.get(SEEN).orElse(0) + 1;
          storage.set(SEEN, seen);
          context.send(
              MessageBuilder.forAddress(INBOX, name)
                  .withValue("Hello " + name + " for the " + seen + "th time!")
                  .build());
          return CompletableFuture.completedFuture(null);
        };
    StatefulFunctions functions = new StatefulFunctions();
    functions.withStatefulFunction(
        StatefulFunctionSpec.builder(GREETER).withValueSpec(SEEN).withSupplier(() -> greeter));
    RequestReplyHandler handler = functions.requestReplyHandler();

    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
    server.createContext(
        "/statefun",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            byte[] reply = handler.handle(Slices.wrap(in.readAllBytes())).join().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, reply.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(reply);
            }
          } finally {
            exchange.close();
          }
        });
    server.setExecutor(null); // the dispatcher thread runs the handler: one core, no hand-offs
    server.start();
    System.out.println("{\"port\":" + server.getAddress().getPort() + "}");
    System.out.flush();
    System.in.transferTo(OutputStream.nullOutputStream());
    System.exit(0);
  }
}
