package dev.mediaflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One registry for the class (it takes 4-12 s to start); each test uses its own subject. */
class SchemaRegistryServerIT {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dataDir;

    private static SchemaRegistryServer registry;

    @BeforeAll
    static void startRegistry() {
        registry = SchemaRegistryServer.start(dataDir);
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void shouldServeTheConfluentApiOnLoopback() {
        // Given the running registry
        // When asking for its Confluent-compatible API
        String url = registry.confluentApiUrl();

        // Then it is the ccompat v7 API on 127.0.0.1
        assertThat(url).isEqualTo("http://127.0.0.1:" + registry.port() + "/apis/ccompat/v7");
    }

    @Test
    void shouldKeepARegisteredSchemaAcrossAGracefulRestart() throws Exception {
        // Given an Avro schema registered under a topic's value subject
        String subject = "t-" + UUID.randomUUID() + "-value";
        String schema = recordSchema("Media");
        int id = register(subject, schema);
        assertThat(schemaById(id)).isEqualTo(JSON.readTree(schema));

        // When the registry is stopped and started again on the same data directory
        registry.stop();
        assertThat(registry.isRunning()).isFalse();
        registry.restart();

        // Then the schema is still found by its id, and registering it again returns the same id
        assertThat(schemaById(id)).isEqualTo(JSON.readTree(schema));
        assertThat(register(subject, schema)).isEqualTo(id);
    }

    @Test
    void shouldKeepARegisteredSchemaWhenTheRegistryIsKilled() throws Exception {
        // Given a schema whose registration the registry has acknowledged
        String subject = "t-" + UUID.randomUUID() + "-value";
        String schema = recordSchema("Frame");
        int id = register(subject, schema);

        // When the registry process dies right away without shutting down, and is started again
        registry.kill();
        registry.restart();

        // Then the schema survived
        assertThat(schemaById(id)).isEqualTo(JSON.readTree(schema));
    }

    private static String recordSchema(String name) {
        return "{\"type\":\"record\",\"name\":\"" + name + "\",\"namespace\":\"dev.mediaflow.test\",\"fields\":"
                + "[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"bytes\",\"type\":\"long\"}]}";
    }

    private static int register(String subject, String schema) throws Exception {
        String body = JSON.writeValueAsString(Map.of("schema", schema));
        HttpRequest request = HttpRequest.newBuilder(
                URI.create(registry.confluentApiUrl() + "/subjects/" + subject + "/versions"))
                .header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("id").asInt();
    }

    private static JsonNode schemaById(int id) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(registry.confluentApiUrl() + "/schemas/ids/" + id))
                .header("Accept", CONTENT_TYPE)
                .GET()
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(JSON.readTree(response.body()).get("schema").asText());
    }
}
