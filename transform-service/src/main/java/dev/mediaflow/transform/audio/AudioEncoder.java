package dev.mediaflow.transform.audio;

import dev.mediaflow.transform.EncodedMedia;
import dev.mediaflow.transform.image.PixelArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes an array of samples as a 16-bit PCM WAV file, byte for byte what wandb.Audio
 * writes (media-semantics.md, "Audio"; wandb {@code sdk/data_types/audio.py}).
 *
 * <p>wandb: {@code sample_rate} is required for raw data ("Argument "sample_rate" is required
 * when instantiating wandb.Audio with raw data"), then
 * {@code soundfile.write(tmp.wav, data, sample_rate)} and
 * {@code duration = len(data) / float(sample_rate)}. soundfile takes a 1-D array as mono and a
 * 2-D array as (frames, channels), interleaved in row-major order; it accepts only float64,
 * float32, int32 and int16; WAV's default subtype is PCM_16. Sample conversion is
 * libsndfile's, see {@link LibsndfilePcm16}; the header is libsndfile's 44-byte one, see
 * {@link WavHeader#pcm16}.
 *
 * <p>Limits: at least 1 and at most 1024 channels (libsndfile's {@code SF_MAX_CHANNELS}); the
 * byte rate and data size must fit the header's 32-bit fields. Warnings (wandb gives none):
 * float samples outside [-1, 1] that libsndfile clips, NaN samples, and int32 audio that only
 * uses the int16 range (libsndfile keeps the high 16 bits, so it becomes near silence).
 *
 * <p>Stateless and thread-safe.
 */
public final class AudioEncoder {

  /** libsndfile's SF_MAX_CHANNELS. */
  static final int MAX_CHANNELS = 1024;

  private AudioEncoder() {}

  /**
   * @param samples shape (frames,) for mono or (frames, channels); dtype float64, float32,
   *     int32 or int16
   * @param sampleRate samples per second, required and positive
   * @return the WAV; metadata {@code sample_rate}, {@code channels}, {@code samples} (frames),
   *     {@code duration_seconds}
   * @throws AudioRejectedException for a missing or non-positive sample rate, another dtype or
   *     shape, or a clip too large for a WAV file
   */
  public static EncodedMedia fromSamples(PixelArray samples, Integer sampleRate) {
    if (sampleRate == null) {
      throw new AudioRejectedException("audio needs sample_rate");
    }
    if (sampleRate <= 0) {
      throw new AudioRejectedException("sample_rate must be positive, got " + sampleRate);
    }
    checkDtype(samples.dtype());
    long[] shape = samples.shape();
    if (shape.length != 1 && shape.length != 2) {
      throw new AudioRejectedException("unsupported audio shape " + PixelArray.shapeText(shape)
          + " (expected (samples,) for mono or (samples, channels))");
    }
    long frames = shape[0];
    long channels = shape.length == 1 ? 1 : shape[1];
    if (channels < 1 || channels > MAX_CHANNELS) {
      throw new AudioRejectedException("audio shape " + PixelArray.shapeText(shape) + " has "
          + channels + " channels (supported: 1 to " + MAX_CHANNELS + ")");
    }
    long dataBytes = 2L * samples.elementCount();
    if ((long) sampleRate * channels * 2 > 0xFFFFFFFFL) {
      throw new AudioRejectedException("sample_rate " + sampleRate + " with " + channels
          + " channels overflows the WAV header's byte rate");
    }
    if (dataBytes > Integer.MAX_VALUE - 8 - WavHeader.PCM16_HEADER_BYTES) {
      throw new AudioRejectedException("audio of " + frames + " samples x " + channels
          + " channels is too large for one WAV file here (" + dataBytes + " bytes)");
    }
    List<String> warnings = new ArrayList<>();
    byte[] wav = new byte[WavHeader.PCM16_HEADER_BYTES + (int) dataBytes];
    ByteBuffer out = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
    WavHeader.pcm16(out, (int) channels, sampleRate, dataBytes);
    writeSamples(samples, out, warnings);

    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("sample_rate", sampleRate);
    metadata.put("channels", (int) channels);
    metadata.put("samples", frames);
    metadata.put("duration_seconds", frames / (double) sampleRate);
    return new EncodedMedia(wav, "wav", "audio/wav", metadata, warnings);
  }

  private static void checkDtype(PixelArray.Dtype dtype) {
    switch (dtype) {
      case FLOAT64, FLOAT32, INT32, INT16 -> { }
      default -> throw new AudioRejectedException("audio dtype must be one of ['float32', "
          + "'float64', 'int16', 'int32'] and not '" + dtype + "' (as soundfile requires)");
    }
  }

  /** Converts every element, in order, into {@code out} after the header. */
  private static void writeSamples(PixelArray samples, ByteBuffer out, List<String> warnings) {
    ByteBuffer in = samples.data();
    int n = samples.elementCount();
    int q = WavHeader.PCM16_HEADER_BYTES;
    switch (samples.dtype()) {
      case FLOAT64 -> {
        long clipped = 0;
        long nan = 0;
        for (int i = 0, p = 0; i < n; i++, p += 8, q += 2) {
          double x = in.getDouble(p);
          out.putShort(q, LibsndfilePcm16.fromDouble(x));
          clipped += x > 1d || x < -1d ? 1 : 0;
          nan += x != x ? 1 : 0;
        }
        warnFloats(clipped, nan, warnings);
      }
      case FLOAT32 -> {
        long clipped = 0;
        long nan = 0;
        for (int i = 0, p = 0; i < n; i++, p += 4, q += 2) {
          float x = in.getFloat(p);
          out.putShort(q, LibsndfilePcm16.fromFloat(x));
          clipped += x > 1f || x < -1f ? 1 : 0;
          nan += x != x ? 1 : 0;
        }
        warnFloats(clipped, nan, warnings);
      }
      case INT32 -> {
        boolean small = true;
        boolean silent = true;
        for (int i = 0, p = 0; i < n; i++, p += 4, q += 2) {
          int x = in.getInt(p);
          out.putShort(q, LibsndfilePcm16.fromInt(x));
          small &= x > -65536 && x < 65536;
          silent &= x == 0;
        }
        if (small && !silent) {
          warnings.add("int32 samples all lie within the int16 range; libsndfile keeps only the "
              + "high 16 bits of int32 audio, so this clip is near silence (send int16 or "
              + "float samples instead)");
        }
      }
      case INT16 -> {
        for (int i = 0, p = 0; i < n; i++, p += 2, q += 2) {
          out.putShort(q, in.getShort(p));
        }
      }
      default -> throw new IllegalStateException("dtype checked above: " + samples.dtype());
    }
  }

  private static void warnFloats(long clipped, long nan, List<String> warnings) {
    if (clipped > 0) {
      warnings.add(clipped + " samples outside [-1.0, 1.0] were clipped to the 16-bit range");
    }
    if (nan > 0) {
      warnings.add(nan + " NaN samples were written as -32768 (libsndfile on x86_64)");
    }
  }
}
