package io.raftkv.profiling.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import one.profiler.AsyncProfiler;
import one.profiler.AsyncProfilerLoader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@link JfrAnalyzer} on a recording that async-profiler (the ap-loader jar's 4.5) writes from inside the
 * test JVM, with cpu, alloc and lock at once, as {@code raftkv profile} records a node.
 */
class AsyncProfilerRecordingTest {

  @Test
  void readsAsyncProfilersCpuAllocAndLockEvents() throws IOException, InterruptedException {
    Assumptions.assumeTrue(AsyncProfilerLoader.isSupported(), "async-profiler does not support this platform");
    Path dir = Files.createTempDirectory(TestRecordings.testDir(), "async-profiler-");
    Path file = dir.resolve("ap.jfr");
    AsyncProfiler profiler = AsyncProfilerLoader.load();
    profiler.execute("start,event=cpu,alloc,lock,file=" + file);
    try {
      TestWorkload.burn(Duration.ofSeconds(1));
      TestWorkload.contend(TestWorkload.CONTENTIONS);
    } finally {
      profiler.execute("stop");
    }

    JfrReport report = JfrAnalyzer.analyze(file, 10);

    CpuReport cpu = report.cpu();
    assertTrue(cpu.samples() > 0, "no cpu samples");
    assertTrue(cpu.topSelf().stream().anyMatch(s -> s.name().equals(TestWorkload.SPIN_FRAME)),
        () -> "spin not among " + cpu.topSelf());
    assertEquals(cpu.samples(), cpu.areas().stream().mapToLong(AreaShare::samples).sum());

    AllocationReport allocation = report.allocation();
    assertTrue(allocation.source().startsWith("jdk.ObjectAllocationInNewTLAB"), () -> "source " + allocation.source());
    assertTrue(allocation.events() > 0 && allocation.bytes() > 0, () -> "allocation " + allocation);
    assertTrue(allocation.topSites().stream().anyMatch(s -> s.name().equals(TestWorkload.ALLOCATE_FRAME)),
        () -> "sites " + allocation.topSites());
    assertTrue(allocation.topClasses().stream().anyMatch(s -> s.name().equals("long[]")),
        () -> "classes " + allocation.topClasses());

    String monitor = TestWorkload.ContendedMonitor.class.getName();
    assertTrue(report.locks().monitors().stream().anyMatch(c -> c.className().equals(monitor) && c.events() > 0),
        () -> monitor + " not among " + report.locks().monitors());

    assertEquals(0, report.wall().events(), "no wall mode was asked for");
    assertTrue(report.recording().eventTypes().stream().anyMatch(s -> s.name().equals("jdk.ExecutionSample")));
  }
}
