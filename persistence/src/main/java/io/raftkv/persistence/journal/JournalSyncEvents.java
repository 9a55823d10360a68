package io.raftkv.persistence.journal;

import io.raftkv.jfr.JournalSyncEvent;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;

/**
 * Registers {@link JournalSyncEvent} as a periodic JFR event, whose hook emits one event per open
 * {@link RocksDbStore}.
 *
 * <p>{@code FlightRecorder.addPeriodicEvent} starts no recording, but it does look the event type up,
 * which initialises JFR's metadata repository and registers (instruments) the event class. So it is
 * not called until JFR itself initialises: {@code FlightRecorder.addListener} calls
 * {@code recorderInitialized} at once if JFR already runs ({@code -XX:StartFlightRecording}), else when
 * the first recording is made ({@code jcmd JFR.start}, {@code new Recording()}). A process that never
 * records only loads the listener. JFR runs the hook only while a recording enables the event.
 */
final class JournalSyncEvents {
  private static final AtomicBoolean LISTENING = new AtomicBoolean();
  private static final AtomicBoolean REGISTERED = new AtomicBoolean();

  private JournalSyncEvents() {}

  /** Registers the periodic event when JFR initialises (now, if it has). Only the first call does anything. */
  static void install() {
    if (!LISTENING.compareAndSet(false, true)) return;
    try {
      FlightRecorder.addListener(
          new FlightRecorderListener() {
            @Override
            public void recorderInitialized(FlightRecorder recorder) {
              register();
            }
          });
    } catch (SecurityException e) {
      // No JFR access for this code: nothing to record into either.
    }
  }

  /**
   * Adds the periodic hook, once: JFR refuses the same hook twice, and a second hook would double every
   * event. Returns whether this call added it.
   */
  static boolean register() {
    if (!REGISTERED.compareAndSet(false, true)) return false;
    FlightRecorder.addPeriodicEvent(JournalSyncEvent.class, JournalSyncEvents::emit);
    return true;
  }

  /** The hook: one event per open store, on JFR's periodic-task thread. */
  private static void emit() {
    for (RocksDbStore store : RocksDbStore.openStores()) {
      JournalSyncEvent event = store.journalSyncEvent();
      if (event != null) event.commit();
    }
  }
}
