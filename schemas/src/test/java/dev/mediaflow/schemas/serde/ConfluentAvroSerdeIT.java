package dev.mediaflow.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.infra.SchemaRegistryServer;
import dev.mediaflow.schemas.avro.ImagePayload;
import dev.mediaflow.schemas.avro.MediaEvent;
import dev.mediaflow.schemas.avro.MediaIdentity;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serde and registry client against a real Apicurio registry's Confluent API. */
class ConfluentAvroSerdeIT {
  @TempDir
  static Path dataDir;

  static SchemaRegistryServer server;
  static SchemaRegistryClient registry;

  static final Schema V1 = new Schema.Parser().parse("""
      {"type": "record", "name": "Evolving", "namespace": "it", "fields": [
        {"name": "id", "type": "string"}]}""");
  static final Schema V2_OPTIONAL_FIELD = new Schema.Parser().parse("""
      {"type": "record", "name": "Evolving", "namespace": "it", "fields": [
        {"name": "id", "type": "string"},
        {"name": "note", "type": ["null", "string"], "default": null}]}""");
  static final Schema V3_REQUIRED_FIELD = new Schema.Parser().parse("""
      {"type": "record", "name": "Evolving", "namespace": "it", "fields": [
        {"name": "id", "type": "string"},
        {"name": "note", "type": ["null", "string"], "default": null},
        {"name": "size", "type": "long"}]}""");

  @BeforeAll
  static void start() {
    server = SchemaRegistryServer.start(dataDir);
    registry = new SchemaRegistryClient(server.confluentApiUrl());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void shouldRoundTripAMediaEventInTheConfluentWireFormat() {
    // Given
    var serde = new ConfluentAvroSerde<MediaEvent>(registry, MediaEvent.getClassSchema(), false);
    MediaEvent event = MediaEvent.newBuilder()
        .setIdentity(new MediaIdentity("p", "r", "k", 3L, 1))
        .setTimestamp(Instant.ofEpochMilli(1_700_000_000_000L))
        .setProducerId("it")
        .setPayload(ImagePayload.newBuilder().setCaption("hello").build())
        .build();

    // When
    byte[] bytes = serde.serialize("rt-" + UUID.randomUUID(), event);

    // Then: magic byte 0, then the id the registry gave, then Avro
    assertThat(bytes[0]).isEqualTo((byte) 0);
    int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
    assertThat(registry.schemaById(id)).isEqualTo(MediaEvent.getClassSchema());
    assertThat(serde.deserialize("any", bytes)).isEqualTo(event);
  }

  @Test
  void shouldLetANewReaderReadWhatAnOldWriterWrote() {
    // Given an old producer's record registered under BACKWARD compatibility
    String topic = "evo-" + UUID.randomUUID();
    var oldWriter = new ConfluentAvroSerde<GenericRecord>(registry, V1, false);
    GenericRecord old = new GenericData.Record(V1);
    old.put("id", "a");
    byte[] bytes = oldWriter.serialize(topic, old);
    registry.setCompatibility(topic + "-value", "BACKWARD");

    // When the consumer upgrades first (adds an optional field) and the new schema registers
    var newReader = new ConfluentAvroSerde<GenericRecord>(registry, V2_OPTIONAL_FIELD, false);
    GenericRecord newRecord = new GenericData.Record(V2_OPTIONAL_FIELD);
    newRecord.put("id", "b");
    newRecord.put("note", "n");
    byte[] newBytes = newReader.serialize(topic, newRecord);

    // Then old data reads with the default, new data reads whole, and an old reader still reads new data
    assertThat(newReader.deserialize(topic, bytes).get("note")).isNull();
    assertThat(newReader.deserialize(topic, bytes).get("id").toString()).isEqualTo("a");
    assertThat(newReader.deserialize(topic, newBytes).get("note").toString()).isEqualTo("n");
    assertThat(oldWriter.deserialize(topic, newBytes).get("id").toString()).isEqualTo("b");
  }

  @Test
  void shouldRefuseAnIncompatibleSchema() {
    // Given a subject at BACKWARD with v2
    String topic = "incompatible-" + UUID.randomUUID();
    new ConfluentAvroSerde<GenericRecord>(registry, V2_OPTIONAL_FIELD, false).serialize(topic, record(V2_OPTIONAL_FIELD));
    registry.setCompatibility(topic + "-value", "BACKWARD");

    // When a new required field without default arrives, Then the registry refuses it
    assertThat(registry.isCompatible(topic + "-value", V3_REQUIRED_FIELD)).isFalse();
    var v3 = new ConfluentAvroSerde<GenericRecord>(registry, V3_REQUIRED_FIELD, false);
    GenericRecord r = record(V3_REQUIRED_FIELD);
    r.put("size", 1L);
    assertThatThrownBy(() -> v3.serialize(topic, r))
        .isInstanceOf(SchemaRegistryException.class)
        .satisfies(e -> assertThat(((SchemaRegistryException) e).status()).isEqualTo(409));
  }

  @Test
  void shouldNameTheProblemForBytesThatAreNotConfluentAvro() {
    var serde = new ConfluentAvroSerde<MediaEvent>(registry, MediaEvent.getClassSchema(), false);
    assertThatThrownBy(() -> serde.deserialize("t", "garbage".getBytes()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("magic byte");
    assertThatThrownBy(() -> serde.deserialize("t", new byte[] {0, 0x7f, 0, 0, 1, 2}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("unknown schema id " + 0x7f000001);
  }

  private static GenericRecord record(Schema schema) {
    GenericRecord r = new GenericData.Record(schema);
    r.put("id", "x");
    return r;
  }
}
