package io.raftkv.profiling.analysis;

import io.raftkv.jfr.JournalSyncEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/** A JDK recording of {@link TestWorkload}, made once per test JVM and shared by the tests that read it. */
public final class TestRecordings {
  private TestRecordings() {}

  private static Path jdkRecording;

  /** The directory for test files: Maven's {@code raftkv.test.dir}, else a temporary directory. */
  public static Path testDir() throws IOException {
    String dir = System.getProperty("raftkv.test.dir");
    Path path = dir == null ? Files.createTempDirectory("raftkv-profiling") : Path.of(dir, "profiling");
    return Files.createDirectories(path);
  }

  /**
   * The JDK's "profile" settings, plus every {@code jdk.FileForce} and {@code jdk.JavaMonitorEnter}
   * (threshold 0) and {@code raftkv.JournalSync}, around {@link TestWorkload#run} with 1 s of CPU time.
   */
  public static synchronized Path jdkRecording() {
    if (jdkRecording == null) {
      try {
        Path dir = Files.createTempDirectory(testDir(), "jdk-");
        Path file = dir.resolve("workload.jfr");
        try (Recording recording = new Recording(Configuration.getConfiguration("profile"))) {
          recording.enable("jdk.FileForce").withThreshold(Duration.ZERO);
          recording.enable("jdk.JavaMonitorEnter").withThreshold(Duration.ZERO);
          recording.enable(TestWorkload.TestEvent.class).withThreshold(Duration.ZERO);
          recording.enable(JournalSyncEvent.class);
          recording.setDestination(file);
          recording.start();
          TestWorkload.run(dir, Duration.ofSeconds(1));
          System.gc(); // at least one collection to report
          recording.stop();
        }
        jdkRecording = file;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (ParseException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return jdkRecording;
  }
}
