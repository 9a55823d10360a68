package io.raftkv.client;

/**
 * A node answered with an error the call cannot retry: 400 (malformed), 401 or 403 (the
 * credentials: {@link RaftkvAccessDeniedException}), 413 (key or value over
 * its limit), 507 (the cluster's space quota: {@link RaftkvQuotaExceededException}), or a status
 * the HTTP contract does not name. Carries the JSON error's fields when the body had them. A 4xx
 * refuses before the log and a 507 at apply, so neither had an effect; another status to a write
 * may have come after the write was applied.
 */
public sealed class RaftkvRejectedException extends RaftkvException permits RaftkvQuotaExceededException, RaftkvAccessDeniedException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String error;
  private final String detail;

  RaftkvRejectedException(int status, String error, String detail, boolean mayHaveTakenEffect) {
    super("HTTP " + status + (error.isEmpty() ? "" : " " + error) + (detail.isEmpty() ? "" : ": " + detail),
        mayHaveTakenEffect, null);
    this.status = status;
    this.error = error;
    this.detail = detail;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The {@code error} field of the JSON body; empty when there was none. */
  public String error() {
    return error;
  }

  /** The {@code detail} field of the JSON body; empty when there was none. */
  public String detail() {
    return detail;
  }

  /** Whether the node refused the request itself (4xx): bad input, not a cluster problem. */
  public boolean isClientError() {
    return status >= 400 && status < 500;
  }
}
