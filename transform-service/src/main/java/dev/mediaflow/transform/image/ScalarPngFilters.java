package dev.mediaflow.transform.image;

/**
 * The PNG filters in plain Java, one byte at a time: the fallback without the Vector API, the
 * reference the vector ones are tested against, and their head and tail loops (the ranged
 * methods).
 */
final class ScalarPngFilters implements PngFilters {
  static final ScalarPngFilters INSTANCE = new ScalarPngFilters();

  private ScalarPngFilters() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public void scores(byte[] px, int row, byte[] up, int u, int stride, int bpp, long[] sums) {
    scores(px, row, up, u, bpp, 0, stride, sums);
  }

  /** {@link #scores} of the row's bytes {@code [from, to)} only. */
  static void scores(byte[] px, int row, byte[] up, int u, int bpp, int from, int to, long[] sums) {
    long s0 = 0;
    long s1 = 0;
    long s2 = 0;
    long s3 = 0;
    long s4 = 0;
    // one pass for all five: each byte and its neighbours are read once
    for (int i = from; i < to; i++) {
      int x = px[row + i] & 0xff;
      int a = i >= bpp ? px[row + i - bpp] & 0xff : 0;
      int b = up[u + i] & 0xff;
      int c = i >= bpp ? up[u + i - bpp] & 0xff : 0;
      s0 += score(x);
      s1 += score(x - a);
      s2 += score(x - b);
      s3 += score(x - ((a + b) >>> 1));
      s4 += score(x - paeth(a, b, c));
    }
    sums[0] += s0;
    sums[1] += s1;
    sums[2] += s2;
    sums[3] += s3;
    sums[4] += s4;
  }

  @Override
  public void write(int type, byte[] px, int row, byte[] up, int u, int stride, int bpp, byte[] out, int o) {
    // one loop per type: a switch per byte costs more than the filtering itself
    switch (type) {
      case 0 -> System.arraycopy(px, row, out, o, stride);
      case 1 -> sub(px, row, bpp, 0, stride, out, o);
      case 2 -> up(px, row, up, u, 0, stride, out, o);
      case 3 -> average(px, row, up, u, bpp, 0, stride, out, o);
      case 4 -> paeth(px, row, up, u, bpp, 0, stride, out, o);
      default -> throw new IllegalArgumentException("filter type " + type);
    }
  }

  // the filters of the row's bytes [from, to) only, to out[o + from, o + to)

  static void sub(byte[] px, int row, int bpp, int from, int to, byte[] out, int o) {
    for (int i = from; i < to; i++) {
      out[o + i] = (byte) (px[row + i] - (i >= bpp ? px[row + i - bpp] : 0));
    }
  }

  static void up(byte[] px, int row, byte[] up, int u, int from, int to, byte[] out, int o) {
    for (int i = from; i < to; i++) {
      out[o + i] = (byte) (px[row + i] - up[u + i]);
    }
  }

  static void average(byte[] px, int row, byte[] up, int u, int bpp, int from, int to, byte[] out, int o) {
    for (int i = from; i < to; i++) {
      int a = i >= bpp ? px[row + i - bpp] & 0xff : 0;
      out[o + i] = (byte) (px[row + i] - ((a + (up[u + i] & 0xff)) >>> 1));
    }
  }

  static void paeth(byte[] px, int row, byte[] up, int u, int bpp, int from, int to, byte[] out, int o) {
    for (int i = from; i < to; i++) {
      int a = i >= bpp ? px[row + i - bpp] & 0xff : 0;
      int c = i >= bpp ? up[u + i - bpp] & 0xff : 0;
      out[o + i] = (byte) (px[row + i] - paeth(a, up[u + i] & 0xff, c));
    }
  }

  /** The absolute value of the filtered byte {@code (byte) f} read as signed. */
  static int score(int f) {
    return Math.abs((byte) f);
  }

  /** PNG's Paeth predictor: of a (left), b (up), c (up-left), the nearest to a + b - c; ties a, then b. */
  static int paeth(int a, int b, int c) {
    int p = a + b - c;
    int pa = Math.abs(p - a);
    int pb = Math.abs(p - b);
    int pc = Math.abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
  }
}
