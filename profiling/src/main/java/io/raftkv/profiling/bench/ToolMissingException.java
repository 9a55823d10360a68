package io.raftkv.profiling.bench;

import java.io.IOException;

/** A program the benchmark needs is not installed, and this process cannot install it. */
public final class ToolMissingException extends IOException {
  public ToolMissingException(String message) {
    super(message);
  }
}
