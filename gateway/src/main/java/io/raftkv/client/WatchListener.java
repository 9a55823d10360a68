package io.raftkv.client;

import java.util.List;

/**
 * What a {@link Watch} tells its caller, on the watch's own thread, one call at a time.
 */
public interface WatchListener {

  /** The changes of one revision that the watch follows, all of them, in key order. */
  void onRevision(long revision, List<WatchEvent> events);

  /** Every change up to {@code revision} was delivered (sent on idle watches). */
  default void onProgress(long revision) {}

  /**
   * History no longer holds the watch's next revision (it fell behind compaction, or started
   * before it): the watch ends. Read the keys again and watch from the revision of that read.
   */
  default void onCompacted(long compactedRevision) {}

  /** A node failed or went away; the watch resumes on another from where it was. */
  default void onReconnect(String reason) {}
}
