package io.raftkv.profiling.load;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the raftkv repository is on this machine (the Gatling module's build output is read from there). */
public final class RaftkvHome {
  /** The system property that names the repository root explicitly. */
  public static final String PROPERTY = "raftkv.home";

  private RaftkvHome() {}

  /**
   * The repository root: system property {@code raftkv.home} if set, else the first directory,
   * walking up from the working directory, that holds both {@code gatling/pom.xml} and
   * {@code profiling/pom.xml}.
   *
   * @throws IllegalStateException when {@code raftkv.home} names no such directory, or none is found
   */
  public static Path root() {
    String home = System.getProperty(PROPERTY);
    if (home != null && !home.isBlank()) {
      Path root = Path.of(home).toAbsolutePath().normalize();
      if (!isRoot(root)) {
        throw new IllegalStateException(PROPERTY + "=" + home + " is not the raftkv repository: it has no gatling/pom.xml and profiling/pom.xml");
      }
      return root;
    }
    Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (isRoot(dir)) return dir;
    }
    throw new IllegalStateException("cannot find the raftkv repository: no directory from " + start
        + " upwards holds gatling/pom.xml and profiling/pom.xml; run from inside the repository or set -D" + PROPERTY + "=<its root>");
  }

  static boolean isRoot(Path dir) {
    return Files.isRegularFile(dir.resolve("gatling/pom.xml")) && Files.isRegularFile(dir.resolve("profiling/pom.xml"));
  }
}
