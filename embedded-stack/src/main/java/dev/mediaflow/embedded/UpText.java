package dev.mediaflow.embedded;

import dev.mediaflow.infra.S3Server;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What {@code mediaflow up} prints once it serves: its endpoints and commands to try, copy-paste ready. */
final class UpText {
  /** The README's first example: one float image from a {@code .npy} part. */
  static final String PROJECT = "my-project";
  static final String RUN = "run-1";

  private UpText() {}

  /** Name → value of every endpoint, in the order a user needs them. */
  static Map<String, String> endpoints(String gateway, String registry, String bootstrap, String s3, Path db, Path ops) {
    Map<String, String> lines = new LinkedHashMap<>();
    lines.put("gateway:", gateway + "  (POST /v1/projects/{project}/runs/{run}/log)");
    lines.put("health:", gateway + "/health/ready");
    lines.put("metrics:", gateway + "/metrics");
    lines.put("schema registry:", registry);
    lines.put("Kafka bootstrap:", bootstrap);
    lines.put("S3 endpoint:", s3 + "  bucket " + EmbeddedStack.BUCKET + " (access key " + S3Server.ACCESS_KEY
        + ", secret " + S3Server.SECRET_KEY + ", path-style)");
    lines.put("SQLite:", db.toString());
    lines.put("ops settings:", ops + "  (bin/mediaflow ops deadletters list)");
    return lines;
  }

  /** Shell lines: make an array, log it with curl (with the key, or {@code $MEDIAFLOW_API_KEY}), query the row. */
  static List<String> tryIt(String gateway, Path db, Optional<String> key) {
    // auth is on: the key itself on the first start, else the variable the user keeps it in
    String auth = key.map(k -> "-H 'Authorization: Bearer " + k + "' ")
        .orElse("-H \"Authorization: Bearer $MEDIAFLOW_API_KEY\" ");
    return List.of(
        "python3 -c \"import numpy as np; np.save('a0.npy', np.random.rand(64, 64, 3).astype('float32'))\"",
        "curl -s " + auth + "-F 'log={\"step\": 3, \"data\": {\"examples\": [{\"_type\": \"image\", \"array\": \"a0\","
            + " \"caption\": \"a sample\"}]}};type=application/json' -F a0=@a0.npy \\",
        "     " + gateway + "/v1/projects/" + PROJECT + "/runs/" + RUN + "/log",
        "# {\"accepted\":1,\"rejected\":[]}",
        "sqlite3 " + db + " \\",
        "  \"SELECT project, run, log_key, step, item_index, width, height, mode, object_key FROM media_item"
            + " ORDER BY stored_at DESC LIMIT 10\"");
  }
}
