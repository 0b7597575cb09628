package dev.mediaflow.transform.simd;

/**
 * The element rule of a float to uint8 conversion (media-semantics.md, "Image", step 3), each
 * exactly as numpy 1.24 computes it on x86_64 in the input's own precision.
 */
public enum ToUint8 {
  /** {@code (x * 255).astype(uint8)}; every x in [0, 1]. */
  UNIT,
  /** {@code (127.5 * (x + 1)).astype(uint8)}; every x in [-1, 1]. */
  SIGNED_UNIT,
  /** {@code x.clip(0, 255).astype(uint8)}; NaN gives 0. */
  CLIP,
  /** {@code x.astype(uint8)}: truncated to int32, low byte; NaN and out of int32 give 0. */
  CAST
}
