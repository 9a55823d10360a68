package io.raftkv.persistence.kv;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.raftkv.persistence.raftlog.LogEntry;
import io.raftkv.persistence.serialization.KryoClassesConfig;
import io.raftkv.persistence.serialization.KryoCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The sizes that bound messages between nodes are never below what Kryo writes: a command's
 * {@code sizeBytes()} (which slices AppendEntries), an entry's {@link LogEntry#sizeBytes()}, a
 * scan entry's {@link KvEntry#sizeBytes}, and the maxima {@link KvLimits} derives from its limits
 * (which size the transport's frame). And they are honest: for ASCII keys only a few dozen bytes
 * above it. Keys of every UTF-8 width (1-4 bytes a character) at the key limit, ids near
 * Long.MAX_VALUE (the longest variable-length numbers), values up to 64 KiB; seeded.
 */
class KvSerializedSizeTest {
  private static final KryoCodec CODEC =
      new KryoCodec(KryoClassesConfig.read(ConfigFactory.load()), KvSerializedSizeTest.class.getClassLoader());
  private static final long SEED = 20_260_311L;
  /** A key of 1 KiB (the shipped key-bytes-max) and values of at most 64 KiB. */
  private static final KvLimits LIMITS = new KvLimits(1024, 64 * 1024, 100, 256 * 1024);
  /** Characters of 1, 2, 3 and 4 UTF-8 bytes (the last a surrogate pair: 6 bytes in Kryo). */
  private static final String[] CHARS = {"a", "é", "中", "😀"};

  /** Bytes Kryo writes for {@code value} nested in a message: the codec's payload less its format byte. */
  private static long serialized(Object value) {
    return CODEC.toBytes(value).length - 1L;
  }

  /** A key of about {@code utf8Bytes} UTF-8 bytes made of {@code c} (at most that many). */
  private static String keyOf(String c, int utf8Bytes) {
    int each = c.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    return c.repeat(Math.max(1, utf8Bytes / each));
  }

  private static byte[] value(Random random, int bytes) {
    byte[] v = new byte[bytes];
    random.nextBytes(v);
    return v;
  }

  private static List<KvCommand> commands(Random random) {
    List<KvCommand> out = new ArrayList<>();
    RequestId[] ids = {RequestId.UNTRACKED, RequestId.of(1, 1), RequestId.of(Long.MAX_VALUE, Long.MAX_VALUE)};
    for (String c : CHARS) {
      for (int keyBytes : new int[] {1, 17, LIMITS.keyBytesMax()}) {
        String key = keyOf(c, keyBytes);
        for (RequestId id : ids) {
          byte[] v = value(random, random.nextInt(LIMITS.valueBytesMax() + 1));
          out.add(new KvCommand.Put(id, key, v));
          out.add(new KvCommand.Append(id, key, v));
          out.add(new KvCommand.Delete(id, key));
          out.add(new KvCommand.CompareAndSet(id, key, null, v));
          out.add(new KvCommand.CompareAndSet(id, key, value(random, LIMITS.valueBytesMax()), value(random, LIMITS.valueBytesMax())));
        }
        out.add(new KvCommand.Get(key));
        out.add(new KvCommand.Scan(key, Integer.MAX_VALUE));
        out.add(new KvCommand.ScanAfter(key, key, Integer.MAX_VALUE));
      }
    }
    out.add(new KvCommand.RegisterSession());
    out.add(new KvCommand.Scan("", 1));
    return out;
  }

  @Test
  void noCommandOrLogEntryTakesMoreBytesThanItsSizeSays() {
    Random random = new Random(SEED);
    for (KvCommand command : commands(random)) {
      long actual = serialized(command);
      assertTrue(actual <= command.sizeBytes(), "seed " + SEED + ": " + command + " takes " + actual + " bytes, sizeBytes() says " + command.sizeBytes());
      LogEntry entry = new LogEntry(Long.MAX_VALUE, Long.MAX_VALUE, command);
      long entryActual = serialized(entry);
      assertTrue(entryActual <= entry.sizeBytes(), "seed " + SEED + ": entry of " + command + " takes " + entryActual + " bytes, sizeBytes() says "
          + entry.sizeBytes());
      assertTrue(command.sizeBytes() <= LIMITS.commandBytesMax(), command + " is over commandBytesMax " + LIMITS.commandBytesMax());
    }
  }

  @Test
  void theSizesAreCloseForAsciiKeys() {
    Random random = new Random(SEED);
    byte[] v = value(random, 1000);
    for (KvCommand command : List.of(new KvCommand.Put(RequestId.of(7, 3), "user/42", v), new KvCommand.Delete(RequestId.of(7, 4), "user/42"),
        new KvCommand.CompareAndSet(RequestId.of(7, 5), "user/42", v, v))) {
      long slack = command.sizeBytes() - serialized(command);
      assertTrue(slack >= 0 && slack <= 48, command + ": sizeBytes() is " + slack + " bytes above what Kryo writes");
    }
  }

  @Test
  void theLargestCommandOfTheLimitsIsWithinCommandBytesMax() {
    Random random = new Random(SEED);
    // The worst key: supplementary characters fill key-bytes-max with 4-byte UTF-8, 6 bytes in Kryo.
    String key = keyOf("😀", LIMITS.keyBytesMax());
    KvCommand cas = new KvCommand.CompareAndSet(RequestId.of(Long.MAX_VALUE, Long.MAX_VALUE), key,
        value(random, LIMITS.valueBytesMax()), value(random, LIMITS.valueBytesMax()));
    assertTrue(LIMITS.validate(cas).isEmpty(), "the cas is within the limits");
    assertTrue(serialized(cas) <= LIMITS.commandBytesMax(), serialized(cas) + " > " + LIMITS.commandBytesMax());
    assertTrue(LIMITS.commandBytesMax() - serialized(cas) <= 64, "commandBytesMax is tight: " + LIMITS.commandBytesMax() + " for " + serialized(cas));
  }

  @Test
  void answersCarryingAValueAreWithinResultBytesMax() {
    Random random = new Random(SEED);
    byte[] v = value(random, LIMITS.valueBytesMax());
    for (KvResult result : List.of(new KvResult.Value(v, new KeyRevisions(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE)), new KvResult.CasMismatch(v), new KvResult.CasMismatch(null),
        new KvResult.StaleRequest(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE),
        new KvResult.LimitExceeded(KvLimits.SCAN_ENTRIES_MAX, Long.MAX_VALUE, Long.MAX_VALUE))) {
      assertTrue(serialized(result) <= LIMITS.resultBytesMax(), result + " takes " + serialized(result) + " > " + LIMITS.resultBytesMax());
    }
  }

  /** A scan of 40 entries of 1-64 KiB values (about 1.3 MiB) pages under a 256 KiB budget; no page is over scanResultBytesMax. */
  @Test
  void everyScanPageIsWithinScanResultBytesMax() {
    Random random = new Random(SEED);
    KvStateMachine machine = new KvStateMachine(LIMITS, KvTestSupport.ROOMY_SESSIONS);
    long index = 1;
    for (int i = 0; i < 40; i++) {
      String key = "k/" + CHARS[i % CHARS.length] + "/" + i;
      machine.apply(index++, new KvCommand.Put(RequestId.UNTRACKED, key, value(random, 1024 + random.nextInt(LIMITS.valueBytesMax() - 1023))));
    }
    // One value at the limit under the worst key: alone, it passes the budget only by its own size.
    machine.apply(index, new KvCommand.Put(RequestId.UNTRACKED, "k/" + keyOf("😀", LIMITS.keyBytesMax() - 8), value(random, LIMITS.valueBytesMax())));
    KvResult.ScanResult page = machine.scan("k/", LIMITS.scanEntriesMax());
    int pages = 1;
    while (true) {
      long bytes = serialized(page);
      assertTrue(bytes <= LIMITS.scanResultBytesMax(), "page " + pages + " takes " + bytes + " > " + LIMITS.scanResultBytesMax());
      if (!page.truncated()) break;
      page = machine.scan("k/", page.entries().get(page.entries().size() - 1).key(), LIMITS.scanEntriesMax());
      pages++;
    }
    assertTrue(pages >= 5, "1.3 MiB under a 256 KiB budget takes several pages, took " + pages);
  }
}
