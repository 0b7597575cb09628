package dev.mediaflow.query.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mediaflow.query.auth.ReadAccess;
import dev.mediaflow.query.http.ApiException;
import dev.mediaflow.query.http.Exchange;
import dev.mediaflow.query.store.KeySummary;
import dev.mediaflow.query.store.MediaStore;
import dev.mediaflow.query.store.RunSummary;
import java.util.List;
import java.util.Map;

/** Projects, runs, a run with its summary media, the keys of a run and the steps of a key. */
final class RunsResource {
  private final MediaStore store;
  private final ReadAccess access;

  RunsResource(MediaStore store, ReadAccess access) {
    this.store = store;
    this.access = access;
  }

  void projects(Exchange ex) {
    access.requireValidKey(ex);
    ArrayNode projects = Exchange.JSON.createArrayNode();
    for (Map<String, Object> project : store.projects()) {
      if (access.mayRead(ex, (String) project.get("project"))) {
        projects.add(Exchange.JSON.valueToTree(project));
      }
    }
    ObjectNode body = Exchange.JSON.createObjectNode();
    body.set("projects", projects);
    ex.json(200, body);
  }

  void runs(Exchange ex, String project) {
    access.require(ex, project);
    List<RunSummary> runs = store.runs(project);
    if (runs.isEmpty()) {
      throw ApiException.notFound("no project \"" + project + "\"");
    }
    ObjectNode body = Exchange.JSON.createObjectNode().put("project", project);
    ArrayNode list = body.putArray("runs");
    runs.forEach(run -> list.add(run(run)));
    ex.json(200, body);
  }

  void run(Exchange ex, Names names) {
    access.require(ex, names.project());
    RunSummary run = store.run(names.project(), names.run()).orElseThrow(() -> notFound(names));
    ObjectNode body = Exchange.JSON.createObjectNode();
    body.set("run", run(run));
    ArrayNode summary = body.putArray("summary_items");
    store.summaryItems(names.project(), names.run()).forEach(item -> summary.add(ItemJson.of(item)));
    ex.json(200, body);
  }

  void keys(Exchange ex, Names names) {
    access.require(ex, names.project());
    if (!store.runExists(names.project(), names.run())) {
      throw notFound(names);
    }
    ObjectNode body = Exchange.JSON.createObjectNode().put("project", names.project()).put("run", names.run());
    ArrayNode keys = body.putArray("keys");
    for (KeySummary key : store.keys(names.project(), names.run())) {
      keys.addObject().put("key", key.key()).put("media_type", key.mediaType()).put("items", key.items())
          .put("first_step", key.firstStep()).put("last_step", key.lastStep()).put("steps", key.steps())
          .put("max_index", key.maxIndex());
    }
    ex.json(200, body);
  }

  void steps(Exchange ex, Names names) {
    access.require(ex, names.project());
    List<Long> steps = store.steps(names.project(), names.run(), names.key());
    if (steps.isEmpty()) {
      requireKey(store, names);
    }
    ObjectNode body = Exchange.JSON.createObjectNode().put("key", names.key());
    ArrayNode list = body.putArray("steps");
    steps.forEach(list::add);
    ex.json(200, body);
  }

  /** @throws ApiException 404 naming the run or the key, whichever is unknown */
  static void requireKey(MediaStore store, Names names) {
    if (!store.keyExists(names.project(), names.run(), names.key())) {
      throw store.runExists(names.project(), names.run()) ? ApiException.notFound("no " + names.describeKey())
          : notFound(names);
    }
  }

  /** 404 for an unknown run, saying whether its project is unknown too. */
  static ApiException notFound(Names names) {
    return ApiException.notFound("no " + names.describeRun());
  }

  private static ObjectNode run(RunSummary run) {
    ObjectNode node = Exchange.JSON.createObjectNode().put("run", run.run()).put("items", run.items())
        .put("summary_items", run.summaryItems()).put("keys", run.keys()).put("first_step", run.firstStep())
        .put("last_step", run.lastStep()).put("first_logged_at", run.firstLoggedAt())
        .put("last_logged_at", run.lastLoggedAt());
    node.set("counts", Exchange.JSON.valueToTree(run.counts()));
    return node;
  }
}
