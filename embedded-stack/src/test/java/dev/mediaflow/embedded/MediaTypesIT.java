package dev.mediaflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediaflow.ingest.npy.NpyWriter;
import dev.mediaflow.schemas.deadletter.DeadLetters;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every media type other than plain images, end to end through HTTP, S3 and SQL (SQLite). */
class MediaTypesIT extends PipelineTestBase {
  static final Path HISTOGRAMS = Path.of("../transform-service/src/test/resources/fixtures/histogram");

  @TempDir
  static Path dataDir;

  @BeforeAll
  static void start() {
    startStack(dataDir, null);
  }

  @Test
  void shouldStoreHistogramsExactlyAsNumpyComputedThem() throws Exception {
    // Given every numpy fixture that has an input file and a result, logged as one list
    String run = "hist-" + UUID.randomUUID();
    List<JsonNode> cases = new ArrayList<>();
    for (JsonNode c : JSON.readTree(HISTOGRAMS.resolve("cases.json").toFile()).get("cases")) {
      if (c.hasNonNull("input") && c.has("result") && Files.exists(HISTOGRAMS.resolve(c.get("input").asText()))) {
        cases.add(c);
      }
    }
    ObjectNode log = JSON.createObjectNode().put("step", 1);
    ArrayNode items = log.putObject("data").putArray("hist");
    Map<String, byte[]> parts = new HashMap<>();
    for (int i = 0; i < cases.size(); i++) {
      JsonNode c = cases.get(i);
      items.addObject().put("_type", "histogram").put("sequence", "h" + i)
          .put("num_bins", c.get("numBins").asInt()).put("non_finite", c.get("policy").asText());
      parts.put("h" + i, Files.readAllBytes(HISTOGRAMS.resolve(c.get("input").asText())));
    }

    // When
    assertThat(post(run, log, parts).get("accepted").asInt()).isEqualTo(cases.size());

    // Then each row's metadata is numpy's histogram in the reference's stored form, byte for byte
    awaitRows(run, cases.size());
    for (int i = 0; i < cases.size(); i++) {
      Map<String, Object> row = row(run, "hist", 1, i);
      assertThat(row.get("media_type")).isEqualTo("histogram");
      assertThat(row.get("metadata_json")).as(cases.get(i).get("name").asText())
          .isEqualTo(cases.get(i).at("/result/json").asText());
    }
  }

