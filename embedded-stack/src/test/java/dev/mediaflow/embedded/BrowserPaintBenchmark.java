package dev.mediaflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediaflow.ingest.npy.NpyWriter;
import dev.mediaflow.schemas.avro.MediaIdentity;
import dev.mediaflow.sink.sql.MediaRow;
import dev.mediaflow.sink.sql.MetadataStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;

/**
 * Not part of the suite (no *IT/*Test name): measures, in headless Chromium against the
 * embedded stack, the time to first paint of a run page with 1,000 steps × 16 images, how long
 * a slider move takes to show another step, and the time to draw a 300,000-point cloud (three
 * 350,000-point clouds logged, each cut to 300,000). Run with {@code tools/bench/run-browser-paint.sh}.
 */
class BrowserPaintBenchmark extends PipelineTestBase {
  static final int STEPS = Integer.getInteger("bench.steps", 1000);
  static final int IMAGES = 16;
  static final int SIDE = 64;
  static final int CLOUDS = 3;
  static final int CLOUD_POINTS = 350_000;
  static final int REPEATS = 3;
  /** Steps logged through the gateway; the others are copies of them (see {@link #copySteps}). */
  static final int SEED_STEPS = Math.min(STEPS, 10);

  @TempDir
  static Path dataDir;

  static Chromium chromium;

  @AfterAll
  static void closeBrowser() {
    if (chromium != null) {
      chromium.close();
    }
  }

  @Test
  void measureFirstPaintOfALargeRunAndOfAPointCloud() throws Exception {
    chromium = Chromium.startOrSkip();
    ChromeDriver driver = chromium.driver();
    driver.manage().window().setSize(new Dimension(1400, 1000));
    startStack(dataDir, null);
    long start = System.nanoTime();
    logImages("big", SEED_STEPS);
    logClouds("clouds");
    awaitRows("big", SEED_STEPS * IMAGES, Duration.ofMinutes(10));
    copySteps("big");
    assertThat(inspector.rows("it", "big")).isEqualTo(STEPS * IMAGES);
    awaitRows("clouds", CLOUDS, Duration.ofMinutes(5));
    System.out.printf("[bench] %d images (%d logged, the rest copies) and %d clouds stored in %d s%n", STEPS * IMAGES,
        SEED_STEPS * IMAGES, CLOUDS,
        (System.nanoTime() - start) / 1_000_000_000);

    List<Double> firstImage = new ArrayList<>();
    List<Double> allSixteen = new ArrayList<>();
    List<Double> sliderMove = new ArrayList<>();
    List<Double> firstCloud = new ArrayList<>();
    List<Double> cloudStep = new ArrayList<>();
    for (int i = 0; i < REPEATS; i++) {
      open(driver, "big", i);
      await(driver, "return window.mfFirstPanelMs !== undefined");
      firstImage.add(number(driver, "return window.mfFirstPanelMs"));
      allSixteen.add(number(driver, WAIT_FOR_GRID, String.valueOf(STEPS - 1)));
      sliderMove.add(moveSlider(driver, STEPS / 2 + i));
      open(driver, "clouds", i);
      await(driver, "return window.mfFirstCloudMs !== undefined");
      firstCloud.add(number(driver, "return window.mfFirstCloudMs"));
      cloudStep.add(switchCloud(driver));
    }
    report("run page, " + STEPS + " steps x " + IMAGES + " images: first image drawn", firstImage);
    report("run page: all 16 images of the newest step drawn", allSixteen);
    report("slider move to another step: its 16 images drawn", sliderMove);
    report("300,000-point cloud (of 350,000): first cloud drawn after navigation", firstCloud);
    report("point-cloud step change: next 300,000-point cloud drawn", cloudStep);
    chromium.screenshot("bench-clouds");
  }

