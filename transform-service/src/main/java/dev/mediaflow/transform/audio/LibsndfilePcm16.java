package dev.mediaflow.transform.audio;

/**
 * Sample conversion to signed 16-bit PCM exactly as wandb.Audio gets it: wandb calls
 * {@code soundfile.write(path, data, sample_rate)}; python-soundfile opens every file with
 * {@code sf_command(SFC_SET_CLIPPING, SF_TRUE)} and hands the array to libsndfile's
 * {@code sf_write_double/float/int/short} by dtype; the default WAV subtype is PCM_16.
 *
 * <p>libsndfile ({@code src/pcm.c}, with clipping on and float normalisation on, both
 * soundfile's settings):
 * <ul>
 *   <li>float64 ({@code d2les_clip_array}): {@code s = x * 2^31} (double);
 *       {@code s >= 0x7FFFFFFF} gives 32767, {@code s <= -2^31} gives -32768, otherwise
 *       {@code lrint(s) >> 16} (round half to even, then an arithmetic shift, i.e. the high 16
 *       bits). This is <em>not</em> {@code round(x * 32767)}: 0.1 gives 3276 (not 3277),
 *       -0.3 gives -9831, -1.0 gives -32768.</li>
 *   <li>float32 ({@code f2les_clip_array}): the same with {@code s = x * 2^31f} in float
 *       (exact: a power of two) and {@code lrintf}.</li>
 *   <li>NaN fails both comparisons and {@code lrint(NaN)} is the x86 "integer indefinite"
 *       0x80000000, so NaN gives -32768 (x86_64 builds; other CPUs may differ).</li>
 *   <li>int32 ({@code i2les_array}): {@code value >> 16}, the high 16 bits; int32 audio in the
 *       int16 range therefore becomes 0 or -1.</li>
 *   <li>int16: written as is.</li>
 *   <li>Any other dtype: soundfile raises "dtype must be one of ['float32', 'float64',
 *       'int16', 'int32']".</li>
 * </ul>
 * Checked against Debian's libsndfile 1.2.0 through python3-soundfile 0.12.1: the fixtures in
 * {@code fixtures/audio} were written by soundfile and compared byte for byte.
 */
final class LibsndfilePcm16 {

  private static final double SCALE = 2147483648.0; // 8.0 * 0x10000000
  private static final float SCALE_F = 2147483648f;
  private static final double POSITIVE_CLIP = 2147483647.0; // 1.0 * 0x7FFFFFFF
  private static final double NEGATIVE_CLIP = -2147483648.0; // -8.0 * 0x10000000

  private LibsndfilePcm16() {}

  /** float64 sample to PCM_16 (d2les_clip_array). */
  static short fromDouble(double x) {
    double s = x * SCALE;
    if (s >= POSITIVE_CLIP) {
      return Short.MAX_VALUE;
    }
    if (s <= NEGATIVE_CLIP || s != s) {
      return Short.MIN_VALUE; // NaN: lrint gives 0x80000000 on x86_64
    }
    return (short) (((int) Math.rint(s)) >> 16);
  }

  /** float32 sample to PCM_16 (f2les_clip_array). */
  static short fromFloat(float x) {
    float s = x * SCALE_F; // float multiply, as C does with float operands
    if (s >= POSITIVE_CLIP) {
      return Short.MAX_VALUE;
    }
    if (s <= NEGATIVE_CLIP || s != s) {
      return Short.MIN_VALUE;
    }
    return (short) (((int) Math.rint(s)) >> 16);
  }

  /** int32 sample to PCM_16 (i2les_array): the high 16 bits. */
  static short fromInt(int x) {
    return (short) (x >> 16);
  }
}
