// The shared validation vectors (schemas/<namespace>/<Name>.vectors.json) in Java: every valid
// value is accepted and written back unchanged; every invalid one is refused when read with a
// RegistryValidationException naming its JSON pointer, and, when Jackson can hold it in the class
// at all, refused again when written. TypeScript, Go and Python check the same files.
package io.statefun.registry;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
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

public class VectorsTest {
  private static List<Path> schemaFiles() throws IOException {
    Path dir = Paths.get(System.getProperty("schemas.dir", "../../schemas"));
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.toString().endsWith(".schema.json")).sorted().collect(Collectors.toList());
    }
  }

  private static Throwable rootCause(Throwable e) {
    while (e.getCause() != null && !(e instanceof RegistryValidationException)) e = e.getCause();
    return e;
  }

  @Test
  public void everyLanguageAcceptsAndRefusesTheSameValues() throws Exception {
    List<String> failures = new ArrayList<>();
    int cases = 0;
    for (Path file : schemaFiles()) {
      JsonNode schema = RegistryJson.MAPPER.readTree(file.toFile());
      Path vectorsFile = Paths.get(file.toString().replace(".schema.json", ".vectors.json"));
      JsonNode vectors = RegistryJson.MAPPER.readTree(vectorsFile.toFile());
      @SuppressWarnings("unchecked")
      Type<Object> type = (Type<Object>) RegistryJson.TYPES.get(schema.get("x-statefun-typename").asText());
      TypeSerializer<Object> serializer = type.typeSerializer();
      Class<?> cls = serializer.deserialize(Slices.wrap(RegistryJson.MAPPER.writeValueAsBytes(schema.get("examples").get(0)))).getClass();
      for (JsonNode valid : vectors.get("valid")) {
        try {
          Object value = serializer.deserialize(Slices.wrap(RegistryJson.MAPPER.writeValueAsBytes(valid)));
          JsonNode written = RegistryJson.MAPPER.readTree(serializer.serialize(value).toByteArray());
          if (!RegistryJson.MAPPER.readTree(RegistryJson.MAPPER.writeValueAsBytes(valid)).equals((a, b) -> a.equals(b) || (a.isNumber() && b.isNumber() && a.decimalValue().compareTo(b.decimalValue()) == 0) ? 0 : 1, written)) {
            failures.add(file + ": valid " + valid + " written as " + written);
          }
        } catch (RuntimeException e) {
          failures.add(file + ": valid " + valid + " refused: " + rootCause(e));
        }
        cases++;
      }
      for (JsonNode invalid : vectors.get("invalid")) {
        String pointer = invalid.get("pointer").asText();
        String shown = pointer.isEmpty() ? "(root)" : pointer;
        byte[] bytes = RegistryJson.MAPPER.writeValueAsBytes(invalid.get("value"));
        try {
          serializer.deserialize(Slices.wrap(bytes));
          failures.add(file + ": " + invalid.get("why").asText() + " at " + shown + ": accepted");
        } catch (RuntimeException e) {
          Throwable cause = rootCause(e);
          if (!(cause instanceof RegistryValidationException) || !cause.getMessage().contains("cannot deserialize: " + shown + " ")) {
            failures.add(file + ": " + invalid.get("why").asText() + " at " + shown + ": refused with " + cause);
          }
        }
        // the writer: when the class holds the invalid value itself, writing it must fail too
        Object held = null;
        try {
          held = RegistryJson.MAPPER.readValue(bytes, cls);
        } catch (IOException | RuntimeException e) {
          // Jackson cannot hold it: nothing to write
        }
        if (held != null && RegistryJson.MAPPER.valueToTree(held).equals(invalid.get("value"))) {
          try {
            serializer.serialize(held);
            failures.add(file + ": " + invalid.get("why").asText() + " at " + shown + ": written");
          } catch (RuntimeException e) {
            assertTrue(String.valueOf(rootCause(e)), rootCause(e) instanceof RegistryValidationException);
          }
        }
        cases++;
      }
    }
    assertEquals(String.join("\n", failures), 0, failures.size());
    assertTrue("only " + cases + " vectors", cases >= 40);
  }
}
