package dev.mediaflow.transform;

/**
 * The settings of the media rules that a deployment may change.
 *
 * @param tableMaxRows rows a table may have (reference default 10,000)
 * @param pointLimit points a cloud keeps (reference UI: 300,000)
 * @param keepEvenlyStrided true: keep an evenly strided subsample of the whole cloud; false:
 *     keep the first points in order (the default)
 * @param archiveFullClouds also store the untruncated cloud when truncating
 */
public record MediaRules(int tableMaxRows, int pointLimit, boolean keepEvenlyStrided, boolean archiveFullClouds) {
  public static final MediaRules DEFAULTS = new MediaRules(10_000, 300_000, false, false);
}
