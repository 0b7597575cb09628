package dev.mediaflow.ingest.client;

/** The serialized item is above the record size limit of the raw topic. */
public final class ItemTooLargeException extends IllegalArgumentException {
  public ItemTooLargeException(long size, long limit) {
    super("item is " + size + " bytes serialized, above the " + limit + "-byte limit of the raw topic");
  }
}
