package io.raftkv.debug;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import one.profiler.AsyncProfiler;
import one.profiler.AsyncProfilerLoader;

/**
 * async-profiler loaded into this JVM (its library from ap-loader), for {@code /debug/profile}. The
 * library holds one session per process, so this class is one per process too, and takes one
 * profile at a time whatever the number of nodes in the JVM. An outside session ({@code raftkv
 * profile} or {@code raftkv top} attaching with asprof) counts as busy as well.
 */
public final class InProcessProfiler {
  private static final InProcessProfiler INSTANCE = new InProcessProfiler();
  private static final String ALREADY_STARTED = "already started";

  private final AtomicReference<Profile> running = new AtomicReference<>();
  private AsyncProfiler profiler; // loaded on first use
  private String loadFailure;

  private InProcessProfiler() {}

  public static InProcessProfiler get() {
    return INSTANCE;
  }

  /**
   * A running profile: its request, the engine sampling it (cpu, or a timer that took its place),
   * and who asked, for the 409 of whoever asks next.
   */
  public record Profile(ProfileRequest request, String engine, Instant started, String holder) {}

  /**
   * Starts sampling for {@code request}, trying the event's fallbacks when the kernel refuses one
   * (perf_events behind {@code perf_event_paranoid}, or a container's seccomp). Loads the library the
   * first time, which extracts it to disk: call it off the dispatcher.
   */
  public synchronized CaptureStart<Profile> start(ProfileRequest request, String holder) {
    Profile current = running.get();
    if (current != null) return new CaptureStart.Busy<>(current.holder());
    if (!loaded()) return new CaptureStart.Unavailable<>(loadFailure);
    List<String> refusals = new ArrayList<>();
    for (String engine : request.event().engines()) {
      try {
        profiler.execute(request.event().startCommand(engine));
        Profile started = new Profile(request, engine, Instant.now(), holder);
        running.set(started);
        return new CaptureStart.Started<>(started);
      } catch (IllegalStateException | IllegalArgumentException | IOException e) {
        if (String.valueOf(e.getMessage()).contains(ALREADY_STARTED)) {
          return new CaptureStart.Busy<>("async-profiler's session, started in this JVM by another tool (raftkv profile or raftkv top"
              + " attached with asprof?)");
        }
        refusals.add(engine + ": " + e.getMessage());
      }
    }
    return new CaptureStart.Unavailable<>("async-profiler could not start " + String.join("; ", refusals) + perfEventParanoid());
  }

  /**
   * Stops {@code profile}'s sampling and writes what it saw to {@code file} in its format, with
   * {@code title} over a flame graph; refused if it was abandoned meanwhile.
   */
  public synchronized void stopInto(Profile profile, Path file, String title) throws IOException {
    if (!running.compareAndSet(profile, null)) throw new IOException("the profile was abandoned: its node is stopping");
    try {
      // async-profiler splits its options at commas: a title must not contain one.
      String command = "stop,file=" + file.toAbsolutePath() + "," + profile.request().format().output() + ",title=" + title.replace(',', ' ')
          + (profile.request().event().weighed() ? ",total" : "");
      profiler.execute(command);
      if (!Files.isRegularFile(file)) throw new IOException("async-profiler wrote no " + file.getFileName());
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new IOException("async-profiler could not stop: " + e.getMessage(), e);
    }
  }

  /** Stops {@code profile}'s sampling, if it still runs, and keeps nothing: its node is stopping. */
  public synchronized void abandon(Profile profile) {
    if (!running.compareAndSet(profile, null)) return;
    try {
      profiler.execute("stop");
    } catch (IllegalStateException | IllegalArgumentException | IOException e) {
      // stopped already: nothing to do
    }
  }

  private boolean loaded() {
    if (profiler != null) return true;
    if (loadFailure != null) return false;
    try {
      if (!AsyncProfilerLoader.isSupported()) {
        loadFailure = "async-profiler has no library for " + System.getProperty("os.name") + " " + System.getProperty("os.arch");
        return false;
      }
      profiler = AsyncProfilerLoader.load();
      return true;
    } catch (RuntimeException | IOException | LinkageError e) {
      loadFailure = "async-profiler could not be loaded into this JVM: " + e;
      return false;
    }
  }

  /** The kernel setting that decides whether perf_events may be used, for the 503's explanation. */
  private static String perfEventParanoid() {
    try {
      String value = Files.readString(Path.of("/proc/sys/kernel/perf_event_paranoid")).trim();
      return " (kernel.perf_event_paranoid is " + value + "; perf_events needs 1 or lower, or CAP_PERFMON, and a container may forbid it)";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
