package dev.mediaflow.bench.e2e;

import dev.mediaflow.transform.image.EncodedImageInspector;
import dev.mediaflow.transform.image.ProcessedImage;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Pass-through inspection (issue 13): {@link EncodedImageInspector#inspect} (libjpeg-turbo for
 * JPEGs when installed) against {@link EncodedImageInspector#inspectWithImageIo}, on the files
 * of {@link LoadMix#passThrough()}. Min-of-rounds: each round times {@code reps} calls per
 * file of each path, alternating paths; the table gives the fastest round per call, in
 * microseconds, as markdown.
 *
 * <p>Arguments: {@code [rounds] [reps]} (default 30 and 20). Run pinned, e.g.
 * {@code taskset -c 1 java -cp ... dev.mediaflow.bench.e2e.InspectMinTimes}.
 */
public final class InspectMinTimes {
  private InspectMinTimes() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int reps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    LoadMix.PassThrough files = new LoadMix.PassThrough();
    List<Case> cases = List.of(new Case("png 256x256 (f0.png)", "f0.png", files.png),
        new Case("jpeg 640x480 (f1.jpg)", "f1.jpg", files.smallJpeg),
        new Case("jpeg 1024x768 (f2.jpg)", "f2.jpg", files.bigJpeg));
    BiFunction<String, byte[], ProcessedImage> before = EncodedImageInspector::inspectWithImageIo;
    BiFunction<String, byte[], ProcessedImage> after = EncodedImageInspector::inspect;
    double[][] best = new double[cases.size()][2];
    for (double[] b : best) {
      b[0] = Double.MAX_VALUE;
      b[1] = Double.MAX_VALUE;
    }
    for (int round = 0; round < rounds; round++) {
      for (int c = 0; c < cases.size(); c++) {
        best[c][0] = Math.min(best[c][0], time(cases.get(c), before, reps));
        best[c][1] = Math.min(best[c][1], time(cases.get(c), after, reps));
      }
    }
    System.out.println("| file | ImageIO (before) µs | after µs | speed-up |");
    System.out.println("|---|---:|---:|---:|");
    double sumBefore = 0;
    double sumAfter = 0;
    for (int c = 0; c < cases.size(); c++) {
      sumBefore += best[c][0];
      sumAfter += best[c][1];
      System.out.printf("| %s | %.0f | %.0f | %.1f× |%n", cases.get(c).label, best[c][0], best[c][1],
          best[c][0] / best[c][1]);
    }
    System.out.printf("| per pass-through item (3 files) | %.0f | %.0f | %.1f× |%n", sumBefore, sumAfter,
        sumBefore / sumAfter);
  }

  /** Microseconds per call over {@code reps} calls on each variant of the file. */
  private static double time(Case c, BiFunction<String, byte[], ProcessedImage> inspect, int reps) {
    long sink = 0;
    long start = System.nanoTime();
    for (int r = 0; r < reps; r++) {
      for (byte[] data : c.variants) {
        sink += inspect.apply(c.name, data).width();
      }
    }
    long nanos = System.nanoTime() - start;
    if (sink == 0) {
      throw new IllegalStateException("no image inspected");
    }
    return nanos / 1000.0 / reps / c.variants.length;
  }

  private record Case(String label, String name, byte[][] variants) {}
}
