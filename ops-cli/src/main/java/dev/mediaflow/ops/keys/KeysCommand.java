package dev.mediaflow.ops.keys;

import dev.mediaflow.metadata.ApiKey;
import dev.mediaflow.metadata.ApiKeyScope;
import dev.mediaflow.metadata.ApiKeyStore;
import dev.mediaflow.metadata.ApiKeyToken;
import dev.mediaflow.metadata.NewApiKey;
import dev.mediaflow.ops.Main;
import dev.mediaflow.schemas.identity.ItemIdentity;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code mediaflow-ops keys create|list|revoke}: the per-project API keys of the gateway, in the
 * metadata store named by {@code mediaflow.sink.jdbc.url} (user, password, schema alike).
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
    description = "Creates, lists and revokes the API keys the gateway asks for (Authorization: Bearer <key>).",
    subcommands = {KeysCommand.CreateCommand.class, KeysCommand.ListCommand.class, KeysCommand.RevokeCommand.class})
public final class KeysCommand implements Runnable {
  @ParentCommand
  Main main;

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "choose create, list or revoke");
  }

  ApiKeyStore store() {
    return new ApiKeyStore(main.settings().metadataDatabase(), Clock.systemUTC());
  }

  /** Creates a key and prints it, once. */
  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Creates a key for one project (or * for every project) and prints it; it is not shown again.")
  static final class CreateCommand implements Callable<Integer> {
    @ParentCommand
    KeysCommand parent;

    @Option(names = "--project", required = true, paramLabel = "P|*",
        description = "The project the key may write to, or * for every project.")
    String project;

    @Option(names = "--scope", required = true, paramLabel = "write|read",
        description = "write: log calls; read: reading endpoints only.")
    String scope;

    @Option(names = "--label", paramLabel = "L", description = "A note on who or what holds the key.")
    String label;

    @Override
    public Integer call() {
      ApiKeyScope parsedScope = ApiKeyScope.parse(scope);
      if (!project.equals(ApiKey.ANY_PROJECT)) {
        ItemIdentity.validateProject(project).ifPresent(problem -> {
          throw new IllegalArgumentException("--project: " + problem);
        });
      }
      NewApiKey created;
      try (ApiKeyStore store = parent.store()) {
        created = store.create(project, parsedScope, label);
      }
      PrintWriter out = parent.main.out();
      ApiKey key = created.key();
      out.printf("created API key %s: project %s, scope %s%s%n", key.id(), key.project(), key.scope(),
          key.label() == null ? "" : ", label " + key.label());
      out.println(created.plaintext());
      out.println("This key will not be shown again (only its hash is stored): keep it now."
          + " Send it as the header Authorization: Bearer <key>.");
      out.flush();
      return 0;
    }
  }

  /** Prints every key without its secret. */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Prints one tab-separated line per key: id, project, scope, label, created, revoked (never the key).")
  static final class ListCommand implements Callable<Integer> {
    @ParentCommand
    KeysCommand parent;

    @Override
    public Integer call() {
      List<ApiKey> keys;
      try (ApiKeyStore store = parent.store()) {
        keys = store.list();
      }
      PrintWriter out = parent.main.out();
      out.println("id\tproject\tscope\tlabel\tcreated\trevoked");
      for (ApiKey key : keys) {
        out.println(String.join("\t", key.id(), key.project(), key.scope().sqlName(),
            key.label() == null ? "-" : key.label(), key.createdAt().toString(),
            key.revokedAt() == null ? "-" : key.revokedAt().toString()));
      }
      out.printf("%d keys (%d revoked)%n", keys.size(), keys.stream().filter(ApiKey::isRevoked).count());
      out.flush();
      return 0;
    }
  }

  /** Revokes a key by its id. */
  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = "Revokes a key; the gateway refuses it within its cache time (mediaflow.ingest.auth.cache.ms, 2 s).")
  static final class RevokeCommand implements Callable<Integer> {
    @ParentCommand
    KeysCommand parent;

    @Parameters(paramLabel = "ID", description = "The key's id, as keys list shows it.")
    String id;

    @Override
    public Integer call() {
      String keyId = ApiKeyToken.parse(id).map(ApiKeyToken::id).orElse(id);
      Optional<ApiKey> revoked;
      try (ApiKeyStore store = parent.store()) {
        revoked = store.revoke(keyId);
      }
      ApiKey key = revoked.orElseThrow(() -> new IllegalStateException("no API key with id " + keyId));
      PrintWriter out = parent.main.out();
      out.printf("API key %s (project %s, scope %s) revoked at %s; the gateway refuses it within its cache time%n",
          key.id(), key.project(), key.scope(), key.revokedAt());
      out.flush();
      return 0;
    }
  }
}
