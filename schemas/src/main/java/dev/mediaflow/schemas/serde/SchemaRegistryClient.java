package dev.mediaflow.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A small client for the Confluent Schema Registry REST API (register, look up by id,
 * compatibility). Confluent's own client jars are not on Maven Central, so we speak the
 * protocol directly; it works against Confluent, Apicurio's {@code /apis/ccompat/v7},
 * Karapace and Redpanda. Results are cached: ids and schemas are immutable.
 */
public final class SchemaRegistryClient {
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUrl;
  private final HttpClient http;
  private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

  /** @param baseUrl the API root, e.g. {@code http://127.0.0.1:8081/apis/ccompat/v7} */
  public SchemaRegistryClient(String baseUrl) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** Registers the schema under the subject (idempotent) and returns its global id. */
  public int register(String subject, Schema schema) {
    String text = schema.toString();
    return idsBySubjectAndSchema.computeIfAbsent(
        subject + '\n' + text,
        k -> {
          JsonNode body = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(text));
          int id = body.path("id").asInt(-1);
          if (id < 0) {
            throw new SchemaRegistryException("registry returned no id for subject " + subject, 0);
          }
          schemasById.putIfAbsent(id, schema);
          return id;
        });
  }

  /**
   * The global id of this schema if it is already registered under the subject; empty when the
   * subject or the schema is unknown there (HTTP 404). Nothing is registered.
   */
  public Optional<Integer> lookup(String subject, Schema schema) {
    try {
      JsonNode body = send("POST", "/subjects/" + encode(subject), schemaBody(schema.toString()));
      return Optional.of(body.path("id").asInt(-1)).filter(id -> id >= 0);
    } catch (SchemaRegistryException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Returns the writer schema registered under this id. */
  public Schema schemaById(int id) {
    return schemasById.computeIfAbsent(
        id,
        k -> {
          JsonNode body = send("GET", "/schemas/ids/" + id, null);
          return new Schema.Parser().parse(body.path("schema").asText());
        });
  }

  /** Sets the subject's compatibility level, e.g. {@code BACKWARD}. */
  public void setCompatibility(String subject, String level) {
    send("PUT", "/config/" + encode(subject), JSON.createObjectNode().put("compatibility", level).toString());
  }

  /** Asks the registry whether the schema could be registered as the subject's next version. */
  public boolean isCompatible(String subject, Schema schema) {
    JsonNode body =
        send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest", schemaBody(schema.toString()));
    return body.path("is_compatible").asBoolean(false);
  }

  private static String schemaBody(String schemaText) {
    return JSON.createObjectNode().put("schema", schemaText).toString();
  }

  private JsonNode send(String method, String path, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(30))
            .header("Accept", CONTENT_TYPE + ", application/json");
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new SchemaRegistryException(
            method + " " + path + " failed with HTTP " + response.statusCode() + ": " + response.body(),
            response.statusCode());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new SchemaRegistryException("schema registry at " + baseUrl + " unreachable: " + e.getMessage(), 0, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException("interrupted while calling the schema registry", 0, e);
    }
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8);
  }
}
