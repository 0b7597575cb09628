package dev.mediaflow.transform;

/**
 * The settings of the media rules that a deployment may change.
 *
 * @param tableMaxRows rows a table may have (reference default 10,000)
 * @param pointLimit points a cloud keeps (reference UI: 300,000)
 * @param keepEvenlyStrided true: keep an evenly strided subsample of the whole cloud; false:
 *     keep the first points in order (the default)
 * @param archiveFullClouds also store the untruncated cloud when truncating
 * @param pngCompressionLevel DEFLATE level of the PNGs written, 0–12 (default 6, Pillow's)
 */
public record MediaRules(int tableMaxRows, int pointLimit, boolean keepEvenlyStrided, boolean archiveFullClouds,
    int pngCompressionLevel) {
  /** Pillow's {@code compress_level} default. */
  public static final int DEFAULT_PNG_COMPRESSION_LEVEL = 6;
  public static final MediaRules DEFAULTS = new MediaRules(10_000, 300_000, false, false);

  /** Rules with PNGs at the default level. */
  public MediaRules(int tableMaxRows, int pointLimit, boolean keepEvenlyStrided, boolean archiveFullClouds) {
    this(tableMaxRows, pointLimit, keepEvenlyStrided, archiveFullClouds, DEFAULT_PNG_COMPRESSION_LEVEL);
  }
}
