package dev.mediaflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mediaflow.ingest.client.LogCallRequest;
import dev.mediaflow.ingest.npy.NpyWriter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint of docs/QUERY-API.md against the real embedded stack, with data logged through
 * the gateway (HTTP → Kafka → transform → sink → the query service reading SQL and S3), keys on:
 * images with boxes (pixel and relative), a mask and classes over 5 steps × 3, a large image for
 * previews, a histogram over 3 steps, a 310,000-point cloud (truncated to 300,000), a summary
 * image and a run whose name holds a {@code +}. Subclasses choose the SQL engine.
 */
abstract class QueryApiContract extends PipelineTestBase {
  static final String PROJECT = "qa";
  static final String RUN = "r1";
  static final String PLUS_RUN = "a+b";
  static final int STEPS = 5;
  static final int PER_STEP = 3;
  static final int CLOUD_POINTS = 310_000;
  static final int POINT_LIMIT = 300_000;
  static final int BIG_W = 640;
  static final int BIG_H = 480;
  /** A read key for every project: what most requests carry. */
  static String readAll;
  static String writeAll;

  /** Starts the stack with keys on, on {@code jdbcUrl} (null: SQLite), and logs the dataset. */
  static void startWithDataset(Path dataDir, String jdbcUrl) throws Exception {
    stack = EmbeddedStack.start(dataDir, jdbcUrl, line -> System.out.println("[stack] " + line), false,
        EmbeddedStack.AUTH_ON);
    inspector = new StackInspector(stack);
    writeAll = stack.createApiKey("*", "write", "query IT logging");
    readAll = stack.createApiKey("*", "read", "query IT reading");
    long begin = System.nanoTime();
    logDataset();
    awaitQaRows(RUN, STEPS * PER_STEP + 1 + 3 + 1 + 1);
    awaitQaRows(PLUS_RUN, 1);
    System.out.printf("[figures] %s: dataset logged and stored in %d ms%n", PROJECT,
        (System.nanoTime() - begin) / 1_000_000);
  }

  // ----- runs, keys, steps -----

  @Test
  void shouldListProjectsAndRunsWithCountsStepsAndTimes() throws Exception {
    JsonNode projects = getJson("/api/v1/projects");
    assertThat(projects.get("projects").findValuesAsText("project")).contains(PROJECT);

    JsonNode runs = getJson("/api/v1/projects/qa/runs").get("runs");
    JsonNode r1 = find(runs, "run", RUN);
    assertThat(r1.get("items").asLong()).isEqualTo(21);
    assertThat(r1.get("summary_items").asLong()).isEqualTo(1);
    assertThat(r1.get("keys").asLong()).isEqualTo(4);
    assertThat(r1.get("first_step").asLong()).isZero();
    assertThat(r1.get("last_step").asLong()).isEqualTo(STEPS - 1);
    assertThat(r1.get("counts").get("image").asLong()).isEqualTo(STEPS * PER_STEP + 2);
    assertThat(r1.get("counts").get("histogram").asLong()).isEqualTo(3);
    assertThat(r1.get("counts").get("object3D").asLong()).isEqualTo(1);
    assertThat(r1.get("last_logged_at").asLong()).isGreaterThanOrEqualTo(r1.get("first_logged_at").asLong())
        .isPositive();
  }

  @Test
  void shouldShowTheRunWithItsSummaryMedia() throws Exception {
    JsonNode run = getJson("/api/v1/projects/qa/runs/r1");
    assertThat(run.get("run").get("run").asText()).isEqualTo(RUN);
    JsonNode summary = run.get("summary_items");
    assertThat(summary).hasSize(1);
    assertThat(summary.get(0).get("key").asText()).isEqualTo("final");
    assertThat(summary.get(0).get("step").asLong()).isEqualTo(-1);
    assertThat(summary.get(0).get("summary").asBoolean()).isTrue();
    assertThat(get(summary.get(0).get("preview_url").asText(), readAll, Map.of()).statusCode()).isEqualTo(200);
    // the summary item is not a step of its key
    assertThat(getJson("/api/v1/projects/qa/runs/r1/keys").get("keys").findValuesAsText("key")).doesNotContain("final");
    assertThat(getJson("/api/v1/projects/qa/runs/r1/keys/final/items?step=-1").get("items")).hasSize(1);
  }

