package io.raftkv.profiling.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link JfrAnalyzer} on a JDK recording of {@link TestWorkload} made by the test itself. */
class JfrAnalyzerTest {
  private static final int TOP = 10;
  private static JfrReport report;

  @BeforeAll
  static void record() throws IOException {
    report = JfrAnalyzer.analyze(TestRecordings.jdkRecording(), TOP);
  }

  private static boolean names(List<Share> shares, String name) {
    return shares.stream().anyMatch(share -> share.name().equals(name));
  }

  @Test
  void cpuSamplesFindTheHotMethod() throws IOException {
    assertTrue(report.cpu().samples() > 0, "no CPU samples");
    assertTrue(names(report.cpu().topSelf(), TestWorkload.SPIN_FRAME), () -> "spin not among " + report.cpu().topSelf());
    // bounded by --top; how many distinct frames there are depends on which threads the sampler caught
    assertTrue(report.cpu().topSelf().size() <= TOP && report.cpu().topTotal().size() <= TOP && !report.cpu().topTotal().isEmpty());
    // by total, the frames from the thread's root down to spin all count every sample; a long list has spin too
    CpuReport cpu = JfrAnalyzer.analyze(TestRecordings.jdkRecording(), 1_000).cpu();
    assertTrue(names(cpu.topTotal(), TestWorkload.SPIN_FRAME), () -> "spin not among " + cpu.topTotal());
    // a total count is at least the self count, and never above the number of samples
    Share spinSelf = cpu.topSelf().stream().filter(s -> s.name().equals(TestWorkload.SPIN_FRAME)).findFirst().orElseThrow();
    Share spinTotal = cpu.topTotal().stream().filter(s -> s.name().equals(TestWorkload.SPIN_FRAME)).findFirst().orElseThrow();
    assertTrue(spinTotal.value() >= spinSelf.value() && spinTotal.value() <= cpu.samples());
    assertEquals(Math.round(spinSelf.value() * 1000.0 / cpu.samples()) / 10.0, spinSelf.percent());
  }

  @Test
  void areaSharesAddUpToAllSamples() {
    CpuReport cpu = report.cpu();
    assertEquals(Area.values().length, cpu.areas().size());
    assertEquals(cpu.samples(), cpu.areas().stream().mapToLong(AreaShare::samples).sum());
    // the workload is test code under io.raftkv.profiling: "other" holds the spinning
    AreaShare other = cpu.areas().stream().filter(a -> a.area() == Area.OTHER).findFirst().orElseThrow();
    assertTrue(other.samples() > 0, () -> "areas " + cpu.areas());
  }

  @Test
  void allocationsAreSampledWithTheirSiteAndClass() {
    AllocationReport allocation = report.allocation();
    assertEquals("jdk.ObjectAllocationSample", allocation.source(), "a JDK profile recording has samples");
    assertTrue(allocation.events() > 0 && allocation.bytes() > 0, () -> "allocation " + allocation);
    assertTrue(names(allocation.topSites(), TestWorkload.ALLOCATE_FRAME), () -> "sites " + allocation.topSites());
    assertTrue(names(allocation.topClasses(), "long[]"), () -> "classes " + allocation.topClasses());
  }

  @Test
  void theContendedMonitorIsNamed() {
    LockReport locks = report.locks();
    String monitor = TestWorkload.ContendedMonitor.class.getName();
    Contention contention = locks.monitors().stream().filter(c -> c.className().equals(monitor)).findFirst()
        .orElseThrow(() -> new AssertionError(monitor + " not among " + locks.monitors()));
    assertTrue(contention.events() >= TestWorkload.CONTENTIONS, () -> "contention " + contention);
    assertTrue(contention.totalMs() >= contention.maxMs() && contention.maxMs() > 0, () -> "contention " + contention);
  }

