package dev.mediaflow.transform.simd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The start-up line that says which kernels run, and why the scalar ones when they do. */
class KernelsChoiceTest {

  @Test
  void shouldSayWhichKernelsRunAndWhy() {
    // Given the build's JVM option --add-modules jdk.incubator.vector
    boolean wide = new VectorKernels().supported();

    // When
    String active = Kernels.activeDescription();

    // Then
    assertThat(active).startsWith(wide ? "vector (Vector API, mediaflow.simd=" : "scalar (this CPU has no 256-bit vectors)");
    assertThat(Kernels.Choice.why("scalar", Kernels.scalar())).isEqualTo("mediaflow.simd=scalar");
    assertThat(Kernels.Choice.why("auto", new VectorKernels())).isEqualTo("Vector API, mediaflow.simd=auto");
  }
}