  @Test
  void shouldListKeysWithMediaTypeCountsAndStepRanges() throws Exception {
    JsonNode keys = getJson("/api/v1/projects/qa/runs/r1/keys").get("keys");
    assertThat(keys.findValuesAsText("key")).containsExactly("big", "camera", "gradients", "lidar");
    JsonNode camera = find(keys, "key", "camera");
    assertThat(camera.get("media_type").asText()).isEqualTo("image");
    assertThat(camera.get("items").asLong()).isEqualTo(STEPS * PER_STEP);
    assertThat(camera.get("first_step").asLong()).isZero();
    assertThat(camera.get("last_step").asLong()).isEqualTo(STEPS - 1);
    assertThat(camera.get("steps").asLong()).isEqualTo(STEPS);
    assertThat(camera.get("max_index").asInt()).isEqualTo(PER_STEP - 1);
    assertThat(find(keys, "key", "gradients").get("media_type").asText()).isEqualTo("histogram");
    assertThat(find(keys, "key", "lidar").get("media_type").asText()).isEqualTo("object3D");

    JsonNode steps = getJson("/api/v1/projects/qa/runs/r1/keys/camera/steps").get("steps");
    assertThat(steps.toString()).isEqualTo("[0,1,2,3,4]");
  }

  // ----- items and paging -----

  @Test
  void shouldPageItemsWithLimitAndCursorWithoutDuplicatesOrGaps() throws Exception {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page = getJson("/api/v1/projects/qa/runs/r1/keys/camera/items?limit=4"
          + (cursor == null ? "" : "&cursor=" + cursor));
      page.get("items").forEach(item -> seen.add(item.get("step").asLong() + "/" + item.get("index").asInt()));
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
      pages++;
    } while (cursor != null && pages < 10);
    List<String> expected = new ArrayList<>();
    for (int s = 0; s < STEPS; s++) {
      for (int i = 0; i < PER_STEP; i++) {
        expected.add(s + "/" + i);
      }
    }
    assertThat(seen).containsExactlyElementsOf(expected);
    assertThat(pages).isEqualTo(4);

