package dev.mediaflow.metadata;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An API key as a client holds it: {@code mf_<id>_<secret>}, where {@code id} (16 lowercase hex
 * digits) names the row to look up and {@code secret} is 256 random bits from
 * {@link SecureRandom}, URL-safe base64 without padding (43 characters). Only
 * {@link #secretHash()} is stored.
 *
 * <p>The hash is a plain SHA-256 of the secret, not bcrypt/scrypt/argon2: those slow hashes exist
 * to make guessing low-entropy passwords expensive, but a 256-bit random secret cannot be guessed
 * whatever the hash costs, and a fast hash keeps checking a key on every log call cheap (a slow
 * one would make each call, or an attacker's flood of wrong keys, burn CPU on the gateway).
 *
 * <p>{@link #toString()} masks the secret, so a token that reaches a log shows its id only.
 */
public final class ApiKeyToken {
  /** The prefix of every key, so scanners (and people) recognise one. */
  public static final String PREFIX = "mf_";
  private static final int SECRET_BYTES = 32;
  private static final int ID_BYTES = 8;
  private static final Pattern FORMAT = Pattern.compile("mf_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");

  private final String id;
  private final String secret;

  private ApiKeyToken(String id, String secret) {
    this.id = id;
    this.secret = secret;
  }

  /** A new key: a random id and a random 256-bit secret. */
  public static ApiKeyToken generate(SecureRandom random) {
    byte[] id = new byte[ID_BYTES];
    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(id);
    random.nextBytes(secret);
    return new ApiKeyToken(HexFormat.of().formatHex(id), Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
  }

  /** The token in {@code text}, or empty when it does not have the key format. */
  public static Optional<ApiKeyToken> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = FORMAT.matcher(text);
    return m.matches() ? Optional.of(new ApiKeyToken(m.group(1), m.group(2))) : Optional.empty();
  }

  /** The key's id: not secret, shown by {@code keys list} and in error messages. */
  public String id() {
    return id;
  }

  /** The whole key, {@code mf_<id>_<secret>}: what the client sends. Never log it. */
  public String plaintext() {
    return PREFIX + id + "_" + secret;
  }

  /** SHA-256 of the secret's characters (UTF-8), as stored in {@code api_key.hash}. */
  public byte[] secretHash() {
    return sha256(secret);
  }

  /**
   * Whether this token's secret has the stored hash. The comparison takes the same time wherever
   * the hashes differ ({@link MessageDigest#isEqual}), so timing tells an attacker nothing.
   */
  public boolean matches(byte[] storedHash) {
    return MessageDigest.isEqual(secretHash(), storedHash);
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return PREFIX + id + "_****";
  }
}
