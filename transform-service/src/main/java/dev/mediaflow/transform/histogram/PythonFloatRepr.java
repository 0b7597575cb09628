package dev.mediaflow.transform.histogram;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats a double exactly as Python's {@code repr(float)} (and so {@code json.dumps}) does:
 * the shortest decimal that rounds back to the same double, ties between two shortest
 * candidates going to the closer one and then to the even last digit (David Gay's
 * {@code dtoa} mode 0, which CPython uses), laid out as {@code 0.1}, {@code 100.0},
 * {@code 1e+16}, {@code 1e-05}, {@code -0.0}, {@code inf}, {@code nan}.
 *
 * <p>Java 17's {@link Double#toString(double)} is not a substitute: it sometimes emits more
 * digits than needed (JDK-4511638, fixed in JDK 19; {@code 2^-1074} prints as
 * {@code 4.9E-324}, Python gives {@code 5e-324}) and its layout differs. The digits here
 * come from exact {@link BigDecimal} arithmetic against the double's rounding interval, so
 * they do not depend on any float formatting or parsing code.
 */
final class PythonFloatRepr {

  private static final BigDecimal HALF = new BigDecimal("0.5");

  private PythonFloatRepr() {}

  /** Python's {@code repr(x)} for a float. */
  static String repr(double x) {
    if (Double.isNaN(x)) {
      return "nan";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "inf" : "-inf";
    }
    if (x == 0) {
      return Double.doubleToRawLongBits(x) < 0 ? "-0.0" : "0.0";
    }
    StringBuilder b = new StringBuilder(26);
    if (x < 0) {
      b.append('-');
    }
    BigDecimal digits = shortest(Math.abs(x)).stripTrailingZeros();
    String s = digits.unscaledValue().toString();
    // value = 0.s * 10^decpt, Python's convention in format_float_short
    int decpt = s.length() - digits.scale();
    if (decpt <= -4 || decpt > 16) {
      b.append(s.charAt(0));
      if (s.length() > 1) {
        b.append('.').append(s, 1, s.length());
      }
      int exp = decpt - 1;
      b.append(exp < 0 ? "e-" : "e+");
      int abs = Math.abs(exp);
      if (abs < 10) {
        b.append('0');
      }
      b.append(abs);
    } else if (decpt <= 0) {
      b.append("0.");
      b.append("0".repeat(-decpt));
      b.append(s);
    } else if (decpt >= s.length()) {
      b.append(s);
      b.append("0".repeat(decpt - s.length()));
      b.append(".0");
    } else {
      b.append(s, 0, decpt).append('.').append(s, decpt, s.length());
    }
    return b.toString();
  }

  /** The shortest decimal in the round-to-nearest interval of {@code a > 0}. */
  private static BigDecimal shortest(double a) {
    BigDecimal exact = new BigDecimal(a);
    BigDecimal below = exact.subtract(new BigDecimal(Math.nextDown(a)));
    // above MAX_VALUE the boundary is still half an ulp (beyond it rounds to infinity)
    BigDecimal above = a == Double.MAX_VALUE
        ? new BigDecimal(Math.ulp(a))
        : new BigDecimal(Math.nextUp(a)).subtract(exact);
    BigDecimal low = exact.subtract(below.multiply(HALF));
    BigDecimal high = exact.add(above.multiply(HALF));
    // round-half-even maps a decimal exactly on a boundary to the even neighbour
    boolean inclusive = (Double.doubleToRawLongBits(a) & 1) == 0;

    // If p digits work, p + 1 digits do too (the nearer p+1-digit neighbours lie between
    // the p-digit one and the value), so a binary search finds the shortest length.
    int lo = 1;
    int hi = 17; // 17 significant digits always identify a double
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (pick(exact, mid, low, high, inclusive) != null) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return pick(exact, lo, low, high, inclusive);
  }

  /**
   * The p-digit decimal inside [low, high] nearest to {@code exact}, or null. Only the two
   * p-digit neighbours of the value can qualify: the interval is convex and contains it.
   */
  private static BigDecimal pick(BigDecimal exact, int p, BigDecimal low, BigDecimal high,
      boolean inclusive) {
    BigDecimal down = exact.round(new MathContext(p, RoundingMode.FLOOR));
    BigDecimal up = exact.round(new MathContext(p, RoundingMode.CEILING));
    boolean downOk = inside(down, low, high, inclusive);
    boolean upOk = inside(up, low, high, inclusive);
    if (downOk && upOk) {
      if (down.compareTo(up) == 0) {
        return down; // the value itself has at most p digits
      }
      int c = exact.subtract(down).compareTo(up.subtract(exact));
      if (c != 0) {
        return c < 0 ? down : up;
      }
      // exactly half-way: the even last digit, as dtoa does
      BigDecimal unit = up.subtract(down);
      boolean downEven = !down.divide(unit).toBigIntegerExact().testBit(0);
      return downEven ? down : up;
    }
    return downOk ? down : upOk ? up : null;
  }

  private static boolean inside(BigDecimal d, BigDecimal low, BigDecimal high, boolean inclusive) {
    int l = d.compareTo(low);
    int h = d.compareTo(high);
    return inclusive ? l >= 0 && h <= 0 : l > 0 && h < 0;
  }
}
