package dev.mediaflow.ops.replay;

/** Where a replay's results go. */
public sealed interface ReplayTarget {

  /**
   * The regular processed topic, so the regular sink stores the items again; its writes are
   * idempotent upserts, so items already stored end up the same.
   */
  record InPlace() implements ReplayTarget {}

  /**
   * A target of the replay's own, written by a sink the replay runs. Each part left {@code null}
   * keeps the regular sink's value; the objects and the rows must each differ from the regular ones.
   *
   * @param bucket S3 bucket
   * @param prefix key prefix inside the bucket
   * @param jdbcUrl SQL store (a SQLite file, a PostgreSQL database)
   * @param jdbcSchema PostgreSQL schema, created if missing
   */
  record NewTarget(String bucket, String prefix, String jdbcUrl, String jdbcSchema) implements ReplayTarget {}
}
