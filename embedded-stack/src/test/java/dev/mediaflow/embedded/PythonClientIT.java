package dev.mediaflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python client ({@code clients/python}) against a started stack with API keys on: runs its
 * pytest suite (media validation, the sender against a scripted gateway, and end to end: every
 * media class stored as the equivalent hand-made call, refusals, gateway outages, the spool) and
 * installs the package with pip into a venv. Skipped with a message where Debian's
 * python3-numpy / python3-requests / python3-pytest are missing; the torch test inside skips
 * itself, visibly, without python3-torch.
 */
class PythonClientIT {
  static final Path CLIENT = Path.of("../clients/python").toAbsolutePath().normalize();
  static final String PYTHON = "/usr/bin/python3";

  @TempDir
  static Path dataDir;

  static EmbeddedStack stack;
  static String apiKey;

  @BeforeAll
  static void start() throws Exception {
    boolean available = exitCode(List.of(PYTHON, "-c", "import numpy, requests, pytest")) == 0;
    if (!available) {
      System.err.println("SKIPPED: /usr/bin/python3 lacks numpy/requests/pytest "
          + "(apt-get install python3-numpy python3-requests python3-pytest)");
    }
    assumeTrue(available, "python3-numpy, python3-requests or python3-pytest is not installed");
    stack = EmbeddedStack.start(dataDir.resolve("stack"), null, line -> System.out.println("[stack] " + line), false,
        EmbeddedStack.AUTH_ON);
    apiKey = stack.createApiKey("py-client", "write", "PythonClientIT");
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void shouldPassThePythonClientSuiteAgainstTheRunningStack() throws Exception {
    // Given the stack's gateway, its SQLite store and a write key of project py-client
    ProcessBuilder pytest = new ProcessBuilder(PYTHON, "-m", "pytest", "-q", "-rs", "-s", "-p", "no:cacheprovider",
        "-W", "ignore::UserWarning", CLIENT.resolve("tests").toString());
    pytest.environment().putAll(Map.of(
        "MEDIAFLOW_TEST_URL", stack.gatewayUrl(),
        "MEDIAFLOW_TEST_SQLITE", stack.dataDir().resolve("metadata.db").toString(),
        "MEDIAFLOW_TEST_API_KEY", apiKey,
        "PYTHONPATH", CLIENT.resolve("src").toString()));

    // When pytest runs the client's tests
    Result result = run(pytest.directory(dataDir.toFile()), 240);

    // Then all pass (a test skipped for a missing optional package says so in the output)
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).containsPattern("\\d+ passed").doesNotContain(" failed").doesNotContain(" error");
  }

  @Test
  void shouldInstallWithPipIntoAVenvOfTheSystemPackages() throws Exception {
    // Given a venv that sees Debian's numpy and requests
    Path venv = dataDir.resolve("venv");
    assertThat(exitCode(List.of(PYTHON, "-m", "venv", "--system-site-packages", venv.toString()))).isZero();

    // When a copy of the package is installed the documented way (no index: everything it needs is
    // there; a copy, because pip writes build/ and *.egg-info next to the sources)
    Path copy = copyClient(dataDir.resolve("client"));
    Result install = run(new ProcessBuilder(venv.resolve("bin/pip").toString(), "install", "--no-index",
        "--no-build-isolation", copy.toString()), 180);
    Result imported = run(new ProcessBuilder(venv.resolve("bin/python").toString(), "-c",
        "import mediaflow; print(mediaflow.__file__, mediaflow.__version__)").directory(dataDir.toFile()), 60);

    // Then mediaflow imports from the venv
    assertThat(install.exitCode()).as(install.output()).isZero();
    assertThat(imported.output()).contains(venv.toString()).contains("site-packages/mediaflow");
  }

  record Result(int exitCode, String output) {}

  static Path copyClient(Path target) throws IOException {
    for (String name : List.of("pyproject.toml", "README.md", "src/mediaflow")) {
      try (Stream<Path> files = Files.walk(CLIENT.resolve(name))) {
        for (Path source : (Iterable<Path>) files.filter(Files::isRegularFile)
            .filter(f -> !f.toString().contains("__pycache__"))::iterator) {
          Path dest = target.resolve(CLIENT.relativize(source).toString());
          Files.createDirectories(dest.getParent());
          Files.copy(source, dest);
        }
      }
    }
    return target;
  }

  static Result run(ProcessBuilder builder, int timeoutSeconds) throws IOException, InterruptedException {
    Process p = builder.redirectErrorStream(true).start();
    StringBuilder out = new StringBuilder();
    Thread reader = new Thread(() -> {
      try {
        for (String line : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
          System.out.println("[python] " + line);
          out.append(line).append('\n');
        }
      } catch (IOException e) {
        out.append(e);
      }
    });
    reader.start();
    boolean ended = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!ended) {
      p.destroyForcibly();
    }
    reader.join(10_000);
    assertThat(ended).as("python did not end within %d s:%n%s", timeoutSeconds, out).isTrue();
    return new Result(p.exitValue(), out.toString());
  }

  static int exitCode(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }
}
