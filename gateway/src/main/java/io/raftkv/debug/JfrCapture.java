package io.raftkv.debug;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * The JDK Flight Recordings of {@code /debug/jfr}: the next N seconds with the JDK's {@code profile}
 * or {@code default} settings (raftkv's own {@code raftkv.*} events are on in both, as they are
 * unless a setting turns them off), written to a file of at most {@link #BYTES_MAX}. One at a time
 * per node, so that a burst of requests cannot stack recordings up.
 */
public final class JfrCapture {
  /** A recording over this size drops its oldest chunks: the answer then starts later than asked. */
  public static final long BYTES_MAX = 256L << 20;

  private final int nodeId;
  private final AtomicReference<Running> running = new AtomicReference<>();

  /** The recording under way, and who asked for it, for the 409 of whoever asks next. */
  private record Running(Recording recording, String holder) {}

  public JfrCapture(int nodeId) {
    this.nodeId = nodeId;
  }

  /** Starts recording into {@code file}; stop it with {@link #finish}. */
  public synchronized CaptureStart<Recording> start(JfrRequest request, Path file, String holder) {
    Running current = running.get();
    if (current != null) return new CaptureStart.Busy<>(current.holder());
    Recording recording = null;
    try {
      recording = new Recording(Configuration.getConfiguration(request.settings()));
      recording.setName("raftkv /debug/jfr (node " + nodeId + ")");
      recording.setToDisk(true);
      recording.setMaxSize(BYTES_MAX);
      recording.setDestination(file);
      recording.start();
      running.set(new Running(recording, holder));
      return new CaptureStart.Started<>(recording);
    } catch (IOException | ParseException | IllegalStateException | SecurityException e) {
      if (recording != null) recording.close();
      return new CaptureStart.Unavailable<>("JFR could not start a recording: " + e.getMessage());
    }
  }

  /** Stops {@code recording}, which writes it to its file; refused if it was finished already (its node stopping). */
  public synchronized void finish(Recording recording) throws IOException {
    Running current = running.get();
    if (current == null || current.recording() != recording) throw new IOException("the recording was closed: its node is stopping");
    running.set(null);
    try {
      Path file = recording.getDestination();
      recording.stop();
      if (file == null || !Files.isRegularFile(file)) throw new IOException("JFR wrote no recording");
    } catch (IllegalStateException e) {
      throw new IOException("JFR could not stop the recording: " + e.getMessage(), e);
    } finally {
      recording.close();
    }
  }
}
