package dev.mediaflow.ops.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mediaflow.metadata.ApiKeyStore;
import dev.mediaflow.metadata.ApiKeyToken;
import dev.mediaflow.metadata.MetadataDatabase;
import dev.mediaflow.metadata.StoredApiKey;
import dev.mediaflow.ops.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code mediaflow-ops keys …} against a real SQL store; subclasses supply the database. */
abstract class KeysCommandContract {

  /** The command's exit code and what it printed. */
  record Result(int code, String out, String err) {}

  /** Prepares a fresh database (or schema) and returns the environment naming it. */
  protected abstract Map<String, String> freshDatabase() throws Exception;

  /** The database of the current test, as the gateway would open it. */
  protected abstract MetadataDatabase database();

  private Map<String, String> env;

  @BeforeEach
  void prepare() throws Exception {
    env = freshDatabase();
  }

  Result ops(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void shouldPrintANewKeyOnceAndStoreOnlyItsHash() {
    // When
    Result created = ops("keys", "create", "--project", "vision", "--scope", "write", "--label", "cluster A");

    // Then the key is printed on a line of its own, with the warning, and is valid in the store
    assertThat(created.code()).as(created.err()).isZero();
    String key = keyIn(created.out());
    assertThat(created.out()).contains("will not be shown again", "Authorization: Bearer", "project vision",
        "scope write", "label cluster A");
    ApiKeyToken token = ApiKeyToken.parse(key).orElseThrow();
    try (ApiKeyStore store = new ApiKeyStore(database(), Clock.systemUTC())) {
      StoredApiKey stored = store.find(token.id()).orElseThrow();
      assertThat(stored.matches(token)).isTrue();
      assertThat(stored.key().project()).isEqualTo("vision");
    }
  }

  @Test
  void shouldListKeysWithoutTheirSecretsOrHashes() {
    // Given
    String first = keyIn(ops("keys", "create", "--project", "vision", "--scope", "write").out());
    String second = keyIn(ops("keys", "create", "--project", "*", "--scope", "read", "--label", "dashboards").out());

    // When
    Result list = ops("keys", "list");

    // Then
    assertThat(list.code()).as(list.err()).isZero();
    List<String> lines = list.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("id\tproject\tscope\tlabel\tcreated\trevoked");
    assertThat(lines.get(1)).startsWith(idOf(first) + "\tvision\twrite\t-\t").endsWith("\t-");
    assertThat(lines.get(2)).startsWith(idOf(second) + "\t*\tread\tdashboards\t");
    assertThat(lines).last().isEqualTo("2 keys (0 revoked)");
    for (String key : List.of(first, second)) {
      String hash = java.util.HexFormat.of().formatHex(ApiKeyToken.parse(key).orElseThrow().secretHash());
      assertThat(list.out()).doesNotContain(key.substring(20)).doesNotContain(hash);
    }
  }

  @Test
  void shouldRevokeAKeySoTheStoreReportsItRevoked() {
    // Given
    String key = keyIn(ops("keys", "create", "--project", "vision", "--scope", "write").out());

    // When
    Result revoke = ops("keys", "revoke", idOf(key));
    Result list = ops("keys", "list");

    // Then
    assertThat(revoke.code()).as(revoke.err()).isZero();
    assertThat(revoke.out()).contains("API key " + idOf(key) + " (project vision, scope write) revoked at");
    assertThat(list.out()).contains("1 keys (1 revoked)");
    try (ApiKeyStore store = new ApiKeyStore(database(), Clock.systemUTC())) {
      assertThat(store.find(idOf(key)).orElseThrow().key().isRevoked()).isTrue();
    }
  }

  @Test
  void shouldFailClearlyOnAnUnknownIdABadScopeOrABadProject() {
    // When
    Result unknown = ops("keys", "revoke", "0000000000000000");
    Result badScope = ops("keys", "create", "--project", "vision", "--scope", "admin");
    Result badProject = ops("keys", "create", "--project", "", "--scope", "write");
    Result noProject = ops("keys", "create", "--scope", "write");

    // Then
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("no API key with id 0000000000000000");
    assertThat(badScope.code()).isEqualTo(2);
    assertThat(badScope.err()).contains("scope must be write or read");
    assertThat(badProject.code()).isEqualTo(2);
    assertThat(badProject.err()).contains("--project");
    assertThat(noProject.code()).isEqualTo(2);
    assertThat(ops("keys", "list").out()).contains("0 keys (0 revoked)");
  }

  static String keyIn(String out) {
    List<String> keys = new ArrayList<>(out.lines().filter(l -> ApiKeyToken.parse(l).isPresent()).toList());
    assertThat(keys).as(out).hasSize(1);
    return keys.get(0);
  }

  static String idOf(String key) {
    return ApiKeyToken.parse(key).orElseThrow().id();
  }
}
