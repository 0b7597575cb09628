package dev.mediaflow.schemas.deadletter;

import dev.mediaflow.schemas.avro.MediaIdentity;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The one dead-letter contract shared by ingest, transform and sink. A dead letter's value
 * is the rejected bytes as they arrived (so it can be re-driven after a fix); its headers say
 * which stage rejected it, why, which item it was and where it came from.
 */
public final class DeadLetters {
  public static final String STAGE = "mediaflow.error.stage";
  public static final String REASON = "mediaflow.error.reason";
  public static final String EXCEPTION = "mediaflow.error.exception";
  public static final String PROJECT = "mediaflow.item.project";
  public static final String RUN = "mediaflow.item.run";
  public static final String KEY = "mediaflow.item.key";
  public static final String STEP = "mediaflow.item.step";
  public static final String INDEX = "mediaflow.item.index";
  public static final String SOURCE_TOPIC = "mediaflow.source.topic";
  public static final String SOURCE_PARTITION = "mediaflow.source.partition";
  public static final String SOURCE_OFFSET = "mediaflow.source.offset";
  /**
   * The media type of the value when it is not the source topic's format: ingest letters hold a
   * one-item log call as {@code multipart/form-data; boundary=…}, to be posted back to the gateway.
   */
  public static final String CONTENT_TYPE = "mediaflow.value.content.type";
  /**
   * Set on a record re-driven from the dead-letter topic ({@code topic-partition@offset} of the
   * letter); every stage copies it onto the dead letter if it rejects the record again, so a
   * redrive can tell a repeated rejection from a new one.
   */
  public static final String REDRIVEN_FROM = "mediaflow.redrive.from";

  private DeadLetters() {}

  /** Headers for a rejected item; {@code identity} and {@code source} may be null when unknown. */
  public static Headers headers(
      String stage, String reason, Throwable error, MediaIdentity identity, SourcePosition source) {
    Headers headers = new RecordHeaders();
    put(headers, STAGE, stage);
    put(headers, REASON, reason);
    if (error != null) {
      put(headers, EXCEPTION, error.getClass().getName());
    }
    if (identity != null) {
      put(headers, PROJECT, identity.getProject());
      put(headers, RUN, identity.getRun());
      put(headers, KEY, identity.getKey());
      put(headers, STEP, Long.toString(identity.getStep()));
      put(headers, INDEX, Integer.toString(identity.getIndex()));
    }
    if (source != null) {
      put(headers, SOURCE_TOPIC, source.topic());
      put(headers, SOURCE_PARTITION, Integer.toString(source.partition()));
      put(headers, SOURCE_OFFSET, Long.toString(source.offset()));
    }
    return headers;
  }

  /** Copies the redrive marker of a rejected record, if it has one, onto its dead letter's headers. */
  public static Headers withRedriveMarker(Headers deadLetter, Headers rejected) {
    var marker = rejected.lastHeader(REDRIVEN_FROM);
    if (marker != null) {
      deadLetter.add(marker);
    }
    return deadLetter;
  }

  /** The text of one header, or null. */
  public static String header(Headers headers, String name) {
    var header = headers.lastHeader(name);
    return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static void put(Headers headers, String name, String value) {
    if (value != null) {
      headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Where a rejected record was read from. */
  public record SourcePosition(String topic, int partition, long offset) {}
}