  @Test
  void shouldStoreVideoAudioTableHtmlMoleculeAndImageOverlays() throws Exception {
    // Given one call with one item of each type
    String run = "types-" + UUID.randomUUID();
    String json = """
        {"step": 2, "data": {
          "clip": {"_type": "video", "frames": "frames", "fps": 5, "caption": "three frames"},
          "voice": {"_type": "audio", "samples": [0.0, 0.25, -0.5, 1.0], "sample_rate": 8000},
          "preds": {"_type": "table", "columns": ["id", "img"], "data": [[1, {"_type": "image", "array": "px"}], [2, null]]},
          "page": {"_type": "html", "html": "<p>hello</p>"},
          "mol": {"_type": "molecule", "smiles": "CCO"},
          "seg": {"_type": "image", "array": "px", "boxes": {"predictions": {"box_data": [
                   {"position": {"middle": [2, 2], "width": 2, "height": 2}, "domain": "pixel", "class_id": 3,
                    "scores": {"conf": 0.8}}]}},
                  "masks": {"truth": {"mask_data": "mask", "class_labels": {"1": "road"}}}}
        }}""";
    byte[] frames = NpyWriter.write("uint8", new long[] {3, 3, 4, 6}, new byte[3 * 3 * 4 * 6]);
    byte[] pixels = NpyWriter.write("uint8", new long[] {4, 6, 3}, new byte[4 * 6 * 3]);
    byte[] mask = NpyWriter.write("uint8", new long[] {4, 6}, new byte[4 * 6]);

    // When
    assertThat(post(run, (ObjectNode) JSON.readTree(json), Map.of("frames", frames, "px", pixels, "mask", mask))
        .get("accepted").asInt()).isEqualTo(7);

    // Then every item is a row whose object is what it claims to be
    awaitRows(run, 7);
    Map<String, Object> video = row(run, "clip", 2, 0);
    assertThat(video.get("content_type")).isEqualTo("image/gif");
    assertThat(gifFrames(object((String) video.get("object_key")))).isEqualTo(3);
    assertThat(JSON.readTree((String) video.get("metadata_json")).get("caption").asText()).isEqualTo("three frames");
    byte[] wav = object((String) row(run, "voice", 2, 0).get("object_key"));
    assertThat(new String(wav, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
    JsonNode table = JSON.readTree(object((String) row(run, "preds", 2, 0).get("object_key")));
    assertThat(table.at("/data/0/1/_ref").asText()).endsWith("/preds.cells/2/1");
    assertThat(row(run, "preds.cells", 2, 1).get("media_type")).isEqualTo("image");
    assertThat(new String(object((String) row(run, "page", 2, 0).get("object_key")), StandardCharsets.UTF_8))
        .contains("<base target=\"_blank\">", "<p>hello</p>");
    assertThat(new String(object((String) row(run, "mol", 2, 0).get("object_key")), StandardCharsets.UTF_8))
        .contains("V2000");
    Map<String, Object> seg = row(run, "seg", 2, 0);
    JsonNode overlays = JSON.readTree((String) seg.get("metadata_json"));
    assertThat(overlays.at("/boxes/predictions/box_data/0/label").asText()).isEqualTo("class_3");
    assertThat(overlays.at("/boxes/predictions/box_data/0/position/minX").asDouble()).isEqualTo(1.0);
    assertThat(JSON.readTree((String) seg.get("object_keys")).has("mask-truth")).isTrue();
    assertThat(seg.get("classes_json").toString()).contains("road", "class_3");
  }

  @Test
  void shouldDeadLetterEachTypesBrokenItemWithItsReason() throws Exception {
    // Given a call where every item breaks one rule of its type
    String run = "broken-" + UUID.randomUUID();
    String json = """
        {"step": 3, "data": {"bad": [
          {"_type": "histogram", "sequence": [1, 2, 3], "num_bins": 513},
          {"_type": "histogram", "np_histogram": [[1, 2], [0, 1]]},
          {"_type": "video", "frames": "frames", "format": "mp4"},
          {"_type": "audio", "samples": [0.1, 0.2]},
          {"_type": "table", "columns": ["a", "b"], "data": [[1, 2], [3]]},
          {"_type": "molecule", "smiles": "C1CC(("},
          {"_type": "molecule", "file": "notes"},
          {"_type": "histogram", "sequence": [1, 2]}
        ]}}""";
    Map<String, byte[]> parts = Map.of(
        "frames", NpyWriter.write("uint8", new long[] {2, 3, 4, 4}, new byte[96]),
        "notes", "plain text".getBytes(StandardCharsets.UTF_8));

    // When
    assertThat(post(run, (ObjectNode) JSON.readTree(json), parts).get("accepted").asInt()).isEqualTo(8);

    // Then the one good item is stored and each broken one is a dead letter saying why
    awaitRows(run, 1);
    Map<Integer, Map<String, String>> letters = awaitDeadLetters(run, 7);
    assertThat(letters.get(0).get(DeadLetters.REASON)).contains("512");
    assertThat(letters.get(1).get(DeadLetters.REASON)).contains("edges");
    assertThat(letters.get(2).get(DeadLetters.REASON)).contains("gif");
    assertThat(letters.get(3).get(DeadLetters.REASON)).contains("sample_rate");
    assertThat(letters.get(4).get(DeadLetters.REASON)).contains("row 1");
    assertThat(letters.get(5).get(DeadLetters.REASON)).containsIgnoringCase("smiles");
    assertThat(letters.get(6).get(DeadLetters.REASON)).contains("notes");
  }

  static int gifFrames(byte[] gif) throws Exception {
    ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(gif))) {
      reader.setInput(in);
      return reader.getNumImages(true);
    }
  }
}
