package io.raftkv.profiling.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The programs the benchmark runs that are not Java: etcd (Debian's {@code etcd-server}) and wrk.
 * Missing ones are installed with apt-get when this process may (root, on Debian); otherwise the
 * error says what to install.
 */
public final class Tools {
  /** A program and the Debian package that has it. */
  public record Tool(String binary, String debianPackage) {}

  public static final Tool ETCD = new Tool("etcd", "etcd-server");
  public static final Tool WRK = new Tool("wrk", "wrk");
  /** How long one apt-get command may take. */
  static final Duration APT_TIMEOUT = Duration.ofMinutes(10);

  private Tools() {}

  /** The path of {@code binary} on PATH, if any. */
  public static Optional<Path> find(String binary) {
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) continue;
      Path p = Path.of(dir, binary);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
    }
    return Optional.empty();
  }

  /**
   * Makes sure every tool is on PATH, installing the missing ones' packages with apt-get if this process can.
   *
   * @throws ToolMissingException when one is missing and this process cannot install it
   */
  public static void require(List<Tool> tools, Consumer<String> progress) throws IOException {
    List<String> packages = new ArrayList<>();
    for (Tool t : tools) {
      if (find(t.binary()).isEmpty()) packages.add(t.debianPackage());
    }
    if (packages.isEmpty()) return;
    String what = String.join(" ", packages);
    if (find("apt-get").isEmpty() || !isRoot()) {
      throw new ToolMissingException("missing " + what + " (Debian packages); install them with: sudo apt-get install -y " + what);
    }
    progress.accept("installing Debian packages: " + what + " (apt-get, once)");
    List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "--no-install-recommends"));
    install.addAll(packages);
    if (apt(install) != 0) {
      progress.accept("apt-get install failed; refreshing the package lists (apt-get update) and trying again");
      if (apt(List.of("apt-get", "update")) != 0 || apt(install) != 0) {
        throw new IOException("apt-get could not install " + what + "; try: apt-get update && apt-get install -y " + what);
      }
    }
    for (Tool t : tools) {
      if (find(t.binary()).isEmpty()) throw new IOException("installed " + t.debianPackage() + " but " + t.binary() + " is not on PATH");
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int apt(List<String> command) throws IOException {
    ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    b.environment().put("DEBIAN_FRONTEND", "noninteractive");
    Process p = b.start();
    try {
      if (!p.waitFor(APT_TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " took more than " + APT_TIMEOUT.toMinutes() + " min");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted during " + String.join(" ", command), e);
    }
    return p.exitValue();
  }
}
