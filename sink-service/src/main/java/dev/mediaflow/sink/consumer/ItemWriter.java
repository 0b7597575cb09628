package dev.mediaflow.sink.consumer;

import dev.mediaflow.schemas.avro.ProcessedMedia;

/** Stores one processed item durably (objects, then row); see {@link dev.mediaflow.sink.MediaSink#write}. */
@FunctionalInterface
public interface ItemWriter {

  /**
   * Returns once the item is durable; throws if it is not, with the store's answer in the cause
   * chain (see {@link dev.mediaflow.sink.StoreFailure#classify}).
   */
  void write(ProcessedMedia item);
}
