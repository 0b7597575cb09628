package dev.mediaflow.query.store;

/**
 * The columns of a {@code media_item} row the API shows. JSON columns are the stored text.
 *
 * @param objectKeysJson JSON object role → S3 key of every stored object
 * @param sha256 hex SHA-256 of the main object, or null
 */
public record ItemRow(
    String project, String run, String key, long step, int index, String mediaType,
    String objectKey, String objectKeysJson, String contentType, Long byteSize, String sha256,
    Integer width, Integer height, String mode, String format, String caption, Integer grouping,
    String classesJson, String warningsJson, String metadataJson, long loggedAt) {

  /** The identity as the messages of the API write it. */
  public String describe() {
    return describe(project, run, key, step, index);
  }

  public static String describe(String project, String run, String key, long step, int index) {
    return "project \"" + project + "\" run \"" + run + "\" key \"" + key + "\" step " + step + " index " + index;
  }
}
