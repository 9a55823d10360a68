package io.raftkv.profiling.record;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JDK Flight Recorder settings recorded beside async-profiler's samples ({@code --jfrsync}): the
 * JDK's own {@code profile} settings, with every fsync and every socket read and write recorded (the
 * JDK's thresholds would keep only those slower than 10 ms, which a healthy node never has). raftkv's
 * own events ({@code raftkv.*}) are on by default and need no line here.
 */
public final class JfrSettings {
  private JfrSettings() {}

  /** Events whose threshold this run lowers, and to what. */
  static final Map<String, String> THRESHOLDS = Map.of(
      "jdk.FileForce", "0 ms",
      "jdk.SocketRead", "0 ms",
      "jdk.SocketWrite", "0 ms");

  /** Writes the settings file into {@code dir} and returns its path (absolute: the node reads it). */
  public static Path write(Path dir) throws IOException {
    Path profile = Path.of(System.getProperty("java.home"), "lib", "jfr", "profile.jfc");
    if (!Files.isRegularFile(profile)) throw new IOException("this JDK has no " + profile + ": JFR settings cannot be made");
    String jfc = Files.readString(profile, StandardCharsets.UTF_8);
    for (Map.Entry<String, String> e : THRESHOLDS.entrySet()) jfc = withThreshold(jfc, e.getKey(), e.getValue());
    Files.createDirectories(dir);
    Path out = dir.resolve("raftkv.jfc").toAbsolutePath();
    Files.writeString(out, jfc, StandardCharsets.UTF_8);
    return out;
  }

  /** The settings text with {@code event}'s threshold set to {@code threshold}; refuses a file that lacks it. */
  static String withThreshold(String jfc, String event, String threshold) {
    Pattern p = Pattern.compile("(<event name=\"" + Pattern.quote(event) + "\">.*?<setting name=\"threshold\"[^>]*>)([^<]*)(</setting>)", Pattern.DOTALL);
    Matcher m = p.matcher(jfc);
    if (!m.find()) throw new IllegalStateException("the JDK's profile.jfc has no threshold for " + event);
    return jfc.substring(0, m.start(2)) + threshold + jfc.substring(m.end(2));
  }
}
