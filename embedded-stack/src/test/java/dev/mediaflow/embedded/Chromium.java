package dev.mediaflow.embedded;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through the system chromedriver (Selenium Manager cannot
 * download drivers here). One fresh profile directory per browser, removed on {@link #close()}.
 * Where either binary is missing a test calling {@link #startOrSkip()} is skipped, saying why.
 */
final class Chromium implements AutoCloseable {
  static final Path BROWSER = Path.of(System.getProperty("mediaflow.chromium", "/usr/bin/chromium"));
  static final Path DRIVER = Path.of(System.getProperty("mediaflow.chromedriver", "/usr/bin/chromedriver"));
  /** Where screenshots go, for a person to look at (relative to the module, i.e. its target/). */
  static final Path SCREENSHOTS = Path.of("target", "browser-screenshots");

  private final ChromeDriver driver;
  private final Path profile;

  private Chromium(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /** Starts a headless browser with a 1400×1000 window, or skips the calling test when Chromium is missing. */
  static Chromium startOrSkip() {
    String missing = !Files.isExecutable(BROWSER) ? BROWSER.toString()
        : !Files.isExecutable(DRIVER) ? DRIVER.toString() : null;
    if (missing != null) {
      String reason = "SKIPPED: " + missing + " is missing; install Debian's chromium and chromium-driver";
      System.err.println(reason);
      assumeTrue(false, reason);
    }
    Path profile = tempDir();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--window-size=1400,1000", "--user-data-dir=" + profile);
    // the page's console, for a failing test to print (browserLog)
    options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
    return new Chromium(driver, profile);
  }

  ChromeDriver driver() {
    return driver;
  }

  /** Writes a PNG of the window to {@code target/browser-screenshots/<name>.png} and returns its path. */
  Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
      System.out.println("[browser] screenshot " + file.toAbsolutePath());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The page's console messages since the last call, one per line (for a failing test to print). */
  String browserLog() {
    StringBuilder out = new StringBuilder();
    driver.manage().logs().get("browser").forEach(entry -> out.append(entry.getLevel()).append(' ')
        .append(entry.getMessage()).append('\n'));
    return out.toString();
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      deleteQuietly(profile);
    }
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("mediaflow-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      System.err.println("could not remove " + dir + ": " + e.getMessage());
    }
  }
}
