package dev.mediaflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediaflow.ingest.client.LogCallRequest;
import dev.mediaflow.ingest.npy.NpyWriter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The media browser in real headless Chromium against the embedded stack, with media logged
 * through the HTTP gateway: the step slider, boxes drawn at their logged pixels, class toggles
 * and score filters, the histogram heat map, the point cloud viewer with its count and
 * truncation, and new steps appearing while a run logs. Screenshots go to
 * {@code target/browser-screenshots/}.
 */
class MediaBrowserIT extends PipelineTestBase {
  static final int WIDTH = 200;
  static final int HEIGHT = 100;
  static final int CLOUD_POINTS = 350_000;
  static final int HISTOGRAM_STEPS = 5;
  static final String RUN = "browse-" + UUID.randomUUID().toString().substring(0, 8);

  @TempDir
  static Path dataDir;

  static Chromium chromium;
  static ChromeDriver driver;
  static int pageLoads;

  @BeforeAll
  static void startAndLog() throws Exception {
    chromium = Chromium.startOrSkip();
    driver = chromium.driver();
    startStack(dataDir, null);
    for (int step = 0; step < 3; step++) {
      logImageStep(step);
    }
    for (int step = 0; step < HISTOGRAM_STEPS; step++) {
      logHistogram(step);
    }
    logCloud();
    logLiveStep(0);
    logSummaryImage();
    logOtherTypes();
    awaitRows(RUN, 3 + HISTOGRAM_STEPS + 1 + 1 + 1 + OTHER_ROWS);
  }

  @AfterAll
  static void closeBrowser() {
    if (chromium != null) {
      chromium.close();
    }
  }

  @Test
  void shouldChangeTheShownStepWhenTheSliderMoves() {
    // Given the run page, whose camera panel starts at the newest step
    openRunPage();
    WebElement panel = panel("camera");
    awaitJs("return arguments[0].querySelector('.grid').dataset.step === '2'", panel);
    assertThat(imageSources(panel)).allMatch(src -> src.contains("/steps/2/items/"));

    // When the slider moves one step back
    panel.findElement(By.cssSelector("button[title='previous step']")).click();

    // Then the panel shows step 1's image, with its caption
    awaitJs("return arguments[0].querySelector('.grid').dataset.step === '1'", panel);
    assertThat(panel.findElement(By.cssSelector(".step-label")).getText()).startsWith("step 1");
    assertThat(imageSources(panel)).allMatch(src -> src.contains("/steps/1/items/"));
    assertThat(panel.findElement(By.cssSelector("figcaption")).getText()).contains("camera step 1");
    chromium.screenshot("step-slider");
  }

  @Test
  void shouldDrawALoggedBoxAtItsPixelCoordinates() {
    // Given the cat box logged at pixels x 20..60, y 10..50 of a 200×100 image
    openRunPage();
    WebElement panel = panel("camera");
    WebElement picture = awaitImage(panel);

    // When the browser draws it over the displayed picture
    Rectangle image = picture.getRect();
    Rectangle box = panel.findElement(By.cssSelector("g.box[data-class='1'] rect")).getRect();

    // Then the box is at the logged pixels, scaled as the picture is
    double scale = image.getWidth() / (double) WIDTH;
    assertThat(scale).isGreaterThan(1.0);
    assertThat(box.getX() - image.getX()).isCloseTo((int) Math.round(20 * scale), org.assertj.core.data.Offset.offset(2));
    assertThat(box.getY() - image.getY()).isCloseTo((int) Math.round(10 * scale), org.assertj.core.data.Offset.offset(2));
    assertThat(box.getWidth()).isCloseTo((int) Math.round(40 * scale), org.assertj.core.data.Offset.offset(2));
    assertThat(box.getHeight()).isCloseTo((int) Math.round(40 * scale), org.assertj.core.data.Offset.offset(2));
    chromium.screenshot("run-page");
  }

