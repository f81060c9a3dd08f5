// Round-trips every schema example (schemas/**/*.schema.json) through the generated StateFun
// types, as a service that depends on this artifact would use them: deserialize the JSON,
// serialize it again, and expect the same JSON value (numbers compared by value).
package io.statefun.registry;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.statefun.sdk.java.slice.Slices;
import org.apache.flink.statefun.sdk.java.types.Type;
import org.apache.flink.statefun.sdk.java.types.TypeSerializer;
import org.junit.Test;

public class ExamplesTest {
  private static List<Path> schemaFiles() throws IOException {
    Path dir = Paths.get(System.getProperty("schemas.dir", "../../schemas"));
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.toString().endsWith(".schema.json")).sorted().collect(Collectors.toList());
    }
  }

  private static boolean sameJson(JsonNode a, JsonNode b) {
    return a.equals((x, y) -> x.equals(y) || (x.isNumber() && y.isNumber() && x.decimalValue().compareTo(y.decimalValue()) == 0) ? 0 : 1, b);
  }

  @Test
  public void everyExampleRoundTrips() throws Exception {
    List<String> failures = new ArrayList<>();
    int cases = 0;
    for (Path file : schemaFiles()) {
      JsonNode schema = RegistryJson.MAPPER.readTree(file.toFile());
      String typeName = schema.get("x-statefun-typename").asText();
      @SuppressWarnings("unchecked")
      Type<Object> type = (Type<Object>) RegistryJson.TYPES.get(typeName);
      assertNotNull(file + ": " + typeName + " is missing from RegistryJson.TYPES", type);
      TypeSerializer<Object> serializer = type.typeSerializer();
      int index = 0;
      for (JsonNode example : schema.get("examples")) {
        byte[] json = RegistryJson.MAPPER.writeValueAsBytes(example);
        Object value = serializer.deserialize(Slices.wrap(json));
        byte[] written = serializer.serialize(value).toByteArray();
        if (!sameJson(example, RegistryJson.MAPPER.readTree(written))) {
          failures.add(file + "#/examples/" + index + ": wrote " + new String(written, StandardCharsets.UTF_8));
        }
        index++;
        cases++;
      }
    }
    assertEquals(String.join("\n", failures), 0, failures.size());
    assertTrue("expected examples, found " + cases, cases >= 10);
  }

  @Test
  public void refusesUnknownProperties() {
    @SuppressWarnings("unchecked")
    Type<Object> type = (Type<Object>) RegistryJson.TYPES.get(User.TYPENAME);
    byte[] json = "{\"name\":\"a\",\"favoriteColor\":\"b\",\"extra\":1}".getBytes(StandardCharsets.UTF_8);
    try {
      type.typeSerializer().deserialize(Slices.wrap(json));
    } catch (RuntimeException e) {
      assertTrue(e.toString(), e.toString().contains("extra"));
      return;
    }
    throw new AssertionError("an unknown property was accepted");
  }
}
