package dev.mediaflow.ingest.logcall;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediaflow.schemas.avro.MediaEvent;
import dev.mediaflow.schemas.avro.MediaIdentity;

/**
 * One media item of a log call: either an event ready to send, or the reason it was
 * refused. {@code spec} is the item's JSON as the caller wrote it.
 */
public record LoggedItem(MediaIdentity identity, JsonNode spec, MediaEvent event, String rejection) {
  static LoggedItem accepted(MediaIdentity identity, JsonNode spec, MediaEvent event) {
    return new LoggedItem(identity, spec, event, null);
  }

  static LoggedItem rejected(MediaIdentity identity, JsonNode spec, String reason) {
    return new LoggedItem(identity, spec, null, reason);
  }

  public boolean isAccepted() {
    return event != null;
  }
}
