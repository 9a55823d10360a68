package io.raftkv.stress;

import io.raftkv.check.EventType;
import io.raftkv.check.HistoryEvent;
import io.raftkv.check.HistoryWriter;
import io.raftkv.check.OpType;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Records the stress run's operations as a history (the format docs/CLIENT.md gives under check-history): an invoke before
 * the request is sent, ok / fail / info after. Each line's time is taken under the same lock that
 * writes it, so the file's order is the time order; an invoke's time is before the send and a
 * completion's after the answer, so each operation's interval covers its real one. Public for
 * clients of other packages that record a history the same way (the process-level fault tests).
 */
public final class HistoryRecorder implements Closeable {
  private final HistoryWriter writer; // null: record nothing

  private HistoryRecorder(HistoryWriter writer) {
    this.writer = writer;
  }

  public static HistoryRecorder none() {
    return new HistoryRecorder(null);
  }

  /** A recorder writing to {@code file} (created or truncated). */
  public static HistoryRecorder to(Path file) throws IOException {
    return new HistoryRecorder(HistoryWriter.create(file));
  }

  public void invoke(int process, OpType f, String key, String value) {
    write(time -> HistoryEvent.invoke(process, f, key, value, null, time));
  }

  public void ok(int process, OpType f, String key) {
    write(time -> HistoryEvent.completion(process, EventType.OK, f, key, time));
  }

  public void okGet(int process, String key, String read) {
    write(time -> HistoryEvent.okGet(process, key, read, time));
  }

  /** A failed call: {@code info} when it may have taken effect, {@code fail} when it certainly did not. */
  public void failed(int process, OpType f, String key, boolean mayHaveTakenEffect) {
    EventType type = mayHaveTakenEffect ? EventType.INFO : EventType.FAIL;
    write(time -> HistoryEvent.completion(process, type, f, key, time));
  }

  private interface Event {
    HistoryEvent at(long time);
  }

  private void write(Event event) {
    if (writer == null) {
      return;
    }
    synchronized (writer) {
      try {
        writer.write(event.at(System.nanoTime()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the history: " + e.getMessage(), e);
      }
    }
  }

  @Override
  public void close() throws IOException {
    if (writer != null) {
      writer.close();
    }
  }
}
