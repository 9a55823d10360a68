package io.raftkv.client;

/**
 * 507 Insufficient Storage: the cluster's state is over its space quota ({@code raftkv.kv.quota-bytes})
 * and the write would have grown it. The write was refused when applied, so it had no effect (a
 * retry of it gets the same answer). Reads, deletes and writes that do not grow the state still
 * work; once deletes bring the state back under the quota, growing writes are taken again.
 */
public final class RaftkvQuotaExceededException extends RaftkvRejectedException {

  private static final long serialVersionUID = 1L;

  private final long stateBytes;
  private final long quotaBytes;

  RaftkvQuotaExceededException(String error, String detail, long stateBytes, long quotaBytes) {
    super(507, error, detail, false);
    this.stateBytes = stateBytes;
    this.quotaBytes = quotaBytes;
  }

  /** The state's size when the write was refused, in bytes; -1 when the answer did not say. */
  public long stateBytes() {
    return stateBytes;
  }

  /** The quota, in bytes; -1 when the answer did not say. */
  public long quotaBytes() {
    return quotaBytes;
  }
}