    assertThat(getJson("/api/v1/projects/qa/runs/r1/keys/camera/items?step=2").get("items").findValuesAsText("index"))
        .containsExactly("0", "1", "2");
    JsonNode range = getJson("/api/v1/projects/qa/runs/r1/keys/camera/items?from=1&to=2");
    assertThat(range.get("items")).hasSize(6);
    assertThat(range.get("next_cursor").isNull()).isTrue();
    assertThat(getJson("/api/v1/projects/qa/runs/r1/keys/camera/items?step=99").get("items")).isEmpty();
  }

  @Test
  void shouldShowBoxesInPixelsClassesAndMasksOfAnImage() throws Exception {
    JsonNode item = getJson("/api/v1/projects/qa/runs/r1/keys/camera/items?step=0&limit=1").get("items").get(0);
    assertThat(item.get("media_type").asText()).isEqualTo("image");
    assertThat(item.get("width").asInt()).isEqualTo(32);
    assertThat(item.get("height").asInt()).isEqualTo(16);
    assertThat(item.get("caption").asText()).isEqualTo("cam 0/0");
    assertThat(item.get("classes").findValuesAsText("name")).contains("cat", "dog");
    JsonNode boxes = item.get("boxes").get("predictions").get("box_data");
    assertThat(boxes).hasSize(2);
    JsonNode pixel = boxes.get(0).get("px");
    assertThat(List.of(pixel.get("min_x").asDouble(), pixel.get("max_x").asDouble(), pixel.get("min_y").asDouble(),
        pixel.get("max_y").asDouble())).containsExactly(2.0, 6.0, 2.0, 10.0);
    assertThat(boxes.get(0).get("label").asText()).isEqualTo("cat");
    assertThat(boxes.get(0).get("scores").get("conf").asDouble()).isEqualTo(0.9);
    JsonNode relative = boxes.get(1).get("px");
    assertThat(relative.get("min_x").asDouble()).isEqualTo(16.0);
    assertThat(relative.get("max_y").asDouble()).isEqualTo(8.0);
    JsonNode mask = item.get("masks").get("seg");
    assertThat(mask.get("class_labels").get("1").asText()).isEqualTo("cat");
    BufferedImage maskPng = ImageIO.read(new ByteArrayInputStream(get(mask.get("url").asText(), readAll, Map.of())
        .body()));
    assertThat(maskPng.getWidth()).isEqualTo(32);
    assertThat(maskPng.getRaster().getSample(3, 3, 0)).isEqualTo(1);
  }

  // ----- objects -----

  @Test
  void shouldStreamObjectBytesWithTypeEtagRangeAnd304() throws Exception {
    JsonNode item = getJson("/api/v1/projects/qa/runs/r1/keys/big/items").get("items").get(0);
    String url = item.get("url").asText();
    HttpResponse<byte[]> whole = get(url, readAll, Map.of());
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(whole.body())))
        .isEqualTo(item.get("sha256").asText());
    String etag = whole.headers().firstValue("ETag").orElseThrow();
    int size = whole.body().length;

    HttpResponse<byte[]> first = get(url, readAll, Map.of("Range", "bytes=0-9"));
    assertThat(first.statusCode()).isEqualTo(206);
    assertThat(first.body()).containsExactly(java.util.Arrays.copyOfRange(whole.body(), 0, 10));
    assertThat(first.headers().firstValue("Content-Range")).hasValue("bytes 0-9/" + size);
    HttpResponse<byte[]> suffix = get(url, readAll, Map.of("Range", "bytes=-16"));
    assertThat(suffix.statusCode()).isEqualTo(206);
    assertThat(suffix.body()).containsExactly(java.util.Arrays.copyOfRange(whole.body(), size - 16, size));
    HttpResponse<byte[]> beyond = get(url, readAll, Map.of("Range", "bytes=" + size + "-"));
    assertThat(beyond.statusCode()).isEqualTo(416);
    assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */" + size);
    assertError(get(url, readAll, Map.of("Range", "bytes=0-1,4-5")), 400, "bad_request");
    HttpResponse<byte[]> notModified = get(url, readAll, Map.of("If-None-Match", etag));
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.body()).isEmpty();
  }

  @Test
  void shouldServeSmallCachedPreviewsNeverTheFullImage() throws Exception {
    JsonNode item = getJson("/api/v1/projects/qa/runs/r1/keys/big/items").get("items").get(0);
    String preview = item.get("preview_url").asText();
    long begin = System.nanoTime();
    HttpResponse<byte[]> made = get(preview, readAll, Map.of());
    long madeMicros = (System.nanoTime() - begin) / 1000;
    assertThat(made.statusCode()).isEqualTo(200);
    assertThat(made.headers().firstValue("Content-Type")).hasValue("image/jpeg");
    BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(made.body()));
    assertThat(thumb.getWidth()).isEqualTo(256);
    assertThat(thumb.getHeight()).isEqualTo(192);
    assertThat((long) made.body().length).isLessThan(item.get("byte_size").asLong());
    begin = System.nanoTime();
    HttpResponse<byte[]> cached = get(preview, readAll, Map.of());
    long cachedMicros = (System.nanoTime() - begin) / 1000;
    assertThat(cached.body()).isEqualTo(made.body());
    String etag = cached.headers().firstValue("ETag").orElseThrow();
    assertThat(get(preview, readAll, Map.of("If-None-Match", etag)).statusCode()).isEqualTo(304);
    BufferedImage small = ImageIO.read(new ByteArrayInputStream(get(preview + "?size=64", readAll, Map.of()).body()));
    assertThat(Math.max(small.getWidth(), small.getHeight())).isEqualTo(64);
    assertError(get(preview + "?size=5", readAll, Map.of()), 400, "bad_request");
    assertError(get("/api/v1/projects/qa/runs/r1/keys/gradients/steps/0/items/0/preview", readAll, Map.of()), 404,
        "not_found");
    System.out.printf("[figures] preview of a %dx%d PNG (%d bytes): %d bytes JPEG, made in %d us, cached in %d us%n",
        BIG_W, BIG_H, item.get("byte_size").asLong(), made.body().length, madeMicros, cachedMicros);
  }

  // ----- histograms and point clouds -----

  @Test
  void shouldGiveTheHistogramSeriesOfEveryStep() throws Exception {
    JsonNode body = getJson("/api/v1/projects/qa/runs/r1/keys/gradients/histograms");
    JsonNode series = body.get("series");
    assertThat(series.findValuesAsText("step")).containsExactly("0", "1", "2");
    assertThat(series.get(0).get("edges").toString()).isEqualTo("[-2.0,-1.0,0.0,1.0,2.0]");
    assertThat(series.get(0).get("counts").toString()).isEqualTo("[1.0,4.0,4.0,1.0]");
    assertThat(series.get(2).get("counts").toString()).isEqualTo("[3.0,2.0,2.0,3.0]");
    assertThat(body.get("max_count").asDouble()).isEqualTo(5.0);
    assertThat(getJson("/api/v1/projects/qa/runs/r1/keys/gradients/histograms?from=1&to=1").get("series")).hasSize(1);
  }

  @Test
  void shouldExportTheTruncatedPointCloudAsBinaryPlyAndSayItWasTruncated() throws Exception {
    JsonNode item = getJson("/api/v1/projects/qa/runs/r1/keys/lidar/items").get("items").get(0);
    JsonNode points = item.get("points");
    assertThat(points.get("kept").asLong()).isEqualTo(POINT_LIMIT);
    assertThat(points.get("original").asLong()).isEqualTo(CLOUD_POINTS);
    assertThat(points.get("truncated").asBoolean()).isTrue();

    long begin = System.nanoTime();
    HttpResponse<byte[]> ply = get(item.get("ply_url").asText(), readAll, Map.of());
    long plyMillis = (System.nanoTime() - begin) / 1_000_000;
    assertThat(ply.statusCode()).isEqualTo(200);
    assertThat(ply.headers().firstValue("X-Mediaflow-Truncated")).hasValue("true");
    assertThat(ply.headers().firstValue("X-Mediaflow-Points")).hasValue(Integer.toString(POINT_LIMIT));
    assertThat(ply.headers().firstValue("X-Mediaflow-Original-Points")).hasValue(Integer.toString(CLOUD_POINTS));
    String body = new String(ply.body(), 0, Math.min(2000, ply.body().length), StandardCharsets.ISO_8859_1);
    String header = body.substring(0, body.indexOf("end_header\n") + "end_header\n".length());
    assertThat(header).startsWith("ply\nformat binary_little_endian 1.0\n").contains("element vertex " + POINT_LIMIT,
        "property uchar red");
    int perPoint = (header.contains("property double x") ? 24 : 12) + 3;
    assertThat(ply.body().length).isEqualTo(header.length() + POINT_LIMIT * perPoint);
    // the first kept point is the first logged one (head truncation): x = 0, red = 7
    ByteBuffer data = ByteBuffer.wrap(ply.body(), header.length(), perPoint).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(perPoint == 15 ? data.getFloat(header.length()) : data.getDouble(header.length())).isEqualTo(0.0);
    assertThat(ply.body()[header.length() + perPoint - 3]).isEqualTo((byte) 7);

    // a client that pauses (its socket buffer fills, the server must wait for it) still gets every byte
    assertThat(slowDownload(item.get("ply_url").asText())).isEqualTo(ply.body().length);

    JsonNode scene = getJson(item.get("objects").get("ply").asText().replace("/objects/ply", "/scene"));
    assertThat(scene.get("boxes")).isEmpty();
    assertThat(scene.has("points")).isFalse();
    assertError(get("/api/v1/projects/qa/runs/r1/keys/camera/steps/0/items/0/pointcloud.ply", readAll, Map.of()),
        404, "not_found");
    System.out.printf("[figures] %d-point cloud (logged %d): PLY of %d bytes in %d ms%n", POINT_LIMIT, CLOUD_POINTS,
        ply.body().length, plyMillis);
  }

  // ----- errors -----

  @Test
  void shouldAnswer404NamingUnknownProjectRunKeyItemAndObject() throws Exception {
    assertError(get("/api/v1/projects/nope/runs", readAll, Map.of()), 404, "not_found", "\"nope\"");
    assertError(get("/api/v1/projects/qa/runs/nope", readAll, Map.of()), 404, "not_found", "run \"nope\"");
    assertError(get("/api/v1/projects/qa/runs/nope/keys", readAll, Map.of()), 404, "not_found", "run \"nope\"");
    assertError(get("/api/v1/projects/qa/runs/r1/keys/nope/steps", readAll, Map.of()), 404, "not_found",
        "key \"nope\"");
    assertError(get("/api/v1/projects/qa/runs/r1/keys/nope/items", readAll, Map.of()), 404, "not_found", "key \"nope\"");
    assertError(get("/api/v1/projects/qa/runs/r1/keys/camera/steps/0/items/9/objects/image", readAll, Map.of()), 404,
        "not_found", "step 0 index 9");
    assertError(get("/api/v1/projects/qa/runs/r1/keys/camera/steps/0/items/0/objects/nope", readAll, Map.of()), 404,
        "not_found", "\"nope\"");
    assertError(get("/api/v1/nothing", readAll, Map.of()), 404, "not_found");
  }

  @Test
  void shouldAnswer400ForBadParametersAndPathSegments() throws Exception {
    String items = "/api/v1/projects/qa/runs/r1/keys/camera/items";
    assertError(get(items + "?step=x", readAll, Map.of()), 400, "bad_request", "step");
    assertError(get(items + "?limit=0", readAll, Map.of()), 400, "bad_request", "limit");
    assertError(get(items + "?limit=1001", readAll, Map.of()), 400, "bad_request", "limit");
    assertError(get(items + "?cursor=!!", readAll, Map.of()), 400, "bad_request", "cursor");
    assertError(get(items + "?from=3&to=1", readAll, Map.of()), 400, "bad_request");
    assertError(get("/api/v1/projects/qa/runs/r1/keys/camera/steps/x/items/0/objects/image", readAll, Map.of()), 400,
        "bad_request", "step");
    assertError(get("/api/v1/projects/qa/runs/r%FF/keys", readAll, Map.of()), 400, "bad_request", "run segment");
    assertError(post("/api/v1/projects", readAll), 405, "method_not_allowed");
  }

  @Test
  void shouldDecodePathSegmentsLikeTheGatewayKeepingPlus() throws Exception {
    JsonNode keys = getJson("/api/v1/projects/qa/runs/a+b/keys");
    assertThat(keys.get("run").asText()).isEqualTo(PLUS_RUN);
    assertThat(getJson("/api/v1/projects/qa/runs/a%2Bb/keys").get("run").asText()).isEqualTo(PLUS_RUN);
    assertError(get("/api/v1/projects/qa/runs/a%20b/keys", readAll, Map.of()), 404, "not_found");
    JsonNode item = getJson("/api/v1/projects/qa/runs/a%2Bb/keys/img/items").get("items").get(0);
    assertThat(item.get("url").asText()).contains("/runs/a%2Bb/");
    assertThat(get(item.get("url").asText(), readAll, Map.of()).statusCode()).isEqualTo(200);
  }

  // ----- auth -----

  @Test
  void shouldRefuseWithoutKey401OtherProjectsKey403AndAcceptReadAndWriteKeys() throws Exception {
    String runs = "/api/v1/projects/qa/runs";
    HttpResponse<byte[]> none = get(runs, null, Map.of());
    assertError(none, 401, "unauthorized");
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertError(get(runs, "mf_nope_nope", Map.of()), 401, "unauthorized");
    String other = stack.createApiKey("other", "read", "query IT other project");
    assertError(get(runs, other, Map.of()), 403, "forbidden", "\"qa\"");
    String own = stack.createApiKey(PROJECT, "read", "query IT own project");
    assertThat(get(runs, own, Map.of()).statusCode()).isEqualTo(200);
    assertThat(get(runs, writeAll, Map.of()).statusCode()).isEqualTo(200);
    // a project key lists only its project
    JsonNode listed = JSON.readTree(get("/api/v1/projects", other, Map.of()).body());
    assertThat(listed.get("projects")).isEmpty();
    // static files and health are open
    HttpResponse<byte[]> index = get("/", null, Map.of());
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(new String(index.body(), StandardCharsets.UTF_8)).containsIgnoringCase("<html");
    assertThat(get("/health/ready", null, Map.of()).statusCode()).isEqualTo(200);
  }

  @Test
  void shouldLetTheBrowserInWithASessionCookie() throws Exception {
    JsonNode state = JSON.readTree(get("/api/v1/session", null, Map.of()).body());
    assertThat(state.get("auth_required").asBoolean()).isTrue();
    assertThat(state.get("authenticated").asBoolean()).isFalse();
    assertError(post("/api/v1/session", "mf_nope_nope"), 401, "unauthorized");
    HttpResponse<byte[]> session = post("/api/v1/session", readAll);
    assertThat(session.statusCode()).isEqualTo(204);
    String cookie = session.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).startsWith("mediaflow_key=").contains("HttpOnly", "SameSite=Strict", "Path=/");
    String pair = cookie.substring(0, cookie.indexOf(';'));
    HttpResponse<byte[]> withCookie = get("/api/v1/projects/qa/runs", null, Map.of("Cookie", pair));
    assertThat(withCookie.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(get("/api/v1/session", null, Map.of("Cookie", pair)).body()).get("authenticated")
        .asBoolean()).isTrue();
  }

  // ----- helpers -----

  static JsonNode getJson(String path) throws Exception {
    HttpResponse<byte[]> response = get(path, readAll, Map.of());
    assertThat(response.statusCode()).as(path + ": " + new String(response.body(), StandardCharsets.UTF_8))
        .isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    return JSON.readTree(response.body());
  }

  static HttpResponse<byte[]> get(String path, String key, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.queryUrl() + path))
        .timeout(Duration.ofSeconds(60));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static HttpResponse<byte[]> post(String path, String key) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.queryUrl() + path))
        .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /**
   * Reads the body of {@code path} over a plain socket, pausing a second after its first 64 KB so
   * that the server's writes must wait for the client; returns the body's length.
   */
  static int slowDownload(String path) throws Exception {
    URI uri = URI.create(stack.queryUrl());
    try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
      socket.setReceiveBufferSize(16 * 1024);
      socket.setSoTimeout(20_000);
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nAuthorization: Bearer "
          + readAll + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      java.io.InputStream in = socket.getInputStream();
      byte[] first = in.readNBytes(64 * 1024);
      Thread.sleep(1_000);
      byte[] rest = in.readAllBytes();
      String all = new String(first, StandardCharsets.ISO_8859_1);
      int headerEnd = all.indexOf("\r\n\r\n") + 4;
      assertThat(all).startsWith("HTTP/1.1 200");
      return first.length + rest.length - headerEnd;
    }
  }

  static void assertError(HttpResponse<byte[]> response, int status, String code, String... inMessage)
      throws Exception {
    String text = new String(response.body(), StandardCharsets.UTF_8);
    assertThat(response.statusCode()).as(response.uri() + ": " + text).isEqualTo(status);
    JsonNode error = JSON.readTree(text);
    assertThat(error.get("error_code").asText()).as(text).isEqualTo(code);
    if (inMessage.length > 0) {
      assertThat(error.get("message").asText()).as(text).contains(inMessage);
    }
  }

  static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode element : array) {
      if (element.get(field).asText().equals(value)) {
        return element;
      }
    }
    throw new AssertionError("no " + field + " " + value + " in " + array);
  }

  // ----- the dataset -----

  private static void awaitQaRows(String run, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (inspector.rows(PROJECT, run) < expected && System.nanoTime() < deadline) {
      Thread.sleep(250);
    }
    assertThat(inspector.rows(PROJECT, run)).as("rows of run %s", run).isEqualTo(expected);
  }

  private static void logDataset() throws Exception {
    Map<String, byte[]> parts = new HashMap<>();
    parts.put("px", image(16, 32));
    parts.put("big", image(BIG_H, BIG_W));
    byte[] mask = new byte[16 * 32];
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        mask[y * 32 + x] = 1;
      }
    }
    parts.put("mask", NpyWriter.write("uint8", new long[] {16, 32}, mask));
    parts.put("cloud", cloud());
    String[] histograms = {"[[1, 4, 4, 1], [-2, -1, 0, 1, 2]]", "[[0, 5, 5, 0], [-2, -1, 0, 1, 2]]",
        "[[3, 2, 2, 3], [-2, -1, 0, 1, 2]]"};
    for (int step = 0; step < STEPS; step++) {
      List<String> images = new ArrayList<>();
      for (int i = 0; i < PER_STEP; i++) {
        images.add(cameraImage(step, i));
      }
      String extra = (step < 3 ? ", \"gradients\": {\"_type\": \"histogram\", \"np_histogram\": " + histograms[step] + "}"
          : "") + (step == 0 ? ", \"big\": {\"_type\": \"image\", \"array\": \"big\"},"
          + " \"lidar\": {\"_type\": \"object3D\", \"points\": \"cloud\"}" : "");
      log(RUN, "{\"step\": " + step + ", \"data\": {\"camera\": [" + String.join(", ", images) + "]" + extra + "}}",
          parts, false);
    }
    log(RUN, "{\"data\": {\"final\": {\"_type\": \"image\", \"array\": \"px\", \"caption\": \"final\"}}}", parts, true);
    log(PLUS_RUN, "{\"step\": 0, \"data\": {\"img\": {\"_type\": \"image\", \"array\": \"px\"}}}", parts, false);
  }

  private static String cameraImage(int step, int index) {
    return "{\"_type\": \"image\", \"array\": \"px\", \"caption\": \"cam " + step + "/" + index + "\","
        + " \"classes\": [{\"id\": 1, \"name\": \"cat\"}, {\"id\": 2, \"name\": \"dog\"}],"
        + " \"boxes\": {\"predictions\": {\"class_labels\": {\"1\": \"cat\", \"2\": \"dog\"}, \"box_data\": ["
        + "{\"position\": {\"minX\": 2, \"maxX\": 6, \"minY\": 2, \"maxY\": 10}, \"domain\": \"pixel\", \"class_id\": 1,"
        + " \"scores\": {\"conf\": 0.9}},"
        + "{\"position\": {\"minX\": 0.5, \"maxX\": 0.75, \"minY\": 0.25, \"maxY\": 0.5}, \"class_id\": 2,"
        + " \"scores\": {\"conf\": 0.4}}]}}"
        + (step == 0 ? ", \"masks\": {\"seg\": {\"mask_data\": \"mask\", \"class_labels\": {\"1\": \"cat\"}}}" : "")
        + "}";
  }

  private static void log(String run, String json, Map<String, byte[]> allParts, boolean summary) throws Exception {
    LogCallRequest request = new LogCallRequest(json);
    Set<String> used = new LinkedHashSet<>();
    allParts.forEach((name, data) -> {
      if (json.contains("\"array\": \"" + name + "\"") || json.contains("\"points\": \"" + name + "\"")
          || json.contains("\"mask_data\": \"" + name + "\"")) {
        request.part(name, name + ".npy", "application/octet-stream", data);
        used.add(name);
      }
    });
    HttpRequest built = summary ? request.buildSummary(stack.gatewayUrl(), PROJECT, run)
        : request.build(stack.gatewayUrl(), PROJECT, run);
    HttpRequest call = HttpRequest.newBuilder(built, (n, v) -> true).header("Authorization", "Bearer " + writeAll)
        .timeout(Duration.ofSeconds(120)).build();
    HttpResponse<String> response = HTTP.send(call, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(run + " " + used + ": " + response.body()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).get("rejected")).as(response.body()).isEmpty();
  }

  /** RGB uint8: a diagonal gradient with noise in blue, so the PNG is photo-like in size. */
  private static byte[] image(int height, int width) {
    byte[] px = new byte[height * width * 3];
    java.util.Random noise = new java.util.Random(11);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int o = (y * width + x) * 3;
        px[o] = (byte) (x * 255 / width);
        px[o + 1] = (byte) (y * 255 / height);
        px[o + 2] = (byte) noise.nextInt(256);
      }
    }
    return NpyWriter.write("uint8", new long[] {height, width, 3}, px);
  }

  /** n×6 float32 (x, y, z, r, g, b): point i at x = i / 1000, red 7. */
  private static byte[] cloud() {
    ByteBuffer data = ByteBuffer.allocate(CLOUD_POINTS * 6 * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < CLOUD_POINTS; i++) {
      data.putFloat(i / 1000f).putFloat((i % 100) / 10f).putFloat(1f).putFloat(7f).putFloat(100f).putFloat(200f);
    }
    return NpyWriter.write("float32", new long[] {CLOUD_POINTS, 6}, data.array());
  }
}
