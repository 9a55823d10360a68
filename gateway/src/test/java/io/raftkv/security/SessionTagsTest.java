package io.raftkv.security;

import static io.raftkv.security.Refusals.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tags that bind an API session to the token that opened it. */
class SessionTagsTest {
  @TempDir Path dir;

  private static byte[] key() {
    byte[] key = new byte[SessionTags.KEY_BYTES];
    for (int i = 0; i < key.length; i++) key[i] = (byte) i;
    return key;
  }

  @Test
  void aTagIsTheFirst16BytesOfTheHmacOfTheIdAndTheNameInBase64Url() {
    // HMAC-SHA256(key 00 01 .. 1f, 00 00 00 00 00 00 00 07 'writer'), as Python's hmac module computes it.
    assertEquals("1zGusdjOrgemrVRiBn3yFg", new SessionTags(key()).tag(7, "writer"));
  }

  @Test
  void aTagMatchesOnlyItsSessionItsIdentityAndItsKey() {
    SessionTags tags = new SessionTags(key());
    String tag = tags.tag(7, "writer");
    assertTrue(tags.matches(7, "writer", tag));
    assertFalse(tags.matches(8, "writer", tag));
    assertFalse(tags.matches(7, "admin", tag));
    assertFalse(tags.matches(7, "writer", tag.substring(1)));
    assertFalse(tags.matches(7, "writer", null));
    assertFalse(new SessionTags(SessionTags.newKey()).matches(7, "writer", tag));
    assertNotEquals(tags.tag(7, "writer"), tags.tag(7, "writer2"));
  }

  @Test
  void aKeyFileMustHoldExactly32Bytes() throws Exception {
    Path file = dir.resolve("session.key");
    assertRefused(file + ": no such session key file", () -> SessionTags.load(file));
    Files.write(file, new byte[31]);
    assertRefused(file + ": holds 31 bytes", () -> SessionTags.load(file));
    Files.write(file, key());
    assertEquals("1zGusdjOrgemrVRiBn3yFg", SessionTags.load(file).tag(7, "writer"));
  }
}
