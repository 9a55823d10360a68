package io.raftkv.cli;

/** The CLI's exit codes (docs/ARCHITECTURE.md, "CLI"). */
public final class ExitCodes {
  private ExitCodes() {}

  public static final int OK = 0;
  /** The answer is "no": key not found, cas mismatch, history not linearizable. */
  public static final int NO = 1;
  /** Bad usage or input. */
  public static final int USAGE = 2;
  /** Unknown: a deadline or the checker's time bound ran out. */
  public static final int UNKNOWN = 3;
  /** The cluster could not be reached. */
  public static final int UNREACHABLE = 4;
  /** {@code raftkv node}: the node stopped itself because its durable log failed ({@link io.raftkv.node.FatalStop#LOG_FAILED}). */
  public static final int NODE_LOG_FAILED = io.raftkv.node.FatalStop.LOG_FAILED;
  /** {@code raftkv node}: the node stopped itself because another part it needs failed ({@link io.raftkv.node.FatalStop#NODE_FAILED}). */
  public static final int NODE_FAILED = io.raftkv.node.FatalStop.NODE_FAILED;
  /** A write was refused because the cluster's state is over its space quota (raftkv.kv.quota-bytes): 507. */
  public static final int NO_SPACE = 5;
  /** A revision asked for is compacted: its history is gone. */
  public static final int COMPACTED = 9;
  /**
   * The cluster refused the credentials: no token or one it does not accept (401), or a token whose
   * role does not allow the request (403). Not 6 or 7: those are {@code raftkv node}'s.
   */
  public static final int DENIED = 8;
  /** {@link #DENIED} as the client commands' help lists it. */
  public static final String DENIED_HELP = "8:refused: no API token or an unknown one (401), or its role does not allow this (403)";
}
