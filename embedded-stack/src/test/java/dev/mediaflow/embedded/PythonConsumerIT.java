package dev.mediaflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stock Confluent client (Python confluent-kafka: a plain Consumer with string keys and the
 * library's Confluent Avro deserializer for values, through Apicurio's Confluent API) reads our
 * raw and processed topics: proof that extra consumers plug in. Also keeps the README's warning
 * true: the legacy {@code AvroConsumer}, which decodes keys as Avro too, fails on our string keys.
 * Skipped with a message where Debian's python3-confluent-kafka / python3-avro are missing.
 */
class PythonConsumerIT {
  static final Path SCRIPT = Path.of("../tools/consumers/read_topic.py");
  static final Path AVRO_CONSUMER_CHECK = Path.of("../tools/consumers/avro_consumer_check.py");
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dataDir;

  static EmbeddedStack stack;
  static StackInspector inspector;

  @BeforeAll
  static void start() throws Exception {
    Process check = new ProcessBuilder("/usr/bin/python3", "-c", "import confluent_kafka.avro, avro, requests")
        .redirectErrorStream(true).start();
    boolean available = check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0;
    if (!available) {
      System.err.println("SKIPPED: /usr/bin/python3 lacks confluent_kafka.avro/avro/requests "
          + "(apt-get install python3-confluent-kafka python3-avro python3-requests)");
    }
    assumeTrue(available, "python3-confluent-kafka with python3-avro is not installed");
    stack = EmbeddedStack.start(dataDir, null, line -> System.out.println("[stack] " + line));
    inspector = new StackInspector(stack);
    try (ItemSender sender = new ItemSender(stack)) {
      assertThat(sender.send("py", "run-1", 6, 0).get(1, TimeUnit.MINUTES)).isEqualTo(6);
    }
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      inspector.close();
      stack.close();
    }
  }

  @Test
  void shouldLetAConfluentPythonConsumerReadOurRawAndProcessedTopics() throws Exception {
    // Given items logged through the JVM client (at start) and processed
    while (inspector.rows("py", "run-1") < 6) {
      Thread.sleep(300);
    }

    // When the Python consumer reads both topics
    List<JsonNode> raw = read(stack.topics().raw().name(), 6);
    List<JsonNode> processed = read(stack.topics().processed().name(), 6);

    // Then it decoded every record's identity through the registry
    assertThat(raw).hasSize(6).allSatisfy(r -> assertThat(r.at("/identity/project").asText()).isEqualTo("py"));
    assertThat(processed).hasSize(6).allSatisfy(r -> assertThat(r.at("/identity/run").asText()).isEqualTo("run-1"));
    assertThat(processed.stream().map(r -> r.at("/identity/index").asInt()).distinct().count()).isEqualTo(4);
  }

  @Test
  void shouldFailTheLegacyAvroConsumerOnOurStringKeysAsTheReadmeWarns() throws Exception {
    // Given the items logged at start on the raw topic
    // When the legacy AvroConsumer (Avro keys and values) reads it
    JsonNode outcome = runPython(AVRO_CONSUMER_CHECK, "--bootstrap", stack.bootstrapServers(),
        "--registry", stack.registryUrl(), "--topic", stack.topics().raw().name(), "--attempts", "3");

    // Then it decodes nothing: each poll fails on the key, which is not Confluent-framed Avro
    System.out.println("[figures] legacy AvroConsumer on the raw topic: " + outcome);
    assertThat(outcome.get("decoded").asInt()).isZero();
    assertThat(outcome.get("errors").asInt()).isEqualTo(3);
    assertThat(outcome.get("first_error").asText()).contains("magic byte");
  }

  static JsonNode runPython(Path script, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    String[] lines = out.strip().split("\n");
    return JSON.readTree(lines[lines.length - 1]);
  }

  static List<JsonNode> read(String topic, int count) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("/usr/bin/python3", SCRIPT.toString(), "--bootstrap", stack.bootstrapServers(),
        "--registry", stack.registryUrl(), "--topic", topic, "--count", Integer.toString(count), "--timeout", "60")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    List<JsonNode> records = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (line.startsWith("{\"key\"")) {
        records.add(JSON.readTree(line));
      }
    }
    return records;
  }
}
