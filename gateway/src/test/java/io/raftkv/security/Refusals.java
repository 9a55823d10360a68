package io.raftkv.security;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;

/** The refusals of this package are IllegalArgumentExceptions whose message starts with what is wrong where (the file first). */
final class Refusals {
  private Refusals() {}

  static IllegalArgumentException assertRefused(String start, Executable action) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action);
    assertTrue(e.getMessage().startsWith(start), () -> "expected a message starting with <" + start + ">, got <" + e.getMessage() + ">");
    return e;
  }
}
