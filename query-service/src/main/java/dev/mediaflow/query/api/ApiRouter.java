package dev.mediaflow.query.api;

import dev.mediaflow.query.auth.ReadAccess;
import dev.mediaflow.query.http.ApiException;
import dev.mediaflow.query.http.Exchange;
import dev.mediaflow.query.http.PathCodec;
import dev.mediaflow.query.media.PreviewCache;
import dev.mediaflow.query.store.MediaStore;
import dev.mediaflow.query.store.ObjectReader;
import java.io.IOException;
import java.util.List;

/**
 * Maps the segments below {@code /api/v1} to the resource answering them (docs/QUERY-API.md).
 * Reading endpoints take GET (and HEAD); {@code session} takes GET, POST and DELETE.
 */
public final class ApiRouter {
  private static final String NO_SUCH_ENDPOINT = "no such endpoint; see docs/QUERY-API.md (GET /api/v1/projects, ...)";

  private final RunsResource runs;
  private final ItemsResource items;
  private final ObjectsResource objects;
  private final PreviewResource previews;
  private final HistogramsResource histograms;
  private final SceneResource scenes;
  private final SessionResource session;

  public ApiRouter(MediaStore store, ObjectReader reader, ReadAccess access, PreviewCache cache) {
    this.runs = new RunsResource(store, access);
    this.items = new ItemsResource(store, access);
    this.objects = new ObjectsResource(store, reader, access);
    this.previews = new PreviewResource(store, reader, access, cache);
    this.histograms = new HistogramsResource(store, access);
    this.scenes = new SceneResource(store, reader, access);
    this.session = new SessionResource(access);
  }

  /** Answers the exchange, or throws the {@link ApiException} to answer with. */
  public void route(Exchange ex) throws IOException {
    List<String> s = ex.segments();
    if (s.size() == 1 && s.get(0).equals("session")) {
      session.handle(ex);
      return;
    }
    if (s.isEmpty() || !s.get(0).equals("projects")) {
      throw ApiException.notFound(NO_SUCH_ENDPOINT);
    }
    if (!ex.method().equals("GET") && !ex.method().equals("HEAD")) {
      throw new ApiException(405, "method_not_allowed", "the query API only reads: use GET");
    }
    switch (s.size()) {
      case 1 -> runs.projects(ex);
      case 3 -> runs.runs(ex, expect(s, 2, "runs", Names.project(s.get(1))));
      case 4 -> runs.run(ex, names(s, false));
      case 5 -> runs.keys(ex, expect(s, 4, "keys", names(s, false)));
      case 7 -> key(ex, s, s.get(6));
      case 11 -> item(ex, s, s.get(10), null);
      case 12 -> item(ex, s, s.get(10), s.get(11));
      default -> throw ApiException.notFound(NO_SUCH_ENDPOINT);
    }
  }

  private void key(Exchange ex, List<String> s, String what) {
    Names names = names(s, true);
    switch (what) {
      case "steps" -> runs.steps(ex, names);
      case "items" -> items.items(ex, names);
      case "histograms" -> histograms.histograms(ex, names);
      default -> throw ApiException.notFound(NO_SUCH_ENDPOINT);
    }
  }

  /** {@code .../keys/{key}/steps/{step}/items/{index}/{what}[/{name}]}. */
  private void item(Exchange ex, List<String> s, String what, String name) throws IOException {
    expect(s, 6, "steps", null);
    expect(s, 8, "items", null);
    Names names = names(s, true);
    long step = Names.step(s.get(7));
    int index = Names.index(s.get(9));
    if (name != null) {
      expect(s, 10, "objects", null);
      objects.object(ex, names, step, index, PathCodec.decode("object name", name));
      return;
    }
    switch (what) {
      case "preview" -> previews.preview(ex, names, step, index);
      case "pointcloud.ply" -> objects.ply(ex, names, step, index);
      case "scene" -> scenes.scene(ex, names, step, index);
      default -> throw ApiException.notFound(NO_SUCH_ENDPOINT);
    }
  }

  /** {@code projects/{p}/runs/{r}[/keys/{k}]}. */
  private static Names names(List<String> s, boolean withKey) {
    expect(s, 2, "runs", null);
    if (withKey) {
      expect(s, 4, "keys", null);
    }
    return Names.of(s.get(1), s.get(3), withKey ? s.get(5) : null);
  }

  private static <T> T expect(List<String> s, int at, String literal, T value) {
    if (!s.get(at).equals(literal)) {
      throw ApiException.notFound(NO_SUCH_ENDPOINT);
    }
    return value;
  }
}
