package io.raftkv.debug;

/** What came of asking for a capture to start. */
public sealed interface CaptureStart<T> {
  /** It runs; {@code capture} finishes it. */
  record Started<T>(T capture) implements CaptureStart<T> {}

  /** Another capture runs, and there is room for one (a 409); {@code holder} says which. */
  record Busy<T>(String holder) implements CaptureStart<T> {}

  /** This JVM cannot record it (a 503); {@code reason} says why, in a sentence for the operator. */
  record Unavailable<T>(String reason) implements CaptureStart<T> {}
}
