package io.raftkv.security;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Binds a client session of the HTTP API to the identity that opened it. When authentication is on,
 * {@code POST /v1/session} answers with the session's id and its tag: the first 16 bytes of
 * HMAC-SHA256(session key, the id as 8 bytes big-endian, then the token's name in UTF-8), in
 * base64url without padding. A write naming the session ({@code Raftkv-Client-Id}) must carry the
 * tag ({@code Raftkv-Session-Tag}) for the identity making it, so a session is of no use to another
 * token, and its id, a small counter, is in effect unguessable.
 *
 * <p>The key is {@value #KEY_BYTES} random bytes in {@code session.key} of the TLS material
 * ({@link TlsFiles#sessionKey()}), written by {@code raftkv certs init} and the same on every node, so
 * that any node checks a tag another node issued. Nothing is stored per session.
 */
public final class SessionTags {
  public static final int KEY_BYTES = 32;
  static final int TAG_BYTES = 16;
  private static final String MAC = "HmacSHA256";

  private final SecretKeySpec key;

  public SessionTags(byte[] key) {
    if (key.length != KEY_BYTES) throw new IllegalArgumentException("a session key is " + KEY_BYTES + " bytes, not " + key.length);
    this.key = new SecretKeySpec(key.clone(), MAC);
  }

  /** A new key: {@value #KEY_BYTES} bytes of {@link java.security.SecureRandom}. */
  public static byte[] newKey() {
    byte[] key = new byte[KEY_BYTES];
    Keys.RANDOM.nextBytes(key);
    return key;
  }

  /** The tags of the key in {@code file}; a refusal names the file and what is wrong with it. */
  public static SessionTags load(Path file) {
    if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + ": no such session key file");
    byte[] key;
    try {
      key = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot be read: " + e, e);
    }
    try {
      if (key.length != KEY_BYTES) {
        throw new IllegalArgumentException(file + ": holds " + key.length + " bytes; a session key is " + KEY_BYTES + " random bytes");
      }
      return new SessionTags(key);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** The tag of session {@code clientId} opened by {@code identity} (a token's name). */
  public String tag(long clientId, String identity) {
    byte[] mac;
    try {
      Mac hmac = Mac.getInstance(MAC);
      hmac.init(key);
      hmac.update(ByteBuffer.allocate(Long.BYTES).putLong(clientId).array());
      mac = hmac.doFinal(identity.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has " + MAC, e);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(mac, TAG_BYTES));
  }

  /** Whether {@code presented} is the tag of session {@code clientId} for {@code identity}; in time independent of where they differ. */
  public boolean matches(long clientId, String identity, String presented) {
    if (presented == null) return false;
    return MessageDigest.isEqual(tag(clientId, identity).getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.UTF_8));
  }
}