  /** In the page: ms since navigation when every image of the camera grid at step arguments[0] has loaded. */
  static final String WAIT_FOR_GRID = "const done = arguments[arguments.length - 1]; const step = arguments[0];"
      + " const check = () => { const g = document.querySelector('section[data-key=\"camera\"] .grid');"
      + "  const imgs = g ? [...g.querySelectorAll('img.picture')] : [];"
      + "  if (g && g.dataset.step === step && imgs.length === 16 && imgs.every(i => i.complete && i.naturalWidth > 0))"
      + "   done(performance.now()); else setTimeout(check, 10); }; check();";

  static double moveSlider(ChromeDriver driver, int position) {
    String script = "const done = arguments[arguments.length - 1]; const s = document.querySelector("
        + "'section[data-key=\"camera\"] input.step-range'); const t0 = performance.now();"
        + " s.value = " + position + "; s.dispatchEvent(new Event('input'));"
        + " const check = () => { const g = document.querySelector('section[data-key=\"camera\"] .grid');"
        + "  const imgs = [...g.querySelectorAll('img.picture')];"
        + "  if (g.dataset.step === '" + position + "' && imgs.length === 16"
        + "   && imgs.every(i => i.complete && i.naturalWidth > 0)) done(performance.now() - t0);"
        + "  else setTimeout(check, 5); }; check();";
    return ((Number) driver.executeAsyncScript(script)).doubleValue();
  }

  static double switchCloud(ChromeDriver driver) {
    String script = "const done = arguments[arguments.length - 1];"
        + " const b = document.querySelector('section[data-key=\"lidar\"] button[title=\"previous step\"]');"
        + " const v = document.querySelector('section[data-key=\"lidar\"] .cloud-view');"
        + " const info = v.querySelector('.cloud-info'); const t0 = performance.now(); b.click();"
        + " const check = () => { if (document.querySelector('section[data-key=\"lidar\"] .cloud-holder').dataset.step"
        + "  === '" + (CLOUDS - 2) + "' && info.querySelector('.point-count')) done(performance.now() - t0);"
        + "  else setTimeout(check, 5); }; setTimeout(check, 5);";
    return ((Number) driver.executeAsyncScript(script)).doubleValue();
  }

  static void open(ChromeDriver driver, String run, int i) {
    driver.get("about:blank");
    driver.get(stack.queryUrl() + "/?bench=" + i + "#/projects/it/runs/" + run);
  }

  static void await(ChromeDriver driver, String script) {
    new WebDriverWait(driver, Duration.ofSeconds(120)).until(d -> Boolean.TRUE.equals(
        ((JavascriptExecutor) d).executeScript(script)));
  }

  static double number(ChromeDriver driver, String script, Object... args) {
    Object value = script.contains("arguments[arguments.length - 1]")
        ? driver.executeAsyncScript(script, args) : driver.executeScript(script, args);
    return ((Number) value).doubleValue();
  }

