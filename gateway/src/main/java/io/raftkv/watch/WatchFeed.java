package io.raftkv.watch;

import io.raftkv.persistence.kv.KvEvent;
import io.raftkv.persistence.kv.KvStateMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One watch's position in a node's history, and its next step: the changes from its next revision
 * on that its filter matches, a revision at a time, bounded in revisions read and bytes returned
 * per step. It holds nothing but its position, so a watcher that reads slowly costs the node no
 * memory; if history is compacted past its position, the step says so and the watch ends.
 * Not thread-safe: one step at a time.
 */
public final class WatchFeed {

  /** What a step found. */
  public sealed interface Step permits Events, CaughtUp, Compacted {}

  /**
   * The changes of one or more revisions (each whole, in revision order), or none when the
   * revisions read changed no watched key and the feed simply moved on.
   */
  public record Events(List<List<KvEvent>> revisions) implements Step {}

  /** Nothing after the position: every change up to {@code revision} was seen. */
  public record CaughtUp(long revision) implements Step {}

  /** The next revision is no longer in history: the watch cannot go on. */
  public record Compacted(long compactedRevision) implements Step {}

  private final KvStateMachine machine;
  private final WatchFilter filter;
  private final int revisionsPerStepMax;
  private final long bytesPerStepMax;
  private long nextRevision;

  /**
   * @param startRevision the first revision whose changes to return (at least 1)
   * @param revisionsPerStepMax the most revisions one step reads
   * @param bytesPerStepMax a step stops adding revisions once its values and keys (counted in
   *     chars) pass this; it returns at least one revision, whatever its size
   */
  public WatchFeed(KvStateMachine machine, WatchFilter filter, long startRevision, int revisionsPerStepMax, long bytesPerStepMax) {
    if (startRevision < 1 || revisionsPerStepMax < 1 || bytesPerStepMax < 1) {
      throw new IllegalArgumentException("start revision, revisions and bytes per step must be >= 1");
    }
    this.machine = machine;
    this.filter = filter;
    this.revisionsPerStepMax = revisionsPerStepMax;
    this.bytesPerStepMax = bytesPerStepMax;
    this.nextRevision = startRevision;
  }

  /** The first revision the next step looks at. */
  public long nextRevision() {
    return nextRevision;
  }

  public Step step() {
    long applied = machine.lastAppliedIndex(); // read first: every change up to it is readable
    Optional<List<List<KvEvent>>> changes = machine.changesFrom(nextRevision, revisionsPerStepMax);
    if (changes.isEmpty()) {
      return new Compacted(machine.compactedRevision());
    }
    if (changes.get().isEmpty()) {
      return new CaughtUp(Math.max(applied, nextRevision - 1));
    }
    List<List<KvEvent>> matching = new ArrayList<>();
    long bytes = 0;
    for (List<KvEvent> revision : changes.get()) {
      List<KvEvent> events = new ArrayList<>();
      for (KvEvent event : revision) {
        if (filter.matches(event.key())) {
          events.add(event);
          bytes += event.key().length() + (event.value() == null ? 0 : event.value().length);
        }
      }
      nextRevision = revision.get(0).modRevision() + 1;
      if (!events.isEmpty()) {
        matching.add(events);
      }
      if (bytes > bytesPerStepMax) {
        break;
      }
    }
    return new Events(matching);
  }
}
