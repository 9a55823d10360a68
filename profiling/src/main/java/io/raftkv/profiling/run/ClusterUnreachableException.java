package io.raftkv.profiling.run;

import java.io.IOException;

/** The cluster could not be started or reached: a node exited, is not running, or no leader emerged in time. */
public final class ClusterUnreachableException extends IOException {
  public ClusterUnreachableException(String message) {
    super(message);
  }
}
