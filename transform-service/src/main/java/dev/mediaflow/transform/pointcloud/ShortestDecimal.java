package dev.mediaflow.transform.pointcloud;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes a double (or a float) as the shortest decimal that reads back to exactly the same
 * value, in ECMAScript's {@code Number.prototype.toString} layout, straight into a byte array.
 *
 * <p>Why not {@link Double#toString}: before Java 19 it sometimes prints more digits than
 * needed (JDK-4511638: on Java 17, {@code 2e23} prints as {@code 1.9999999999999998E23} and
 * {@code 1e23} as {@code 9.999999999999999E22}), it allocates a String per value, and it is
 * several times slower than this class. The digits come from Raffaello Giulietti's
 * Schubfach algorithm (the one Java 19+ uses), reimplemented from the paper "The Schubfach
 * way to render doubles" (2020): a 126-bit approximation of 10^-k and three multiplications
 * decide, with exact integer comparisons, which of the few shortest candidates lies in the
 * value's rounding interval. Unlike Java 19+, no minimum of two digits is imposed, so the
 * result is the truly shortest decimal, and of those the closest to the value: the same
 * digits as Python's {@code repr}, numpy's shortest ({@code unique=True}) formatting and
 * JavaScript.
 *
 * <p>Layout: exactly JavaScript's (so a browser's {@code JSON.stringify} of the same double
 * writes the same bytes), except that negative zero keeps its sign ({@code -0}):
 * {@code 255}, {@code 0.1}, {@code 2566.571924017235}, {@code 1e+21}, {@code 1.5e-7}.
 *
 * <p>NaN and infinities have no JSON form; callers must not pass them.
 */
final class ShortestDecimal {
  /**
   * Room a write needs: the text is at most 25 bytes (sign, "0.", 5 zeros, 17 digits), and
   * the fast layout stores 24 bytes after the sign whatever the text's length.
   */
  static final int MAX_CHARS = 26;

  // doubles: value = c * 2^q, c < 2^53
  private static final int D_P = 53;
  private static final int D_Q_MIN = -1074;
  private static final long D_C_MIN = 1L << (D_P - 1);
  private static final long D_T_MASK = D_C_MIN - 1;
  private static final int D_BQ_MASK = 0x7FF;

  // floats: value = c * 2^q, c < 2^24
  private static final int F_P = 24;
  private static final int F_Q_MIN = -149;
  private static final long F_C_MIN = 1L << (F_P - 1);
  private static final int F_T_MASK = (1 << (F_P - 1)) - 1;
  private static final int F_BQ_MASK = 0xFF;

  private static final long MASK_63 = (1L << 63) - 1;

  /** Range of k in 10^k over all doubles (and so all floats). */
  private static final int K_MIN = -324;
  private static final int K_MAX = 292;
  /** g = floor(10^-k * 2^-r) + 1 with 2^125 <= g < 2^126, split in 63-bit halves. */
  private static final long[] G1 = new long[K_MAX - K_MIN + 1];
  private static final long[] G0 = new long[K_MAX - K_MIN + 1];

  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  /** Eight ASCII '0's. */
  private static final long ZEROS = 0x3030_3030_3030_3030L;
  private static final long[] POW10 = new long[19];
  private static final byte[] DIGIT_PAIRS = new byte[200];

  static {
    BigInteger mask63 = BigInteger.ONE.shiftLeft(63).subtract(BigInteger.ONE);
    for (int k = K_MIN; k <= K_MAX; k++) {
      int r = flog2pow10(-k) - 125;
      BigInteger g;
      if (k <= 0) {
        // 10^-k is an integer; r may be positive (divide) or negative (multiply)
        BigInteger p = BigInteger.TEN.pow(-k);
        g = r >= 0 ? p.shiftRight(r) : p.shiftLeft(-r);
      } else {
        g = BigInteger.ONE.shiftLeft(-r).divide(BigInteger.TEN.pow(k));
      }
      g = g.add(BigInteger.ONE);
      G1[k - K_MIN] = g.shiftRight(63).longValueExact();
      G0[k - K_MIN] = g.and(mask63).longValueExact();
    }
    long p = 1;
    for (int i = 0; i < POW10.length; i++) {
      POW10[i] = p;
      p *= 10;
    }
    for (int i = 0; i < 100; i++) {
      DIGIT_PAIRS[2 * i] = (byte) ('0' + i / 10);
      DIGIT_PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
    }
  }

  private ShortestDecimal() {}

