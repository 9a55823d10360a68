package io.raftkv.debug;

import java.util.Optional;

/** What {@code /debug/profile?format=} answers: async-profiler's own flame graph page, or its collapsed stacks. */
public enum ProfileFormat {
  /** An interactive flame graph, one self-contained page (async-profiler's {@code flamegraph} output). */
  HTML("html", "text/html", "flamegraph", ".html"),
  /** One line per distinct stack, {@code frame;frame;frame count}: for scripts, or a later diff. */
  COLLAPSED("collapsed", "text/plain", "collapsed", ".collapsed");

  private final String name;
  private final String mediaType;
  private final String output;
  private final String suffix;

  ProfileFormat(String name, String mediaType, String output, String suffix) {
    this.name = name;
    this.mediaType = mediaType;
    this.output = output;
    this.suffix = suffix;
  }

  public String label() {
    return name;
  }

  /** The answer's media type (UTF-8 text either way). */
  public String mediaType() {
    return mediaType;
  }

  /** async-profiler's name for the output format. */
  String output() {
    return output;
  }

  /** The temporary file's suffix. */
  public String suffix() {
    return suffix;
  }

  static Optional<ProfileFormat> named(String name) {
    for (ProfileFormat f : values()) {
      if (f.name.equals(name)) return Optional.of(f);
    }
    return Optional.empty();
  }
}
