package io.raftkv.debug;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Optional;
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
  private final OneAtATime slot = new OneAtATime();

  public JfrCapture(int nodeId) {
    this.nodeId = nodeId;
  }

  /** Starts recording into {@code file}; stop it with {@link #finish}. */
  public CaptureStart<Recording> start(JfrRequest request, Path file, String holder) {
    Optional<String> busy = slot.take(holder);
    if (busy.isPresent()) return new CaptureStart.Busy<>(busy.get());
    Recording recording = null;
    try {
      recording = new Recording(Configuration.getConfiguration(request.settings()));
      recording.setName("raftkv /debug/jfr (node " + nodeId + ")");
      recording.setToDisk(true);
      recording.setMaxSize(BYTES_MAX);
      recording.setDestination(file);
      recording.start();
      return new CaptureStart.Started<>(recording);
    } catch (IOException | ParseException | IllegalStateException | SecurityException e) {
      if (recording != null) recording.close();
      slot.release();
      return new CaptureStart.Unavailable<>("JFR could not start a recording: " + e.getMessage());
    }
  }

  /** Stops {@code recording}, which writes it to its file, and frees the slot. */
  public void finish(Recording recording) throws IOException {
    try {
      Path file = recording.getDestination();
      recording.stop();
      if (file == null || !Files.isRegularFile(file)) throw new IOException("JFR wrote no recording");
    } catch (IllegalStateException e) {
      throw new IOException("JFR could not stop the recording: " + e.getMessage(), e);
    } finally {
      recording.close();
      slot.release();
    }
  }
}