  /**
   * Writes {@code v} at {@code pos} (at most {@link #MAX_CHARS} bytes) and returns the
   * position after it. A double that is exactly a float ({@code (double) (float) v == v})
   * can instead be written with {@link #writeFloat} to get the float's shorter digits.
   */
  static int writeDouble(double v, byte[] buf, int pos) {
    long bits = Double.doubleToRawLongBits(v);
    long t = bits & D_T_MASK;
    int bq = (int) (bits >>> (D_P - 1)) & D_BQ_MASK;
    if (bq == D_BQ_MASK) {
      throw new IllegalArgumentException("no JSON form for " + v);
    }
    if (bits < 0) {
      buf[pos++] = '-';
    }
    if (bq == 0) {
      if (t == 0) {
        buf[pos] = '0';
        return pos + 1;
      }
      return decimal(D_Q_MIN, t, false, buf, pos); // subnormal
    }
    int q = bq + D_Q_MIN - 1;
    long c = D_C_MIN | t;
    if (-D_P < q && q < 0) {
      // integers below 2^53 are their own shortest decimal
      long f = c >> -q;
      if (f << -q == c) {
        return layout(f, 0, buf, pos);
      }
    }
    return decimal(q, c, c == D_C_MIN && q != D_Q_MIN, buf, pos);
  }

  /**
   * Writes the shortest decimal that reads back (as a float) to exactly {@code v}: for data
   * that was float32 this is 9 significant digits at most instead of up to 17.
   */
  static int writeFloat(float v, byte[] buf, int pos) {
    int bits = Float.floatToRawIntBits(v);
    int t = bits & F_T_MASK;
    int bq = (bits >>> (F_P - 1)) & F_BQ_MASK;
    if (bq == F_BQ_MASK) {
      throw new IllegalArgumentException("no JSON form for " + v);
    }
    if (bits < 0) {
      buf[pos++] = '-';
    }
    if (bq == 0) {
      if (t == 0) {
        buf[pos] = '0';
        return pos + 1;
      }
      return decimal(F_Q_MIN, t, false, buf, pos);
    }
    int q = bq + F_Q_MIN - 1;
    long c = F_C_MIN | t;
    if (-F_P < q && q < 0) {
      long f = c >> -q;
      if (f << -q == c) {
        return layout(f, 0, buf, pos);
      }
    }
    return decimal(q, c, c == F_C_MIN && q != F_Q_MIN, buf, pos);
  }

  /**
   * Writes an integer in [0, 1000) (a colour, a category): the same bytes as
   * {@link #writeDouble} gives for it, without the general machinery.
   */
  static int writeSmallInt(int i, byte[] buf, int pos) {
    if (i >= 100) {
      buf[pos] = (byte) ('0' + i / 100);
      i %= 100;
      buf[pos + 1] = DIGIT_PAIRS[2 * i];
      buf[pos + 2] = DIGIT_PAIRS[2 * i + 1];
      return pos + 3;
    }
    if (i >= 10) {
      buf[pos] = DIGIT_PAIRS[2 * i];
      buf[pos + 1] = DIGIT_PAIRS[2 * i + 1];
      return pos + 2;
    }
    buf[pos] = (byte) ('0' + i);
    return pos + 1;
  }

  /** {@link #writeDouble} as a String (for messages and tests). */
  static String toString(double v) {
    byte[] buf = new byte[MAX_CHARS];
    return new String(buf, 0, writeDouble(v, buf, 0), StandardCharsets.US_ASCII);
  }

  /** {@link #writeFloat} as a String (for messages and tests). */
  static String toString(float v) {
    byte[] buf = new byte[MAX_CHARS];
    return new String(buf, 0, writeFloat(v, buf, 0), StandardCharsets.US_ASCII);
  }

  /**
   * Schubfach core for the positive value c * 2^q. The rounding interval is
   * [c - 1/2, c + 1/2] * 2^q (open when c is odd, as round-half-even reading excludes the
   * bounds), except at a power of two ({@code asymmetric}), where the lower neighbour is
   * only a quarter unit away. Everything is scaled by 4 so that the bounds are integers.
   */
  private static int decimal(int q, long c, boolean asymmetric, byte[] buf, int pos) {
    long out = c & 1;
    long cb = c << 2;
    long cbr = cb + 2;
    long cbl;
    int k;
    if (asymmetric) {
      cbl = cb - 1;
      k = flog10threeQuartersPow2(q);
    } else {
      cbl = cb - 2;
      k = flog10pow2(q);
    }
    // k is chosen so that the interval is between 1 and 10 units of 10^k wide: at most one
    // multiple of 10 (a decimal one digit shorter) can lie in it
    int h = q + flog2pow10(-k) + 2;
    long g1 = G1[k - K_MIN];
    long g0 = G0[k - K_MIN];
    long vb = rop(g1, g0, cb << h);
    long vbl = rop(g1, g0, cbl << h);
    long vbr = rop(g1, g0, cbr << h);
    long s = vb >> 2;
    long t = s + 1;
    // one digit shorter: the multiple of 10 below or above, if exactly one is in the interval
    long sp10 = 10 * (s / 10);
    long tp10 = sp10 + 10;
    boolean upin = vbl + out <= sp10 << 2;
    boolean wpin = (tp10 << 2) + out <= vbr;
    // full length: s or s + 1, whichever is in; if both, the closer one (ties to even)
    boolean uin = vbl + out <= s << 2;
    boolean win = (t << 2) + out <= vbr;
    long cmp = vb - ((s + t) << 1);
    // every candidate is computed and the choice made with conditional moves: which one
    // wins is data-dependent, and mispredicted branches cost more than the arithmetic
    long closer = cmp < 0 | cmp == 0 & (s & 1) == 0 ? s : t;
    long full = uin != win ? (uin ? s : t) : closer;
    long shorter = upin ? sp10 : tp10;
    // s < 10 would make sp10 zero, never a valid candidate
    return layout(s >= 10 & upin != wpin ? shorter : full, k, buf, pos);
  }

