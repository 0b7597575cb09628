package dev.mediaflow.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.mediaflow.transform.image.ImageProcessor;
import dev.mediaflow.transform.image.ImageRequest;
import dev.mediaflow.transform.image.PixelArray;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The kernel CPU meter: it counts the calling thread's CPU time inside a kernel, and only that. */
class KernelCpuTest {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  @BeforeEach
  void cpuClock() {
    assumeThat(KernelCpu.supported()).as("this JVM reads thread CPU clocks").isTrue();
  }

  @Test
  void shouldAddTheCpuTimeSpentInsideTheKernelAndNotTheTimeAround() {
    // Given about 60 ms of CPU work outside any kernel and about 60 ms inside one
    long before = KernelCpu.nanos(KernelCpu.MOLECULE);
    long threadBefore = THREADS.getCurrentThreadCpuTime();
    spin(60);
    long insideStart = THREADS.getCurrentThreadCpuTime();

    // When
    long result = KernelCpu.time(KernelCpu.MOLECULE, () -> spin(60));

    // Then it grew by the inside part: between 80 % of it and all of it, not the outside part
    long inside = THREADS.getCurrentThreadCpuTime() - insideStart;
    long grew = KernelCpu.nanos(KernelCpu.MOLECULE) - before;
    assertThat(result).isNotZero();
    assertThat(grew).isBetween((long) (0.8 * inside), inside);
    assertThat(grew).isLessThan(THREADS.getCurrentThreadCpuTime() - threadBefore - 40_000_000L);
  }

  @Test
  void shouldCountNormalizationAndPngEncodingOfAnImageSeparately() {
    // Given a 512×512×3 float32 image in [0, 1]
    PixelArray pixels = new PixelArray(PixelArray.Dtype.FLOAT32, new long[] {512, 512, 3},
        ByteBuffer.wrap(noise(512 * 512 * 3)));
    long normalize = KernelCpu.nanos(KernelCpu.NORMALIZE);
    long png = KernelCpu.nanos(KernelCpu.PNG);
    long jpeg = KernelCpu.nanos(KernelCpu.JPEG);
    long threadBefore = THREADS.getCurrentThreadCpuTime();

    // When it is encoded as PNG, three times
    for (int i = 0; i < 3; i++) {
      ImageProcessor.process(ImageRequest.of(pixels));
    }

    // Then normalization and PNG both grew, by no more than this thread's CPU time in total,
    // and by a plausible share of it (the encoder is most of an image's work)
    long thread = THREADS.getCurrentThreadCpuTime() - threadBefore;
    long grewNormalize = KernelCpu.nanos(KernelCpu.NORMALIZE) - normalize;
    long grewPng = KernelCpu.nanos(KernelCpu.PNG) - png;
    assertThat(grewNormalize).isPositive();
    assertThat(grewPng).isPositive();
    assertThat(grewNormalize + grewPng).isBetween((long) (0.5 * thread), thread);
    assertThat(KernelCpu.nanos(KernelCpu.JPEG) - jpeg).as("no JPEG was written").isZero();
  }

  @Test
  void shouldCountTimeOfAKernelThatThrowsAndRejectUnknownLabels() {
    long before = KernelCpu.nanos(KernelCpu.TABLE);
    assertThatThrownBy(() -> KernelCpu.time(KernelCpu.TABLE, () -> {
      spin(20);
      throw new MediaRejectedException("rejected after some work");
    })).isInstanceOf(MediaRejectedException.class);
    assertThat(KernelCpu.nanos(KernelCpu.TABLE) - before).isGreaterThan(10_000_000L);
    assertThatThrownBy(() -> KernelCpu.time("no-such-kernel", () -> 1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(KernelCpu.snapshot()).containsOnlyKeys(KernelCpu.KERNELS);
  }

  /** Burns about {@code millis} of this thread's CPU time; returns something so it is not optimized away. */
  private static long spin(long millis) {
    long end = THREADS.getCurrentThreadCpuTime() + millis * 1_000_000L;
    long x = 1;
    while (THREADS.getCurrentThreadCpuTime() < end) {
      for (int i = 0; i < 10_000; i++) {
        x = x * 6364136223846793005L + 1442695040888963407L;
      }
    }
    return x | 1;
  }

  private static byte[] noise(int count) {
    SplittableRandom random = new SplittableRandom(13);
    ByteBuffer b = ByteBuffer.allocate(count * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      b.putFloat((float) random.nextDouble());
    }
    return b.array();
  }
}
