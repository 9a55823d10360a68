package io.raftkv.persistence.kv;

/**
 * A read or watch asked for history below the compacted revision, which is no longer kept. Thrown
 * by the store's readers; the state machine answers it as {@link KvResult.Compacted}.
 */
final class CompactedException extends RuntimeException {

  private final long compactedRevision;

  CompactedException(long revision, long compactedRevision) {
    super("revision " + revision + " is compacted: history is kept from revision "
        + compactedRevision, null, false, false);
    this.compactedRevision = compactedRevision;
  }

  long compactedRevision() {
    return compactedRevision;
  }
}