  /**
   * g * cp / 2^127 rounded to odd: the last bit records whether anything was cut off, which
   * keeps every comparison with a multiple of 4 exact.
   */
  private static long rop(long g1, long g0, long cp) {
    long x1 = Math.multiplyHigh(g0, cp);
    long y0 = g1 * cp;
    long y1 = Math.multiplyHigh(g1, cp);
    long z = (y0 >>> 1) + x1;
    long vbp = y1 + (z >>> 63);
    return vbp | ((z & MASK_63) + MASK_63) >>> 63;
  }

  /** floor(e * log10(2)) for |e| <= 5456721. */
  static int flog10pow2(int e) {
    return (int) (e * 661_971_961_083L >> 41);
  }

  /** floor(log10(3/4 * 2^e)) for |e| <= 5456721. */
  static int flog10threeQuartersPow2(int e) {
    return (int) (e * 661_971_961_083L + -274_743_187_321L >> 41);
  }

  /** floor(e * log2(10)) for |e| <= 1838394. */
  static int flog2pow10(int e) {
    return (int) (e * 913_124_641_741L >> 38);
  }

  /** Lays out f * 10^e (f > 0) the way JavaScript does. */
  private static int layout(long f, int e, byte[] buf, int pos) {
    int len = digitCount(f);
    int point = e + len;
    // long digit strings (float64 data) gain most; float32's 9 at most do not need it
    if (len > 9 && len <= 17 && -6 < point && point < 8) {
      int end = layoutFixed(f * POW10[17 - len], point, buf, pos);
      if (end >= 0) {
        return end;
      }
    }
    return layoutGeneral(f, e, len, buf, pos);
  }

  /**
   * The common layouts, {@code ddd.ddd} with at most 7 integer digits and
   * {@code 0.000ddd}, without a data-dependent branch (which digit count, how many trailing
   * zeros) to mispredict: the 17 digits of {@code f17} are made in three registers, the point
   * (or the "0.000" prefix) is shifted in, and the result is stored with three 8-byte writes
   * (up to 24 bytes, so {@link #MAX_CHARS} of room is needed). Returns -1 for an integer,
   * which has no point.
   *
   * @param f17 the digits, scaled to exactly 17
   * @param point digits before the decimal point, -5..7
   */
  private static int layoutFixed(long f17, int point, byte[] buf, int pos) {
    long head = f17 / 10_000_000_000_000_000L;
    long rest = f17 - head * 10_000_000_000_000_000L;
    long mid = rest / 100_000_000;
    long a1 = eightDigits((int) mid);
    long a2 = eightDigits((int) (rest - mid * 100_000_000));
    // trailing '0' bytes: the high bytes (last digits) that equal '0'
    int z2 = Long.numberOfLeadingZeros(a2 ^ ZEROS) >>> 3;
    int z1 = Long.numberOfLeadingZeros(a1 ^ ZEROS) >>> 3;
    int digits = 17 - (z2 < 8 ? z2 : 8 + z1);
    if (digits <= point) {
      return -1;
    }
    long w0 = '0' + head | a1 << 8; // digits 1..8, first digit in the lowest byte
    long w1 = a1 >>> 56 | a2 << 8; // digits 9..16
    long w2 = a2 >>> 56; // digit 17
    if (point > 0) {
      long low = (1L << (8 * point)) - 1;
      w2 = w2 << 8 | w1 >>> 56;
      w1 = w1 << 8 | w0 >>> 56;
      w0 = w0 & low | (long) '.' << (8 * point) | (w0 & ~low) << 8;
      LONG.set(buf, pos, w0);
      LONG.set(buf, pos + 8, w1);
      LONG.set(buf, pos + 16, w2);
      return pos + digits + 1;
    }
    int shift = 8 * (2 - point); // "0." and -point zeros: 2..7 bytes
    w2 = w2 << shift | w1 >>> (64 - shift);
    w1 = w1 << shift | w0 >>> (64 - shift);
    w0 = w0 << shift | (ZEROS ^ ('0' ^ '.') << 8) & ((1L << shift) - 1);
    LONG.set(buf, pos, w0);
    LONG.set(buf, pos + 8, w1);
    LONG.set(buf, pos + 16, w2);
    return pos + (2 - point) + digits;
  }

