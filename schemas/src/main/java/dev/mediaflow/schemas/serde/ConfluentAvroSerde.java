package dev.mediaflow.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde for Avro records (specific or generic) in the Confluent wire format: magic byte 0, 4-byte
 * big-endian schema id, Avro binary. Subjects follow the topic-name strategy
 * ({@code <topic>-value}). Reading resolves the writer schema (from the id) against this
 * class's schema, so older and newer compatible writers are both readable.
 */
public final class ConfluentAvroSerde<T extends IndexedRecord> implements Serde<T> {
  static final byte MAGIC_BYTE = 0;
  private static final int HEADER_BYTES = 5;

  static {
    AvroTrust.install();
  }

  private final SchemaRegistryClient registry;
  private final Schema readerSchema;
  private final boolean isKey;
  private final SpecificDatumWriter<T> writer;
  private final Map<Integer, SpecificDatumReader<T>> readersByWriterId = new ConcurrentHashMap<>();
  // per topic, not per record: the registry client's own cache keys on the schema text, too costly per record
  private final Map<String, Integer> idsByTopic = new ConcurrentHashMap<>();

  public ConfluentAvroSerde(SchemaRegistryClient registry, Schema schema, boolean isKey) {
    this.registry = registry;
    this.readerSchema = schema;
    this.isKey = isKey;
    this.writer = new SpecificDatumWriter<>(schema);
  }

  /** The subject the topic-name strategy gives this topic. */
  public String subject(String topic) {
    return topic + (isKey ? "-key" : "-value");
  }

  public Schema schema() {
    return readerSchema;
  }

  /** Writes one record in the Confluent wire format, registering the schema on first use. */
  public byte[] serialize(String topic, T record) {
    if (record == null) {
      return null;
    }
    int id = idsByTopic.computeIfAbsent(topic, t -> registry.register(subject(t), readerSchema));
    // sized once from the record (its byte payloads dominate), not grown by doubling from 256 bytes
    ByteArrayOutputStream out = new ByteArrayOutputStream(HEADER_BYTES + EncodedSizeHint.of(record));
    out.write(MAGIC_BYTE);
    out.write(ByteBuffer.allocate(4).putInt(id).array(), 0, 4);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      writer.write(record, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot write " + readerSchema.getFullName() + " for topic " + topic, e);
    }
    return out.toByteArray();
  }

  /** Reads one record; fails with a {@link SerializationException} naming what was wrong. */
  public T deserialize(String topic, byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    if (bytes.length < HEADER_BYTES || bytes[0] != MAGIC_BYTE) {
      throw new SerializationException(
          "not Confluent-framed Avro on " + topic + ": expected magic byte 0 and a schema id, got "
              + bytes.length + " bytes" + (bytes.length > 0 ? " starting with " + bytes[0] : ""));
    }
    int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
    SpecificDatumReader<T> reader = readersByWriterId.computeIfAbsent(id, this::readerFor);
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES, null);
    try {
      return reader.read(null, decoder);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot read " + readerSchema.getFullName() + " (writer schema id " + id + ") on " + topic + ": " + e, e);
    }
  }

  private SpecificDatumReader<T> readerFor(int writerId) {
    Schema writerSchema;
    try {
      writerSchema = registry.schemaById(writerId);
    } catch (SchemaRegistryException e) {
      throw new SerializationException("unknown schema id " + writerId + ": " + e.getMessage(), e);
    }
    return new SpecificDatumReader<>(writerSchema, readerSchema);
  }

  @Override
  public Serializer<T> serializer() {
    return this::serialize;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this::deserialize;
  }
}
