package dev.mediaflow.ingest.auth;

import dev.mediaflow.metadata.ApiKey;
import dev.mediaflow.metadata.ApiKeyScope;
import dev.mediaflow.metadata.ApiKeyToken;
import dev.mediaflow.metadata.StoredApiKey;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Per-project API keys for the log endpoint: {@code Authorization: Bearer mf_<id>_<secret>}.
 *
 * <ul>
 *   <li>401: no header, not {@code Bearer}, not a key's format, an unknown id or a wrong secret
 *       (one message for both, so the answer does not tell which), a revoked key;
 *   <li>403: a valid key of another project, or of scope {@code read} (logging writes);
 *   <li>503: the key store cannot be read (fail closed: no key is trusted unchecked).
 * </ul>
 *
 * <p>What the store holds for an id (hash, project, scope, revocation; also "no such id") is
 * cached for {@code cacheTtl} (2 s by default), so a busy gateway reads the store at most once per
 * key per period, and a revocation takes effect within that period. The secret's hash is
 * compared on every call, in constant time; an unknown id is compared against a dummy hash too.
 * The cache holds at most {@value #MAX_CACHED} ids (least recently used dropped), so a flood of
 * made-up ids cannot fill the heap. Nothing here logs a key.
 */
public final class ApiKeyAuthenticator implements Authenticator {
  /** How long what the store said about a key id is trusted. */
  public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(2);
  static final int MAX_CACHED = 10_000;
  private static final String BEARER = "bearer ";
  /** Compared against when the id is unknown, so both paths hash and compare. */
  private static final byte[] NO_HASH = new byte[32];

  private final Function<String, Optional<StoredApiKey>> lookup;
  /** What the caller wants to do: logging needs a write key, reading (the query API) either scope. */
  private final Access access;
  private final long ttlNanos;
  private final LongSupplier nanoClock;
  private final Map<String, Cached> cache = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
      return size() > MAX_CACHED;
    }
  };

  /**
   * @param lookup the stored key of an id (e.g. {@code ApiKeyStore::find}); may throw when the
   *     store is unreachable
   * @param cacheTtl how long a lookup's answer is reused; a revocation is seen within it
   * @param nanoClock {@link System#nanoTime}, or a test's clock
   */
  public ApiKeyAuthenticator(Function<String, Optional<StoredApiKey>> lookup, Duration cacheTtl,
      LongSupplier nanoClock) {
    this(lookup, cacheTtl, nanoClock, Access.WRITE);
  }

  /**
   * As {@link #ApiKeyAuthenticator(Function, Duration, LongSupplier)} for {@code access}: the
   * query API asks with {@link Access#READ}, which keys of either scope pass.
   */
  public ApiKeyAuthenticator(Function<String, Optional<StoredApiKey>> lookup, Duration cacheTtl,
      LongSupplier nanoClock, Access access) {
    this.access = access;
    this.lookup = lookup;
    this.ttlNanos = cacheTtl.toNanos();
    this.nanoClock = nanoClock;
  }

  public ApiKeyAuthenticator(Function<String, Optional<StoredApiKey>> lookup, Duration cacheTtl) {
    this(lookup, cacheTtl, System::nanoTime);
  }

  /** What a call does with a project, and so which key scopes may make it. */
  public enum Access {
    /** Logging: only {@code write} keys. */
    WRITE("write to", "logging needs a write key"),
    /** Reading (the query API): {@code read} and {@code write} keys. */
    READ("read", "reading needs a read or write key");

    private final String verb;
    private final String needs;

    Access(String verb, String needs) {
      this.verb = verb;
      this.needs = needs;
    }

    boolean allows(ApiKeyScope scope) {
      return this == READ || scope == ApiKeyScope.WRITE;
    }
  }

  /** Authorizes a call to {@code project}: a log call (a write) unless built for {@link Access#READ}. */
  @Override
  public AuthResult authorize(String authorizationHeader, String project) {
    if (authorizationHeader == null || authorizationHeader.isBlank()) {
      return unauthorized("missing API key: send the header Authorization: Bearer <key>"
          + " (create a key with ops-cli keys create)");
    }
    if (!authorizationHeader.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
      return unauthorized("the Authorization header must be Bearer <key>");
    }
    Optional<ApiKeyToken> token = ApiKeyToken.parse(authorizationHeader.substring(BEARER.length()).trim());
    if (token.isEmpty()) {
      return unauthorized("malformed API key: expected mf_<id>_<secret> as printed by ops-cli keys create");
    }
    Optional<StoredApiKey> stored;
    try {
      stored = stored(token.get().id());
    } catch (RuntimeException e) {
      return new AuthResult(503, "cannot check the API key now (key store unavailable); retry later");
    }
    return decide(token.get(), stored, project);
  }

  private AuthResult decide(ApiKeyToken token, Optional<StoredApiKey> stored, String project) {
    if (!secretMatches(token, stored)) {
      return unauthorized("unknown API key " + token.id() + " (no key with this id and secret)");
    }
    ApiKey key = stored.get().key();
    if (key.isRevoked()) {
      return unauthorized("API key " + key.id() + " was revoked at " + key.revokedAt());
    }
    if (!key.coversProject(project)) {
      return new AuthResult(403, "API key " + key.id() + " may not " + access.verb + " project \"" + project
          + "\" (it is bound to project \"" + key.project() + "\")");
    }
    if (!access.allows(key.scope())) {
      return new AuthResult(403, "API key " + key.id() + " has scope " + key.scope() + "; " + access.needs);
    }
    return AuthResult.allowed();
  }

  /** Hashes and compares whether or not the id exists, so an unknown id costs what a known one does. */
  static boolean secretMatches(ApiKeyToken token, Optional<StoredApiKey> stored) {
    if (stored.isEmpty()) {
      token.matches(NO_HASH); // the same work as for a known id; never a match
      return false;
    }
    return stored.get().matches(token);
  }

  private Optional<StoredApiKey> stored(String id) {
    long now = nanoClock.getAsLong();
    synchronized (cache) {
      Cached cached = cache.get(id);
      if (cached != null && now - cached.loadedAt < ttlNanos) {
        return cached.key;
      }
    }
    // outside the lock: a slow store must not hold up calls whose keys are cached
    Optional<StoredApiKey> loaded = lookup.apply(id);
    synchronized (cache) {
      cache.put(id, new Cached(loaded, now));
    }
    return loaded;
  }

  /** Number of ids whose store answer is cached (for tests). */
  int cachedIds() {
    synchronized (cache) {
      return cache.size();
    }
  }

  private static AuthResult unauthorized(String message) {
    return new AuthResult(401, message);
  }

  private record Cached(Optional<StoredApiKey> key, long loadedAt) {}
}
