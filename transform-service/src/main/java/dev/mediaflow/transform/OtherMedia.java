package dev.mediaflow.transform;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mediaflow.schemas.avro.AudioPayload;
import dev.mediaflow.schemas.avro.EncodedFile;
import dev.mediaflow.schemas.avro.HistogramPayload;
import dev.mediaflow.schemas.avro.HtmlPayload;
import dev.mediaflow.schemas.avro.MediaEvent;
import dev.mediaflow.schemas.avro.MediaObject;
import dev.mediaflow.schemas.avro.MoleculePayload;
import dev.mediaflow.schemas.avro.NdArray;
import dev.mediaflow.schemas.avro.ProcessedMedia;
import dev.mediaflow.schemas.avro.TablePayload;
import dev.mediaflow.schemas.avro.VideoPayload;
import dev.mediaflow.transform.audio.AudioEncoder;
import dev.mediaflow.transform.audio.AudioFiles;
import dev.mediaflow.transform.histogram.Histogram;
import dev.mediaflow.transform.histogram.NonFinitePolicy;
import dev.mediaflow.transform.histogram.NumpyHistogram;
import dev.mediaflow.transform.html.HtmlDocument;
import dev.mediaflow.transform.image.PixelArray;
import dev.mediaflow.transform.molecule.MoleculeFiles;
import dev.mediaflow.transform.molecule.SmilesConverter;
import dev.mediaflow.transform.table.TableBuilder;
import dev.mediaflow.transform.video.VideoEncoder;
import dev.mediaflow.transform.video.VideoFiles;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Adapts histogram, video, audio, table, html and molecule events to their kernels: one object each plus metadata. */
final class OtherMedia {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OtherMedia() {}

  /** The reference's stored form {_type, values, bins} is the row's metadata; there is no object to store. */
  static ProcessedMedia histogram(MediaEvent event, HistogramPayload h) {
    Histogram histogram;
    if (h.getValues() != null) {
      histogram = NumpyHistogram.compute(pixels(h.getValues()), h.getNumBins(), NonFinitePolicy.fromName(h.getNonFinite()));
    } else {
      double[] counts = h.getCounts().stream().mapToDouble(Double::doubleValue).toArray();
      double[] edges = h.getEdges().stream().mapToDouble(Double::doubleValue).toArray();
      // JSON carries no int/float distinction through Avro doubles: whole counts were counts of items
      boolean whole = java.util.Arrays.stream(counts).allMatch(c -> c == Math.rint(c) && Math.abs(c) < 1e15);
      histogram = whole
          ? Histogram.fromPrecomputed(java.util.Arrays.stream(counts).mapToLong(c -> (long) c).toArray(), edges)
          : Histogram.fromPrecomputed(counts, edges);
    }
    List<String> warnings = new ArrayList<>();
    if (histogram.droppedNonFinite() > 0) {
      warnings.add("dropped " + histogram.droppedNonFinite() + " non-finite values (NaN/inf) before binning");
    }
    return base(event, "histogram").setObjects(new ArrayList<>()).setWarnings(warnings)
        .setMetadataJson(histogram.toJson()).build();
  }

  static ProcessedMedia video(MediaEvent event, VideoPayload v) {
    var out = v.getFrames() != null
        ? VideoEncoder.fromFrames(pixels(v.getFrames()), v.getFps(), v.getFormat())
        : VideoFiles.inspect(v.getFile().getName(), bytes(v.getFile()));
    return single(event, "video", out.data(), out.extension(), out.contentType(), out.metadata(), out.warnings(),
        v.getCaption());
  }

  static ProcessedMedia audio(MediaEvent event, AudioPayload a) {
    var out = a.getSamples() != null
        ? AudioEncoder.fromSamples(pixels(a.getSamples()), a.getSampleRate())
        : AudioFiles.inspect(a.getFile().getName(), bytes(a.getFile()));
    return single(event, "audio", out.data(), out.extension(), out.contentType(), out.metadata(), out.warnings(),
        a.getCaption());
  }

  static ProcessedMedia table(MediaEvent event, TablePayload t, int maxRows) {
    var out = TableBuilder.fromJson(t.getColumns(), t.getRowsJson(), maxRows);
    return single(event, "table", out.data(), out.extension(), out.contentType(), out.metadata(), out.warnings(), null);
  }

  static ProcessedMedia html(MediaEvent event, HtmlPayload h) {
    var out = h.getHtml() != null
        ? HtmlDocument.build(h.getHtml(), h.getInject())
        : HtmlDocument.fromFile(h.getFile().getName(), bytes(h.getFile()), h.getInject());
    return single(event, "html", out.data(), out.extension(), out.contentType(), out.metadata(), out.warnings(), null);
  }

  static ProcessedMedia molecule(MediaEvent event, MoleculePayload m) {
    var out = m.getSmiles() != null
        ? SmilesConverter.toMolFile(m.getSmiles())
        : MoleculeFiles.inspect(m.getFile().getName(), bytes(m.getFile()));
    return single(event, "molecule", out.data(), out.extension(), out.contentType(), out.metadata(), out.warnings(),
        m.getCaption());
  }

  /** A processed event with one main object (role = media type) and the kernel's metadata. */
  static ProcessedMedia single(MediaEvent event, String mediaType, byte[] data, String extension, String contentType,
      Map<String, Object> metadata, List<String> warnings, String caption) {
    Map<String, Object> meta = new LinkedHashMap<>(metadata);
    if (caption != null) {
      meta.put("caption", caption);
    }
    List<MediaObject> objects = new ArrayList<>();
    if (data != null) {
      objects.add(new MediaObject(mediaType, extension, contentType, ByteBuffer.wrap(data)));
    }
    return base(event, mediaType).setObjects(objects).setWarnings(new ArrayList<>(warnings))
        .setMetadataJson(json(meta)).build();
  }

  static ProcessedMedia.Builder base(MediaEvent event, String mediaType) {
    return ProcessedMedia.newBuilder()
        .setIdentity(event.getIdentity())
        .setTimestamp(event.getTimestamp())
        .setProducerId(event.getProducerId())
        .setMediaType(mediaType)
        .setWarnings(new ArrayList<>());
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("metadata must be JSON-serializable", e);
    }
  }

  static PixelArray pixels(NdArray array) {
    long[] shape = array.getShape().stream().mapToLong(Long::longValue).toArray();
    return new PixelArray(PixelArray.Dtype.fromNumpyName(array.getDtype()), shape, array.getData());
  }

  static byte[] bytes(EncodedFile file) {
    return EncodedMedia.bytesOf(file.getData());
  }
}
