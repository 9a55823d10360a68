package io.raftkv.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks a recorded watch stream against the writes made while it ran, as etcd's guarantees put
 * it: ordered (revisions strictly increase: none repeated), complete (every acknowledged write to
 * a watched key at or after the start revision is in it, at its revision, with its value) and
 * consistent (every event is a write that was made, at the revision it was acknowledged at when
 * it was; a key's version grows by one from put to put and starts again at 1 after a delete).
 *
 * <p>Writes whose outcome is unknown (no answer) may be in the stream or not, at any revision.
 * Values must be unique per key for the check to tell writes apart.
 */
public final class WatchChecker {

  /** A write made to a watched key: {@code value} null for a delete; {@code revision} 0 when its outcome is unknown. */
  public record Write(String key, byte[] value, long revision) {
    public Write {
      Objects.requireNonNull(key, "key");
    }
  }

  /** One change in a stream: {@code value} null for a delete. */
  public record Event(String key, byte[] value, long version) {
    public Event {
      Objects.requireNonNull(key, "key");
    }
  }

  /** One revision of a stream, with its changes. */
  public record Revision(long revision, List<Event> events) {
    public Revision {
      events = List.copyOf(events);
    }
  }

  private WatchChecker() {}

  /** The violations found, each a sentence; empty when the stream is right. */
  public static List<String> check(long startRevision, List<Write> writes, List<Revision> stream) {
    List<String> violations = new ArrayList<>();
    long previous = startRevision - 1;
    Map<String, Long> lastVersion = new HashMap<>();
    Map<Long, List<Event>> byRevision = new HashMap<>();
    for (Revision r : stream) {
      if (r.revision() <= previous) {
        violations.add("revision " + r.revision() + " comes after " + previous + (r.revision() == previous ? ": repeated" : ": out of order"));
      }
      previous = Math.max(previous, r.revision());
      byRevision.put(r.revision(), r.events());
      for (Event e : r.events()) {
        Long before = lastVersion.get(e.key());
        if (e.value() == null) {
          lastVersion.put(e.key(), 0L);
        } else {
          if (before != null && e.version() != before + 1) {
            violations.add("key '" + e.key() + "' at revision " + r.revision() + " has version " + e.version() + " after " + before);
          }
          lastVersion.put(e.key(), e.version());
        }
        if (!made(writes, e, r.revision())) {
          violations.add("key '" + e.key() + "' at revision " + r.revision() + ": no write made it"
              + (e.value() == null ? " (a delete)" : ""));
        }
      }
    }
    for (Write w : writes) {
      if (w.revision() < startRevision) {
        continue; // unknown outcome (0), or before the watch began
      }
      List<Event> events = byRevision.get(w.revision());
      boolean found = events != null && events.stream().anyMatch(e -> e.key().equals(w.key()) && Arrays.equals(e.value(), w.value()));
      if (!found && w.revision() <= previous) {
        violations.add("the write to '" + w.key() + "' acknowledged at revision " + w.revision() + " is missing");
      } else if (!found) {
        violations.add("the stream ended at revision " + previous + ", before the write to '" + w.key() + "' at " + w.revision());
      }
    }
    return violations;
  }

  /** Whether a write matches {@code e}: same key and value, at the event's revision when acknowledged. */
  private static boolean made(List<Write> writes, Event e, long revision) {
    for (Write w : writes) {
      if (w.key().equals(e.key()) && Arrays.equals(w.value(), e.value()) && (w.revision() == 0 || w.revision() == revision)) {
        return true;
      }
    }
    return false;
  }
}
