package io.raftkv.persistence.kv;

import static io.raftkv.persistence.kv.KvTestSupport.ROOMY_SESSIONS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A scan's answer is bounded in bytes as well as entries ({@link KvLimits#scanBytesMax()}): it stops
 * before the entry that would pass the budget and says it was truncated, always holds its first entry
 * (so paging goes on even past a value larger than the budget), and the next page
 * ({@link KvCommand.ScanAfter}) starts right after the last key returned.
 */
class KvScanBytesTest {
  /** Values up to 256 KiB; scans of at most 1 MiB of entries. */
  private static final KvLimits LIMITS = new KvLimits(256, 256 * 1024, 1000, 1024 * 1024);
  private static final long SEED = 7_3311L;

  private final KvStateMachine machine = new KvStateMachine(LIMITS, ROOMY_SESSIONS);
  private long index = 1;

  private void put(String key, int valueBytes, Random random) {
    byte[] v = new byte[valueBytes];
    random.nextBytes(v);
    machine.apply(index++, new KvCommand.Put(RequestId.UNTRACKED, key, v));
  }

  private static long entryBytes(KvEntry e) {
    return KvEntry.sizeBytes(e.key(), e.value().length);
  }

  @Test
  void aScanStopsBeforeTheEntryThatWouldPassTheByteBudget() {
    Random random = new Random(SEED);
    for (int i = 0; i < 10; i++) put(String.format("v/%02d", i), 200 * 1024, random); // 2 MiB in all
    KvResult.ScanResult page = machine.scan("v/", 1000);
    assertTrue(page.truncated(), "2 MiB of entries do not fit 1 MiB");
    assertEquals(5, page.entries().size(), "5 entries of 200 KiB fit in 1 MiB, 6 do not");
    long bytes = page.entries().stream().mapToLong(KvScanBytesTest::entryBytes).sum();
    assertTrue(bytes <= LIMITS.scanBytesMax(), bytes + " bytes");
  }

  @Test
  void theFirstEntryIsReturnedEvenWhenItAlonePassesTheBudget() {
    KvLimits tight = new KvLimits(256, 256 * 1024, 1000, 1000);
    KvStateMachine small = new KvStateMachine(tight, ROOMY_SESSIONS);
    small.apply(1, new KvCommand.Put(RequestId.UNTRACKED, "a", new byte[100 * 1024]));
    small.apply(2, new KvCommand.Put(RequestId.UNTRACKED, "b", new byte[100 * 1024]));
    KvResult.ScanResult first = small.scan("", 10);
    assertEquals(List.of("a"), first.entries().stream().map(KvEntry::key).toList());
    assertTrue(first.truncated());
    KvResult.ScanResult second = small.scan("", "a", 10);
    assertEquals(List.of("b"), second.entries().stream().map(KvEntry::key).toList());
    assertFalse(second.truncated(), "nothing after b");
  }

  /** 120 keys of 1 byte to 256 KiB (about 15 MiB): paging by the last key returned reads every key once, in order. */
  @Test
  void pagingAfterTheLastKeyReadsEveryKeyOnceInOrder() {
    Random random = new Random(SEED);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      String key = "p/" + Integer.toString(random.nextInt(1_000_000), 36) + "/" + i;
      put(key, 1 + random.nextInt(LIMITS.valueBytesMax()), random);
      expected.add(key);
    }
    put("o/outside", 10, random);
    put("q/outside", 10, random);
    expected.sort(String::compareTo);
    List<String> seen = new ArrayList<>();
    KvResult.ScanResult page = (KvResult.ScanResult) machine.query(new KvCommand.Scan("p/", 50));
    int pages = 1;
    while (true) {
      page.entries().forEach(e -> seen.add(e.key()));
      if (!page.truncated()) break;
      String last = page.entries().get(page.entries().size() - 1).key();
      page = (KvResult.ScanResult) machine.query(new KvCommand.ScanAfter("p/", last, 50));
      pages++;
      assertTrue(pages < 1000, "paging does not end");
    }
    assertEquals(expected, seen, "seed " + SEED);
    assertTrue(pages >= 15, "15 MiB in pages of at most 1 MiB: " + pages + " pages");
  }

  @Test
  void aStartKeyBeforeThePrefixStartsAtThePrefixAndOneAfterEverythingFindsNothing() {
    Random random = new Random(SEED);
    for (String key : List.of("a", "b/1", "b/2", "c")) put(key, 10, random);
    assertEquals(List.of("b/1", "b/2"), machine.scan("b/", "a", 10).entries().stream().map(KvEntry::key).toList());
    assertEquals(List.of("b/2"), machine.scan("b/", "b/1", 10).entries().stream().map(KvEntry::key).toList());
    KvResult.ScanResult none = machine.scan("b/", "b/2", 10);
    assertEquals(List.of(), none.entries());
    assertFalse(none.truncated());
  }

  @Test
  void aStartKeyOverTheKeyLimitIsRefused() {
    KvResult refused = machine.query(new KvCommand.ScanAfter("", "k".repeat(LIMITS.keyBytesMax() + 1), 10));
    assertEquals(KvLimits.KEY_BYTES_MAX, ((KvResult.LimitExceeded) refused).limit());
  }
}