  @Test
  void everyForceIsAnFsync() {
    FsyncReport fsync = report.fsync();
    assertTrue(fsync.count() >= TestWorkload.FORCES, () -> "fsync " + fsync);
    DurationSummary d = fsync.duration();
    assertEquals(fsync.count(), d.count());
    assertTrue(d.p50Ms() <= d.p99Ms() && d.p99Ms() <= d.maxMs() * 1.001 && d.maxMs() <= d.totalMs() * 1.001,
        () -> "durations " + d);
  }

  private static WalSyncReport walSyncs(String directory) {
    return report.fsync().rocksDbWal().stream().filter(s -> s.directory().equals(directory)).findFirst()
        .orElseThrow(() -> new AssertionError("no store " + directory + " in " + report.fsync().rocksDbWal()));
  }

  @Test
  void rocksDbWalSyncsAreTheGrowthFromTheFirstEventToTheLast() {
    WalSyncReport store = walSyncs(TestWorkload.SYNC_DIR);
    long[] first = TestWorkload.SYNCS[0];
    long[] last = TestWorkload.SYNCS[TestWorkload.SYNCS.length - 1];
    assertEquals(TestWorkload.SYNCS.length, store.events());
    assertFalse(store.sinceOpen());
    assertEquals(last[0] - first[0], store.syncs(), () -> "store " + store);
    // mean of the syncs in the span: (60,000 - 10,000) us / (400 - 100) = 166.667 us
    assertEquals(Math.round((double) (last[2] - first[2]) / (last[1] - first[1])) / 1000.0, store.meanMs());
    assertEquals(0.167, store.meanMs());
    assertEquals(last[0] - first[0], store.writes());
    assertEquals((last[0] - first[0]) * 100, store.walBytes());
    assertEquals(0.12, store.p50Ms());
    assertEquals(0.9, store.p99Ms());
    assertEquals(2.0, store.maxMs());
    assertTrue(store.fsync());
    assertTrue(store.spanSeconds() >= 0 && store.spanSeconds() < 60, () -> "span " + store.spanSeconds());
  }

  @Test
  void oneRocksDbEventCountsSinceTheStoreOpened() {
    WalSyncReport store = walSyncs(TestWorkload.SYNC_ONCE_DIR);
    assertEquals(1, store.events());
    assertTrue(store.sinceOpen());
    assertEquals(TestWorkload.SYNC_ONCE[0], store.syncs());
    assertEquals(0.1, store.meanMs());
    assertEquals(0, store.spanSeconds());
  }

  @Test
  void aReopenedStoreCountsFromZeroAgain() {
    WalSyncReport store = walSyncs(TestWorkload.SYNC_REOPENED_DIR);
    // 50 -> 80: 30; reopened, 10 since; 10 -> 30: 20
    assertEquals(60, store.syncs(), () -> "store " + store);
    // (3,000 + 4,000 + 2,000) us over 60 syncs
    assertEquals(0.15, store.meanMs());
  }

  @Test
  void journalSyncIsNotCountedWithTheOtherRaftkvEvents() {
    assertTrue(report.raftkvEvents().stream().noneMatch(e -> e.name().equals(WalSyncCollector.JOURNAL_SYNC)),
        () -> "raftkv events " + report.raftkvEvents());
  }

