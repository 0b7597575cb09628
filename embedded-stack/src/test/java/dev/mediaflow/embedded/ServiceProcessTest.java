package dev.mediaflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleFinder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JVM options of a service's child process. */
class ServiceProcessTest {

  @Test
  void shouldStartTheChildWithTheVectorModuleWhenTheRuntimeHasIt() {
    // Given a JDK 17 runtime, which ships jdk.incubator.vector
    boolean present = ModuleFinder.ofSystem().find("jdk.incubator.vector").isPresent();

    // When
    List<String> options = ServiceProcess.jvmOptions();

    // Then the transform's SIMD kernels are available in the child (else it runs scalar)
    assertThat(present).isTrue();
    assertThat(options).containsSubsequence("--add-modules", "jdk.incubator.vector");
    assertThat(options).contains("-Xmx768m", "-XX:+ExitOnOutOfMemoryError");
  }
}
