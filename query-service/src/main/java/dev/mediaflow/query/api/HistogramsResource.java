package dev.mediaflow.query.api;

import dev.mediaflow.query.auth.ReadAccess;
import dev.mediaflow.query.http.ApiException;
import dev.mediaflow.query.http.Exchange;
import dev.mediaflow.query.http.Params;
import dev.mediaflow.query.media.HistogramSeries;
import dev.mediaflow.query.store.HistogramBin;
import dev.mediaflow.query.store.MediaStore;
import dev.mediaflow.schemas.identity.ItemIdentity;
import java.util.List;

/** The histogram series of a key: every step's edges and counts, for a heat map over steps. */
final class HistogramsResource {
  private final MediaStore store;
  private final ReadAccess access;

  HistogramsResource(MediaStore store, ReadAccess access) {
    this.store = store;
    this.access = access;
  }

  void histograms(Exchange ex, Names names) {
    access.require(ex, names.project());
    long from = Params.longIn("from", ex.parameter("from"), ItemIdentity.SUMMARY_STEP, Long.MAX_VALUE, 0);
    long to = Params.longIn("to", ex.parameter("to"), ItemIdentity.SUMMARY_STEP, Long.MAX_VALUE, Long.MAX_VALUE);
    if (from > to) {
      throw ApiException.badRequest("from " + from + " is after to " + to);
    }
    List<HistogramBin> bins = store.histogramBins(names.project(), names.run(), names.key(), from, to);
    if (bins.isEmpty()) {
      RunsResource.requireKey(store, names);
    }
    ex.json(200, HistogramSeries.of(names.key(), bins));
  }
}