  @Test
  void theRaftkvEventIsCountedAndSummed() {
    RaftkvEventReport event = report.raftkvEvents().stream()
        .filter(e -> e.name().equals(TestWorkload.EVENT_NAME)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + TestWorkload.EVENT_NAME + " in " + report.raftkvEvents()));
    assertEquals(TestWorkload.EVENT_ENTRIES.length, event.count());
    assertEquals(Arrays.stream(TestWorkload.EVENT_ENTRIES).sum(), event.entries());
    assertEquals(Arrays.stream(TestWorkload.EVENT_BYTES).sum(), event.bytes());
    assertNotNull(event.duration(), "the event was timed");
    assertTrue(event.duration().maxMs() > 0);
  }

  @Test
  void gcAndRecordingSpan() {
    assertTrue(report.gc().collections() >= 1, () -> "gc " + report.gc());
    assertEquals("jdk.GarbageCollection", report.gc().source());
    RecordingInfo info = report.recording();
    assertNotNull(info.start());
    assertTrue(info.durationSeconds() > 0);
    assertTrue(info.jvm() != null && info.jvm().contains("VM"), () -> "jvm " + info.jvm());
    assertTrue(info.eventTypes().size() == TOP && info.eventTypeCount() > TOP, () -> "types " + info);
    assertTrue(info.events() > info.eventTypes().stream().mapToLong(Share::value).sum());
    assertEquals("OpenJDK 64-Bit Server VM 17.0.15+6", RecordingCollector.jvm("OpenJDK 64-Bit Server VM",
        "OpenJDK 64-Bit Server VM (17.0.15+6) for linux-amd64 JRE (17.0.15+6), built on May  1 2025 by \"x\""));
    assertEquals("OpenJDK 64-Bit Server VM 17.0.15+6", RecordingCollector.jvm("OpenJDK 64-Bit Server VM", "17.0.15+6"));
    assertEquals(0, report.wall().events(), "the JDK does not write async-profiler's wall samples");
  }

  @Test
  void markdownNamesEverySection() {
    String md = report.toMarkdown("node-1");
    assertTrue(md.startsWith("## node-1\n"), md);
    for (String section : List.of("### CPU samples", "### Allocation", "### Wall clock", "### Locks", "### GC",
        "### fsync", "### Socket I/O", "### raftkv events", "### Event types")) {
      assertTrue(md.contains("\n" + section + "\n"), () -> section + " missing in\n" + md);
    }
    assertTrue(md.contains("`" + TestWorkload.SPIN_FRAME + "`"), md);
    assertTrue(md.contains("| `raftkv.TestEvent` | 3 | 6 | 600 B |"), md);
    assertTrue(md.contains("| network and serialization |"), md);
    assertTrue(md.contains("| `" + TestWorkload.SYNC_DIR + "` | on | "), md);
    assertTrue(md.contains(" | 300 | 300 | 29.3 KiB | 0.167 | 0.120 | 0.900 | 2.000 |\n"), md);
    assertTrue(md.contains("| `" + TestWorkload.SYNC_ONCE_DIR + "` | on | since open | 7 | 8 | 700 B | 0.100 |"), md);
    assertTrue(md.contains("\"since open\": the store had one event only"), md);
    assertTrue(md.contains("JVM file forces (`jdk.FileForce`"), md);
  }

  @Test
  void jsonHoldsTheSameFigures() throws IOException {
    JsonNode json = new ObjectMapper().readTree(report.toJson());
    assertEquals(report.cpu().samples(), json.path("cpu").path("samples").asLong());
    assertEquals(report.fsync().count(), json.path("fsync").path("count").asLong());
    JsonNode store = json.path("fsync").path("rocksDbWal").get(0);
    assertEquals(report.fsync().rocksDbWal().get(0).directory(), store.path("directory").asText());
    assertEquals(report.fsync().rocksDbWal().get(0).syncs(), store.path("syncs").asLong());
    assertEquals(report.fsync().rocksDbWal().get(0).meanMs(), store.path("meanMs").asDouble());
    assertTrue(store.path("sinceOpen").isBoolean(), store::toString);
    assertEquals("RAFT_STATE_MACHINE", json.path("cpu").path("areas").get(3).path("area").asText());
    assertEquals(TestWorkload.EVENT_NAME, json.path("raftkvEvents").get(0).path("name").asText());
  }

  @Test
  void notAJfrFileIsAnIOException() throws IOException {
    Path text = Files.writeString(Files.createTempFile(TestRecordings.testDir(), "not-jfr", ".jfr"), "hello\n");
    assertThrows(IOException.class, () -> JfrAnalyzer.analyze(text, TOP));
    assertThrows(IllegalArgumentException.class, () -> JfrAnalyzer.analyze(text, 0));
  }
}