  static void report(String what, List<Double> ms) {
    List<Double> sorted = new ArrayList<>(ms);
    Collections.sort(sorted);
    System.out.printf("[bench] %s: median %.0f ms (min %.0f, max %.0f, %d page loads)%n", what,
        sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1), sorted.size());
  }

  /**
   * Fills steps SEED_STEPS..STEPS-1 with copies of the logged ones (object copied in S3, row
   * upserted with the sink's own MetadataStore): on this shared 2-core machine the full pipeline
   * stores about 10 images/s, so 16,000 logged images would take half an hour; what the
   * browser reads (rows, objects, previews) is the same.
   */
  static void copySteps(String run) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> copies = new ArrayList<>();
    try (MetadataStore store = new MetadataStore(stack.jdbcUrl())) {
      for (int step = SEED_STEPS; step < STEPS; step++) {
        for (int index = 0; index < IMAGES; index++) {
          MediaRow source = store.find(new MediaIdentity("it", run, "camera", (long) (step % SEED_STEPS), index))
              .orElseThrow();
          int s = step;
          copies.add(pool.submit(() -> store.upsert(copy(source, s))));
        }
      }
      for (Future<?> copy : copies) {
        copy.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  static MediaRow copy(MediaRow source, long step) {
    String from = String.format("/%012d/", source.step());
    String to = String.format("/%012d/", step);
    String objectKey = source.objectKey().replace(from, to);
    inspector.s3().copyObject(CopyObjectRequest.builder().sourceBucket(EmbeddedStack.BUCKET)
        .sourceKey(source.objectKey()).destinationBucket(EmbeddedStack.BUCKET).destinationKey(objectKey).build());
    return new MediaRow(source.project(), source.run(), source.logKey(), step, source.itemIndex(), source.mediaType(),
        objectKey, source.objectKeysJson().replace(from, to), source.contentType(), source.byteSize(), source.sha256(),
        source.width(), source.height(), source.mode(), source.format(), "step " + step + " #" + source.itemIndex(),
        source.grouping(), source.classesJson(), source.warningsJson(), source.metadataJson(), source.producerId(),
        source.loggedAt(), System.currentTimeMillis());
  }

  /** One log call per step with 16 small RGB images, four calls in flight. */
  static void logImages(String run, int steps) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> calls = new ArrayList<>();
    for (int step = 0; step < steps; step++) {
      int s = step;
      calls.add(pool.submit(() -> {
        ObjectNode call = JSON.createObjectNode().put("step", s);
        ArrayNode list = call.putObject("data").putArray("camera");
        for (int i = 0; i < IMAGES; i++) {
          list.addObject().put("_type", "image").put("array", "px" + i).put("caption", "step " + s + " #" + i);
        }
        Map<String, byte[]> parts = new java.util.HashMap<>();
        for (int i = 0; i < IMAGES; i++) {
          parts.put("px" + i, NpyWriter.write("uint8", new long[] {SIDE, SIDE, 3}, pixels(s, i)));
        }
        return post(run, call, parts);
      }));
    }
    for (Future<?> call : calls) {
      call.get();
    }
    pool.shutdown();
  }

  static byte[] pixels(int step, int index) {
    byte[] out = new byte[SIDE * SIDE * 3];
    for (int p = 0; p < SIDE * SIDE; p++) {
      out[p * 3] = (byte) (p % SIDE * 4);
      out[p * 3 + 1] = (byte) (p / SIDE * 4);
      out[p * 3 + 2] = (byte) (step * 16 + index * 8);
    }
    return out;
  }

  static void logClouds(String run) throws Exception {
    for (int step = 0; step < CLOUDS; step++) {
      ByteBuffer data = ByteBuffer.allocate(CLOUD_POINTS * 6 * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < CLOUD_POINTS; i++) {
        double angle = i * 2 * Math.PI / 1000.0;
        double radius = 5 + (i % 997) / 200.0 + step;
        data.putFloat((float) (radius * Math.cos(angle))).putFloat((float) (radius * Math.sin(angle)))
            .putFloat((i % 1000) / 500f).putFloat(i % 256).putFloat(255 - i % 256).putFloat(180);
      }
      ObjectNode call = JSON.createObjectNode().put("step", step);
      call.putObject("data").putObject("lidar").put("_type", "object3D").put("points", "cloud");
      post(run, call, Map.of("cloud", NpyWriter.write("float32", new long[] {CLOUD_POINTS, 6}, data.array())));
    }
  }

  static void awaitRows(String run, int expected, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long lastPrint = 0;
    while (inspector.rows("it", run) < expected && System.nanoTime() < deadline) {
      if (System.nanoTime() - lastPrint > 10_000_000_000L) {
        System.out.println("[bench] " + run + ": " + inspector.rows("it", run) + " of " + expected + " rows");
        lastPrint = System.nanoTime();
      }
      Thread.sleep(500);
    }
    assertThat(inspector.rows("it", run)).isEqualTo(expected);
  }
}