  /** Any layout; the digits are written, then trimmed and moved as the layout needs. */
  private static int layoutGeneral(long f, int e, int len, byte[] buf, int pos) {
    writeDigits(f, len, buf, pos);
    // trailing zeros are dropped from the written bytes: cheaper than dividing them off
    while (buf[pos + len - 1] == '0') {
      len--;
      e++;
    }
    int n = e + len; // the value is 0.d1d2...dlen * 10^n
    if (len <= n && n <= 21) {
      for (int i = len; i < n; i++) {
        buf[pos + i] = '0';
      }
      return pos + n;
    }
    if (0 < n && n <= 21) {
      System.arraycopy(buf, pos + n, buf, pos + n + 1, len - n);
      buf[pos + n] = '.';
      return pos + len + 1;
    }
    if (-6 < n && n <= 0) {
      int shift = 2 - n;
      System.arraycopy(buf, pos, buf, pos + shift, len);
      buf[pos] = '0';
      buf[pos + 1] = '.';
      for (int i = 2; i < shift; i++) {
        buf[pos + i] = '0';
      }
      return pos + shift + len;
    }
    int end = pos + len;
    if (len > 1) {
      System.arraycopy(buf, pos + 1, buf, pos + 2, len - 1);
      buf[pos + 1] = '.';
      end++;
    }
    buf[end++] = 'e';
    int x = n - 1;
    buf[end++] = (byte) (x < 0 ? '-' : '+');
    x = Math.abs(x);
    if (x >= 100) {
      buf[end++] = (byte) ('0' + x / 100);
      x %= 100;
      buf[end++] = DIGIT_PAIRS[2 * x];
      buf[end++] = DIGIT_PAIRS[2 * x + 1];
    } else if (x >= 10) {
      buf[end++] = DIGIT_PAIRS[2 * x];
      buf[end++] = DIGIT_PAIRS[2 * x + 1];
    } else {
      buf[end++] = (byte) ('0' + x);
    }
    return end;
  }

  /** Decimal digits of f > 0: the bit length gives log10 within one. */
  private static int digitCount(long f) {
    int t = (64 - Long.numberOfLeadingZeros(f)) * 1233 >>> 12;
    return t + (f >= POW10[t] ? 1 : 0);
  }

  /**
   * The 8 decimal digits of 0 <= x < 10^8 as ASCII, most significant in the lowest byte (the
   * first in memory): split in 4-digit halves, then 2-digit quarters, then digits, each
   * split done in all lanes of one long at once by a multiply-shift that equals the division
   * in these ranges (x * 10486 >> 20 == x / 100 for x <= 9999; x * 103 >> 10 == x / 10 for
   * x <= 99).
   */
  private static long eightDigits(int x) {
    long hi = x / 10_000;
    long merged = hi | (x - hi * 10_000) << 32;
    long top = (merged * 10486 >>> 20) & 0x0000_007F_0000_007FL;
    long hundreds = top | (merged - 100 * top) << 16;
    long tens = (hundreds * 103 >>> 10) & 0x000F_000F_000F_000FL;
    return (tens | (hundreds - 10 * tens) << 8) + ZEROS;
  }

  /** Writes the len decimal digits of f at pos, from the right, two per step. */
  private static void writeDigits(long f, int len, byte[] buf, int pos) {
    int i = pos + len;
    while (f >= 100_000_000) {
      long hi = f / 100_000_000;
      int lo = (int) (f - hi * 100_000_000);
      for (int k = 0; k < 4; k++) {
        int pair = lo % 100;
        lo /= 100;
        buf[--i] = DIGIT_PAIRS[2 * pair + 1];
        buf[--i] = DIGIT_PAIRS[2 * pair];
      }
      f = hi;
    }
    int r = (int) f;
    while (r >= 100) {
      int pair = r % 100;
      r /= 100;
      buf[--i] = DIGIT_PAIRS[2 * pair + 1];
      buf[--i] = DIGIT_PAIRS[2 * pair];
    }
    if (r >= 10) {
      buf[--i] = DIGIT_PAIRS[2 * r + 1];
      buf[--i] = DIGIT_PAIRS[2 * r];
    } else {
      buf[--i] = (byte) ('0' + r);
    }
  }
}
