package io.raftkv.persistence.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Limits: nonsense bounds refused by name; oversize commands refused before the log. */
class KvLimitsTest {

  private static final RequestId ID = RequestId.UNTRACKED;
  private final KvLimits limits = new KvLimits(8, 16, 10);

  @Test
  void nonsenseBoundsAreRefusedNamingTheSetting() {
    assertRefused("keyBytesMax", () -> new KvLimits(0, 16, 10));
    assertRefused("valueBytesMax", () -> new KvLimits(8, -1, 10));
    assertRefused("scanEntriesMax", () -> new KvLimits(8, 16, 0));
    assertRefused("valueBytesMax", () -> new KvLimits(8, Integer.MAX_VALUE, 10));
  }

  @Test
  void commandsWithinLimitsPass() {
    assertEquals(
        Optional.empty(), limits.validate(new KvCommand.Put(ID, "12345678", new byte[16])));
    assertEquals(Optional.empty(), limits.validate(new KvCommand.Scan("", 10)));
    assertEquals(Optional.empty(), limits.validate(new KvCommand.RegisterSession()));
  }

  @Test
  void oversizeKeyIsRefusedWithItsUtf8Size() {
    // 5 chars, but "é" takes 2 bytes: 10 bytes of UTF-8.
    KvResult.LimitExceeded refused = limits.validate(new KvCommand.Get("ééééé")).orElseThrow();
    assertEquals(new KvResult.LimitExceeded("keyBytesMax", 10, 8), refused);
    assertEquals("key is 10 bytes, over keyBytesMax = 8", refused.message());
    assertEquals(
        Optional.of(new KvResult.LimitExceeded("keyBytesMax", 9, 8)),
        limits.validate(new KvCommand.Delete(ID, "123456789")));
  }

  @Test
  void oversizeValueIsRefusedForEveryWrite() {
    KvResult.LimitExceeded expected = new KvResult.LimitExceeded("valueBytesMax", 17, 16);
    assertEquals(Optional.of(expected), limits.validate(new KvCommand.Put(ID, "k", new byte[17])));
    assertEquals(
        Optional.of(expected), limits.validate(new KvCommand.Append(ID, "k", new byte[17])));
    assertEquals(
        Optional.of(expected),
        limits.validate(new KvCommand.CompareAndSet(ID, "k", null, new byte[17])));
    assertEquals(
        Optional.of(expected),
        limits.validate(new KvCommand.CompareAndSet(ID, "k", new byte[17], new byte[] {1})));
    assertEquals("value is 17 bytes, over valueBytesMax = 16", expected.message());
  }

  @Test
  void scanLimitAndPrefixAreBounded() {
    KvResult.LimitExceeded refused = limits.validate(new KvCommand.Scan("p", 11)).orElseThrow();
    assertEquals(new KvResult.LimitExceeded("scanEntriesMax", 11, 10), refused);
    assertEquals("scan limit is 11 entries, over scanEntriesMax = 10", refused.message());
    assertEquals(
        "keyBytesMax", limits.validate(new KvCommand.Scan("123456789", 1)).orElseThrow().limit());
  }

  private static void assertRefused(String setting, Runnable construction) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construction::run);
    assertTrue(e.getMessage().startsWith(setting + " must be"), e.getMessage());
  }
}
