package dev.mediaflow.ops.init;

/**
 * The partitions, replication and durability wanted for the pipeline's topics.
 *
 * @param partitions partitions of the raw and processed topics
 * @param replicationFactor replicas of every topic
 * @param minInsyncReplicas {@code min.insync.replicas} of every topic
 */
public record TopicSettings(int partitions, short replicationFactor, int minInsyncReplicas) {
  public TopicSettings {
    if (minInsyncReplicas > replicationFactor) {
      throw new IllegalArgumentException("min.insync.replicas " + minInsyncReplicas
          + " is above the replication factor " + replicationFactor + ": no write could ever be acknowledged");
    }
  }
}