  @Test
  void shouldHideAClassesBoxesWhenToggledOffAndLowScoresBelowTheThreshold() {
    // Given the camera panel with a cat (score 0.9) and a dog (score 0.3) box
    openRunPage();
    WebElement panel = panel("camera");
    awaitImage(panel);
    assertThat(boxShown(panel, 1)).isTrue();
    assertThat(boxShown(panel, 2)).isTrue();

    // When the dog class is switched off
    panel.findElement(By.cssSelector("input.class-toggle[data-kind='boxes'][data-class='2']")).click();

    // Then only the dog's box is hidden
    assertThat(boxShown(panel, 2)).isFalse();
    assertThat(boxShown(panel, 1)).isTrue();
    chromium.screenshot("class-hidden");

    // When the dog is back on and the score threshold is raised to 0.5
    panel.findElement(By.cssSelector("input.class-toggle[data-kind='boxes'][data-class='2']")).click();
    assertThat(boxShown(panel, 2)).isTrue();
    js("const s = arguments[0].querySelector('input.score-threshold[data-score=\"conf\"]');"
        + " s.value = 0.5; s.dispatchEvent(new Event('input'));", panel);

    // Then the low-scoring dog is hidden and the cat stays
    assertThat(boxShown(panel, 2)).isFalse();
    assertThat(boxShown(panel, 1)).isTrue();

    // When the mask's grass class (the bottom 30 rows) is switched off, its pixels clear
    new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> maskAlpha(panel, 100, HEIGHT - 5) > 0);
    assertThat(maskAlpha(panel, 100, 5)).as("no class above row 70").isZero();
    panel.findElement(By.cssSelector("input.class-toggle[data-kind='mask'][data-class='1']")).click();
    assertThat(maskAlpha(panel, 100, HEIGHT - 5)).isZero();
  }

  @Test
  void shouldDrawOneHeatMapColumnPerLoggedStep() {
    // Given the histogram key logged at 5 steps
    openRunPage();
    WebElement panel = panel("gradients");
    js("arguments[0].scrollIntoView()", panel);
    awaitJs("const c = arguments[0].querySelector('canvas.heatmap'); return c && c.dataset.columns === '"
        + HISTOGRAM_STEPS + "'", panel);

    // When the heat map's columns are read back
    List<?> painted = (List<?>) js("const c = arguments[0].querySelector('canvas.heatmap');"
        + " const w = Number(c.dataset.columnWidth); const ctx = c.getContext('2d'); const out = [];"
        + " for (let i = 0; i < Number(c.dataset.columns); i++) {"
        + "   const d = ctx.getImageData(i * w + Math.floor(w / 2), 0, 1, c.height).data; let n = 0;"
        + "   for (let y = 0; y < c.height; y++) if (d[y * 4] !== 244 || d[y * 4 + 2] !== 250) n++;"
        + "   out.push(n); }"
        + " return [c.width, w, ...out];", panel);

    // Then there is one painted column per step, as wide as the canvas
    long canvasWidth = (Long) painted.get(0);
    long columnWidth = (Long) painted.get(1);
    assertThat(canvasWidth).isEqualTo(HISTOGRAM_STEPS * columnWidth);
    assertThat(painted.subList(2, painted.size())).hasSize(HISTOGRAM_STEPS)
        .allSatisfy(n -> assertThat((Long) n).isGreaterThan(10L));
    assertThat(panel.findElement(By.cssSelector("canvas.heatmap")).getAttribute("data-last-step"))
        .isEqualTo(String.valueOf(HISTOGRAM_STEPS - 1));
    chromium.screenshot("histogram-heatmap");
  }

  @Test
  void shouldDrawThePointCloudWithItsCountAndTruncationNote() throws Exception {
    // Given a 350,000-point cloud, which the pipeline cut to 300,000
    openRunPage();
    WebElement panel = panel("lidar");
    js("arguments[0].scrollIntoView()", panel);

    // When its viewer has drawn it
    awaitJs("return arguments[0].querySelector('.cloud-view')?.dataset.points === '300000'", panel);

    // Then the count and the truncation are shown, and the canvas holds many coloured points
    assertThat(panel.findElement(By.cssSelector(".point-count")).getText()).isEqualTo("300,000 points");
    assertThat(panel.findElement(By.cssSelector(".truncation")).getText()).contains("300,000 of 350,000");
    String png = (String) js("return arguments[0].querySelector('.cloud-stage canvas').toDataURL('image/png')", panel);
    BufferedImage canvas = ImageIO.read(new ByteArrayInputStream(
        Base64.getDecoder().decode(png.substring(png.indexOf(',') + 1))));
    Set<Integer> colours = new HashSet<>();
    int lit = 0;
    for (int y = 0; y < canvas.getHeight(); y++) {
      for (int x = 0; x < canvas.getWidth(); x++) {
        int rgb = canvas.getRGB(x, y) & 0xFFFFFF;
        if (rgb != 0x111318) {
          lit++;
          colours.add(rgb);
        }
      }
    }
    assertThat(lit).as("lit pixels").isGreaterThan(canvas.getWidth() * canvas.getHeight() / 50);
    assertThat(colours.size()).as("distinct colours").isGreaterThan(50);
    System.out.println("[figures] point cloud canvas " + canvas.getWidth() + "x" + canvas.getHeight() + ": " + lit
        + " lit pixels, " + colours.size() + " colours; first cloud drawn at "
        + js("return Math.round(window.mfFirstCloudMs)") + " ms after navigation");
    chromium.screenshot("point-cloud");

    // and the whole page, for the README
    driver.manage().window().setSize(new Dimension(1400, 2000));
    js("window.scrollTo(0, 0)");
    awaitJs("return document.querySelector('canvas.heatmap')?.dataset.columns === '" + HISTOGRAM_STEPS + "'");
    chromium.screenshot("run-page-full");
  }

  @Test
  void shouldShowNewStepsWhileTheRunIsLogging() throws Exception {
    // Given the page open on a key with one step
    openRunPage();
    WebElement panel = panel("live");
    js("arguments[0].scrollIntoView()", panel);
    awaitJs("return arguments[0].querySelector('.grid')?.dataset.step === '0'", panel);

    // When the run logs the next step (and the pipeline has stored it: its latency is not the browser's)
    long rows = inspector.rows("it", RUN);
    logLiveStep(1);
    awaitRows(RUN, (int) rows + 1);

    // Then, without a reload, the slider grows and follows the newest step
    awaitJs("return arguments[0].querySelector('.step-slider').dataset.steps === '2'"
        + " && arguments[0].querySelector('.grid').dataset.step === '1'", panel);
    assertThat(imageSources(panel)).allMatch(src -> src.contains("/steps/1/items/"));
  }

  @Test
  void shouldDrawVideoAudioTablesHtmlAndMolecules() {
    // Given the run page, each of these keys scrolled into view
    openRunPage();
    for (String key : List.of("clip", "voice", "preds", "page", "mol")) {
      js("arguments[0].scrollIntoView()", panel(key));
    }

    // Then the video (stored as GIF) is an image, the audio a player, the HTML a sandboxed frame
    awaitElement(By.cssSelector("section[data-key='clip'] img.video-gif"));
    assertThat(awaitElement(By.cssSelector("section[data-key='voice'] audio")).getAttribute("src")).contains("/voice/");
    WebElement frame = awaitElement(By.cssSelector("section[data-key='page'] iframe.html"));
    assertThat(frame.getAttribute("sandbox")).isEmpty();
    // the molecule drawn from its molfile, and the table with its image cell as a card
    awaitElement(By.cssSelector("section[data-key='mol'] canvas.molecule"));
    assertThat(awaitElement(By.cssSelector("section[data-key='mol'] pre.molfile")).getAttribute("textContent"))
        .contains("V2000");
    WebElement table = awaitElement(By.cssSelector("section[data-key='preds'] table.logged-table"));
    assertThat(table.findElements(By.cssSelector("tbody tr"))).hasSize(2);
    awaitElement(By.cssSelector("section[data-key='preds'] td figure.item[data-key='preds.cells'] img.picture"));
    assertThat(driver.findElements(By.cssSelector("section.panel[data-key='preds.cells']"))).isEmpty();
    js("arguments[0].scrollIntoView()", panel("mol"));
    chromium.screenshot("other-types");
  }

  @Test
  void shouldListTheRunWithItsCountsAndShowItsSummaryMedia() {
    // Given the runs page
    driver.get(stack.queryUrl() + "/?t=" + (++pageLoads) + "#/");

    // Then the run is listed with its item count
    WebElement row = awaitElement(By.cssSelector("tr.run[data-run='" + RUN + "']"));
    int items = Integer.parseInt(row.findElements(By.tagName("td")).get(1).getText().replace(",", ""));
    assertThat(items).isGreaterThanOrEqualTo(3 + HISTOGRAM_STEPS + 1 + 1 + 1);
    chromium.screenshot("runs-page");

    // When the run is opened, its summary image is on the overview
    row.findElement(By.tagName("a")).click();
    WebElement summary = awaitElement(By.cssSelector("section.overview figure.item[data-key='best_sample']"));
    assertThat(summary.getAttribute("data-step")).isEqualTo("-1");
  }

  @Test
  void shouldLoadEveryLibraryFromTheServiceItselfNeverFromACdn() throws Exception {
    // Given the run page with its point cloud drawn (three.js loaded)
    openRunPage();
    WebElement panel = panel("lidar");
    js("arguments[0].scrollIntoView()", panel);
    awaitJs("return arguments[0].querySelector('.cloud-view')?.dataset.points === '300000'", panel);

    // Then every resource the page fetched came from the query service
    List<?> foreign = (List<?>) js("return performance.getEntriesByType('resource').map(e => e.name)"
        + ".filter(n => !n.startsWith(location.origin))");
    assertThat(foreign).isEmpty();
    assertThat((List<?>) js("return performance.getEntriesByType('resource').map(e => e.name)"))
        .anySatisfy(name -> assertThat(name.toString()).endsWith("/webjars/three/build/three.module.min.js"));

    // and the WebJar handler serves JavaScript by a version-less path, and nothing outside the jar
    HttpResponse<String> three = HTTP.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(stack.queryUrl() + "/webjars/three/build/three.module.min.js")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(three.statusCode()).isEqualTo(200);
    assertThat(three.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
    for (String escape : List.of("/webjars/three/..%2F..%2F..%2Fdev/mediaflow/query/QueryService.class",
        "/..%2Fdev/mediaflow/query/QueryService.class", "/js/..%2F..%2Fdev/mediaflow/query/QueryService.class")) {
      HttpResponse<String> answer = HTTP.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(stack.queryUrl() + escape)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(escape).isIn(400, 404);
    }
  }

  // --- the page -------------------------------------------------------------------------------

  static void openRunPage() {
    driver.manage().window().setSize(new Dimension(1400, 1000));
    driver.get(stack.queryUrl() + "/?poll=500&t=" + (++pageLoads) + "#/projects/it/runs/" + RUN);
  }

  static WebElement panel(String key) {
    return awaitElement(By.cssSelector("section.panel[data-key='" + key + "']"));
  }

  static WebElement awaitElement(By by) {
    return new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> d.findElements(by).stream().findFirst()
        .orElse(null));
  }

  static WebElement awaitImage(WebElement panel) {
    awaitJs("const i = arguments[0].querySelector('img.picture'); return i && i.complete && i.naturalWidth > 0", panel);
    return panel.findElement(By.cssSelector("img.picture"));
  }

  static void awaitJs(String script, Object... args) {
    new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> Boolean.TRUE.equals(js(script, args)));
  }

  static Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  static List<String> imageSources(WebElement panel) {
    return panel.findElements(By.cssSelector("img.picture")).stream().map(i -> i.getAttribute("src")).toList();
  }

  /** The alpha of the first mask canvas of panel at image pixel (x, y): 0 where no class is painted. */
  static long maskAlpha(WebElement panel, int x, int y) {
    return (Long) js("return arguments[0].querySelector('canvas.mask').getContext('2d')"
        + ".getImageData(" + x + ", " + y + ", 1, 1).data[3]", panel);
  }

  static boolean boxShown(WebElement panel, int classId) {
    return panel.findElement(By.cssSelector("g.box[data-class='" + classId + "']")).isDisplayed();
  }

  // --- the logged data ------------------------------------------------------------------------

  /** A 200×100 image whose grey level tells the step, a cat and a dog box (pixels) and a mask. */
  static void logImageStep(int step) throws Exception {
    ObjectNode call = JSON.createObjectNode().put("step", step);
    ObjectNode image = call.putObject("data").putObject("camera").put("_type", "image").put("array", "px")
        .put("caption", "camera step " + step);
    ObjectNode predictions = image.putObject("boxes").putObject("predictions");
    predictions.putObject("class_labels").put("1", "cat").put("2", "dog");
    ArrayNode boxes = predictions.putArray("box_data");
    box(boxes.addObject(), 1, 20, 60, 10, 50, 0.9);
    box(boxes.addObject(), 2, 110, 180, 30, 90, 0.3);
    ObjectNode mask = image.putObject("masks").putObject("ground");
    mask.put("mask_data", "mask").putObject("class_labels").put("1", "grass");
    byte[] pixels = new byte[WIDTH * HEIGHT * 3];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) ((i % 3 == step % 3) ? 200 : 60 + (i / (WIDTH * 3)));
    }
    byte[] maskIds = new byte[WIDTH * HEIGHT];
    for (int i = WIDTH * 70; i < maskIds.length; i++) {
      maskIds[i] = 1; // the bottom 30 rows are grass
    }
    post(RUN, call, Map.of("px", NpyWriter.write("uint8", new long[] {HEIGHT, WIDTH, 3}, pixels),
        "mask", NpyWriter.write("uint8", new long[] {HEIGHT, WIDTH}, maskIds)));
  }

  static void box(ObjectNode box, int classId, int minX, int maxX, int minY, int maxY, double score) {
    box.putObject("position").put("minX", minX).put("maxX", maxX).put("minY", minY).put("maxY", maxY);
    box.put("domain", "pixel").put("class_id", classId).putObject("scores").put("conf", score);
  }

  /** 400 values whose centre moves with the step. */
  static void logHistogram(int step) throws Exception {
    ObjectNode call = JSON.createObjectNode().put("step", step);
    ArrayNode values = call.putObject("data").putObject("gradients").put("_type", "histogram").put("num_bins", 16)
        .putArray("sequence");
    for (int i = 0; i < 400; i++) {
      values.add(step + Math.sin(i * 0.7) * (1 + (i % 7) / 3.0));
    }
    post(RUN, call, Map.of());
  }

  /** A ring of 350,000 coloured points with a box and a vector: kept as its first 300,000. */
  static void logCloud() throws Exception {
    ByteBuffer data = ByteBuffer.allocate(CLOUD_POINTS * 6 * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < CLOUD_POINTS; i++) {
      double angle = i * 2 * Math.PI / 1000.0;
      double radius = 5 + (i % 997) / 200.0;
      data.putFloat((float) (radius * Math.cos(angle))).putFloat((float) (radius * Math.sin(angle)))
          .putFloat((i % 1000) / 500f).putFloat(i % 256).putFloat(255 - i % 256).putFloat(180);
    }
    ObjectNode call = JSON.createObjectNode().put("step", 0);
    ObjectNode scene = call.putObject("data").putObject("lidar").put("_type", "object3D").putObject("scene")
        .put("type", "lidar/beta").put("points", "cloud");
    ObjectNode box = scene.putArray("boxes").addObject().put("label", "car");
    ArrayNode corners = box.putArray("corners");
    for (int corner = 0; corner < 8; corner++) {
      corners.addArray().add((corner & 1) != 0 ? 4 : 2).add((corner & 2) != 0 ? 1 : -1).add((corner & 4) != 0 ? 2 : 0);
    }
    box.putArray("color").add(255).add(0).add(0);
    ObjectNode vector = scene.putArray("vectors").addObject();
    vector.putArray("start").add(0).add(0).add(0);
    vector.putArray("end").add(0).add(0).add(4);
    post(RUN, call, Map.of("cloud", NpyWriter.write("float32", new long[] {CLOUD_POINTS, 6}, data.array())));
  }

  /** One video, audio, table (with an image cell), HTML page and molecule: 6 rows with the cell. */
  static final int OTHER_ROWS = 6;

  static void logOtherTypes() throws Exception {
    String json = """
        {"step": 0, "data": {
          "clip": {"_type": "video", "frames": "frames", "fps": 4, "caption": "three frames"},
          "voice": {"_type": "audio", "samples": [0.0, 0.25, -0.5, 1.0, 0.5, -0.25], "sample_rate": 8000},
          "preds": {"_type": "table", "columns": ["id", "img"], "data": [[1, {"_type": "image", "array": "cell"}], [2, null]]},
          "page": {"_type": "html", "html": "<h3>hello from a run</h3><script>document.title = 'ran'</script>"},
          "mol": {"_type": "molecule", "smiles": "c1ccccc1O"}
        }}""";
    byte[] frames = new byte[3 * 3 * 24 * 32];
    for (int i = 0; i < frames.length; i++) {
      frames[i] = (byte) (i * 7);
    }
    byte[] cell = new byte[24 * 32 * 3];
    java.util.Arrays.fill(cell, (byte) 120);
    post(RUN, (ObjectNode) JSON.readTree(json), Map.of(
        "frames", NpyWriter.write("uint8", new long[] {3, 3, 24, 32}, frames),
        "cell", NpyWriter.write("uint8", new long[] {24, 32, 3}, cell)));
  }

  static void logLiveStep(int step) throws Exception {
    ObjectNode call = JSON.createObjectNode().put("step", step);
    call.putObject("data").putObject("live").put("_type", "image").put("array", "px");
    byte[] pixels = new byte[16 * 16];
    java.util.Arrays.fill(pixels, (byte) (50 + 100 * step));
    post(RUN, call, Map.of("px", NpyWriter.write("uint8", new long[] {16, 16}, pixels)));
  }

  static void logSummaryImage() throws Exception {
    ObjectNode call = JSON.createObjectNode();
    call.putObject("data").putObject("best_sample").put("_type", "image").put("array", "px").put("caption", "best");
    byte[] pixels = new byte[32 * 32];
    java.util.Arrays.fill(pixels, (byte) 180);
    HttpResponse<String> response = HTTP.send(new LogCallRequest(call.toString())
        .part("px", "px.npy", "application/octet-stream", NpyWriter.write("uint8", new long[] {32, 32}, pixels))
        .buildSummary(stack.gatewayUrl(), "it", RUN), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }
}
