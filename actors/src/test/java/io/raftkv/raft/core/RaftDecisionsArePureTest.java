package io.raftkv.raft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import io.raftkv.raft.rules.ElectionTimer;
import io.raftkv.raft.rules.VoteRules;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Architecture guard: every Raft decision is made in {@code io.raftkv.raft.core} (the core and its
 * roles) and {@code io.raftkv.raft.rules} (the rules it applies), and those classes are pure
 * functions of their inputs. No Pekko (they are tested and reasoned about without actors), no
 * clock (time comes in as ticks), no randomness of their own (a generator is handed in, seeded in
 * tests, so a simulated run replays from its seed), no file or network I/O (the shell carries out
 * what a step returns) and no flight recorder (instrumentation goes through the observer). A class
 * that reached for any of these would make the rule tests and the simulator nondeterministic
 * without anybody noticing; this test notices.
 *
 * <p>Checked twice: in the sources (what a reviewer reads) and in the compiled classes (which also
 * catches wildcard imports, static imports and fully qualified names the source patterns miss).
 * Each check has a self-test on a deliberately impure sample, so a scanner that finds nothing
 * cannot pass unnoticed.
 */
@DisplayName("architecture: the Raft core and rules use no Pekko, clock, I/O, JFR or randomness of their own")
class RaftDecisionsArePureTest {
  /** A package that must stay pure, and a source every correct listing of it holds (so an empty or wrong directory fails). */
  private record PurePackage(String path, String knownSource) {}

  private static final List<PurePackage> PURE = List.of(new PurePackage("io/raftkv/raft/rules", "VoteRules.java"),
      new PurePackage("io/raftkv/raft/core", "RaftCore.java"));

  private record Forbidden(String what, Pattern pattern) {
    Forbidden(String what, String regex) {
      this(what, Pattern.compile(regex));
    }
  }

  /** Matched against source text with comments and string/char literals blanked out. */
  private static final List<Forbidden> SOURCE_RULES = List.of(
      new Forbidden("Pekko", "\\borg\\s*\\.\\s*apache\\s*\\.\\s*pekko\\b"),
      new Forbidden("java.time.Clock", "\\bjava\\s*\\.\\s*time\\s*\\.\\s*Clock\\b"),
      new Forbidden("System.currentTimeMillis/nanoTime", "\\bSystem\\s*\\.\\s*(currentTimeMillis|nanoTime)\\b"),
      new Forbidden("ThreadLocalRandom", "\\bThreadLocalRandom\\b"),
      new Forbidden("new Random(", "\\bnew\\s+(java\\s*\\.\\s*util\\s*\\.\\s*)?Random\\s*\\("),
      // Same concern, other spellings: a generator or a wall clock of the rule's own.
      new Forbidden("another random generator of its own",
          "\\bnew\\s+(SecureRandom|SplittableRandom)\\s*\\(|\\bMath\\s*\\.\\s*random\\s*\\(|\\bRandomGenerator(Factory)?\\s*\\.\\s*(getDefault|of)\\s*\\("),
      new Forbidden("a wall-clock now()",
          "\\b(Instant|LocalDateTime|LocalDate|LocalTime|ZonedDateTime|OffsetDateTime)\\s*\\.\\s*now\\s*\\("),
      new Forbidden("JFR", "\\bjdk\\s*\\.\\s*jfr\\b|\\bio\\s*\\.\\s*raftkv\\s*\\.\\s*(raft\\s*\\.\\s*)?jfr\\b"),
      new Forbidden("file or network I/O",
          "\\bjava\\s*\\.\\s*nio\\s*\\.\\s*(file|channels)\\b|\\bjava\\s*\\.\\s*net\\b|\\bjava\\s*\\.\\s*io\\s*\\.\\s*(File|RandomAccessFile)\\w*\\b"));

  // ---- the guard ----

  @Test
  @DisplayName("no rule source imports or uses Pekko, a clock, or randomness of its own")
  void sourcesArePure() throws IOException {
    List<String> violations = new ArrayList<>();
    for (PurePackage pkg : PURE) {
      for (Path source : sources(pkg)) violations.addAll(scanSource(pkg.path() + "/" + source.getFileName(), Files.readString(source)));
    }
    assertEquals(List.of(), violations, "impure sources");
  }

  @Test
  @DisplayName("no compiled rule class references Pekko, a clock, or randomness of its own")
  void classFilesArePure() throws IOException {
    for (PurePackage pkg : PURE) classFilesArePure(pkg);
  }

  private void classFilesArePure(PurePackage pkg) throws IOException {
    List<Path> classes = classes(pkg);
    // Every rule source must have been compiled to where this test looks: otherwise a new rule
    // could slip past the bytecode check.
    Set<String> compiled = new TreeSet<>();
    for (Path c : classes) compiled.add(c.getFileName().toString());
    for (Path source : sources(pkg)) {
      String expected = source.getFileName().toString().replace(".java", ".class");
      assertTrue(compiled.contains(expected), expected + " not found among " + compiled);
    }
    List<String> violations = new ArrayList<>();
    for (Path c : classes) violations.addAll(scanClass(c.getFileName().toString(), Files.readAllBytes(c)));
    assertEquals(List.of(), violations, "impure classes in " + pkg.path());
  }

  // ---- the scanners can fail ----

  @Test
  @DisplayName("self-test: the source scan finds each forbidden use in a sample")
  void sourceScanFindsViolations() {
    String impure = String.join("\n",
        "package io.raftkv.raft.rules;",
        "import org.apache.pekko.actor.typed.ActorRef;",
        "import java.time.Clock;",
        "import java.util.concurrent.ThreadLocalRandom;",
        "import jdk.jfr.Event;",
        "import java.nio.file.Files;",
        "class Impure {",
        "  long a = System.currentTimeMillis();",
        "  long b = System . nanoTime();",
        "  java.util.Random r = new java.util.Random(1);",
        "  java.util.Random s = new Random (2);",
        "  double d = Math.random();",
        "  Object t = java.time.Instant.now();",
        "}");
    List<String> found = scanSource("Impure.java", impure);
    for (Forbidden rule : SOURCE_RULES) {
      assertTrue(found.stream().anyMatch(v -> v.contains(rule.what())), "missed " + rule.what() + " in " + found);
    }
    assertTrue(found.contains("Impure.java:2: Pekko"), found::toString);
    assertTrue(found.contains("Impure.java:11: new Random("), "line numbers point at the use: " + found);
  }

  @Test
  @DisplayName("self-test: words in comments and strings are not uses")
  void sourceScanIgnoresCommentsAndStrings() {
    String pure = String.join("\n",
        "package io.raftkv.raft.rules;",
        "/** Unlike org.apache.pekko actors, never calls System.nanoTime() or new Random(). */",
        "class Pure {",
        "  // no ThreadLocalRandom, no java.time.Clock",
        "  String s = \"System.currentTimeMillis() \\\" new Random(\";",
        "  char c = '\"';",
        "  /* Math.random() */ String t = \"\"\"",
        "      Instant.now()",
        "      \"\"\";",
        "  long nanoTime = 0; // a field may be called nanoTime",
        "}");
    assertEquals(List.of(), scanSource("Pure.java", pure));
  }

  /** A deliberately impure class, compiled with the tests, for the bytecode scan's self-test. */
  @SuppressWarnings("unused")
  static final class Impure {
    org.apache.pekko.actor.typed.ActorRef<String> ref;

    jdk.jfr.Event event;

    long impure() throws IOException {
      long t = System.currentTimeMillis() + System.nanoTime() + Clock.systemUTC().millis() + Files.size(Path.of("."));
      return t + new Random(1).nextInt() + ThreadLocalRandom.current().nextInt();
    }
  }

  @Test
  @DisplayName("self-test: the bytecode scan finds each forbidden reference in a compiled sample")
  void classScanFindsViolations() throws IOException {
    byte[] bytes;
    try (InputStream in = RaftDecisionsArePureTest.class.getResourceAsStream("RaftDecisionsArePureTest$Impure.class")) {
      bytes = in.readAllBytes();
    }
    List<String> found = scanClass("Impure.class", bytes);
    for (String what : List.of("Pekko", "java.time.Clock", "System.currentTimeMillis", "System.nanoTime", "ThreadLocalRandom",
        "new java.util.Random", "JFR", "file or network I/O")) {
      assertTrue(found.stream().anyMatch(v -> v.endsWith(": " + what)), "missed " + what + " in " + found);
    }
    // And a pure class is clean: this one uses java.util.random.RandomGenerator, which is allowed.
    try (InputStream in = ElectionTimer.class.getResourceAsStream("ElectionTimer.class")) {
      assertEquals(List.of(), scanClass("ElectionTimer.class", in.readAllBytes()));
    }
  }

  // ---- source scan ----

  static List<String> scanSource(String name, String source) {
    String code = blankCommentsAndLiterals(source);
    List<String> violations = new ArrayList<>();
    for (Forbidden rule : SOURCE_RULES) {
      Matcher m = rule.pattern().matcher(code);
      while (m.find()) violations.add(name + ":" + lineOf(code, m.start()) + ": " + rule.what());
    }
    return violations;
  }

  private static int lineOf(String text, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) if (text.charAt(i) == '\n') line++;
    return line;
  }

  /**
   * The source with comments, string literals (text blocks too) and char literals replaced by
   * spaces, line breaks kept: what is left is code, at the same line numbers.
   */
  static String blankCommentsAndLiterals(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (s.startsWith("//", i)) {
        while (i < s.length() && s.charAt(i) != '\n') i = blank(out, s, i);
      } else if (s.startsWith("/*", i)) {
        int end = s.indexOf("*/", i + 2);
        end = end < 0 ? s.length() : end + 2;
        while (i < end) i = blank(out, s, i);
      } else if (s.startsWith("\"\"\"", i)) {
        int end = s.indexOf("\"\"\"", i + 3);
        while (end > 0 && s.charAt(end - 1) == '\\') end = s.indexOf("\"\"\"", end + 1);
        end = end < 0 ? s.length() : end + 3;
        while (i < end) i = blank(out, s, i);
      } else if (c == '"' || c == '\'') {
        i = blank(out, s, i);
        while (i < s.length() && s.charAt(i) != c && s.charAt(i) != '\n') {
          if (s.charAt(i) == '\\' && i + 1 < s.length()) i = blank(out, s, i);
          i = blank(out, s, i);
        }
        if (i < s.length() && s.charAt(i) == c) i = blank(out, s, i);
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static int blank(StringBuilder out, String s, int i) {
    out.append(s.charAt(i) == '\n' ? '\n' : ' ');
    return i + 1;
  }

  // ---- bytecode scan ----

  /**
   * What a class file refers to, read from its constant pool (JVMS §4.4): every class and type
   * named anywhere (also in field and method descriptors), and every method it calls.
   */
  static List<String> scanClass(String name, byte[] classFile) {
    List<String> utf8 = new ArrayList<>();
    List<String> calls = new ArrayList<>(); // "owner.method"
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
      if (in.readInt() != 0xCAFEBABE) throw new IllegalArgumentException(name + " is not a class file");
      in.readUnsignedShort();
      in.readUnsignedShort();
      int count = in.readUnsignedShort();
      String[] strings = new String[count];
      int[][] refs = new int[count][]; // Class: {nameIndex}; Methodref: {classIndex, nameAndTypeIndex}; NameAndType: {name, type}
      int[] tags = new int[count];
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        tags[i] = tag;
        switch (tag) {
          case 1 -> strings[i] = in.readUTF();
          case 3, 4 -> in.readInt();
          case 5, 6 -> {
            in.readLong();
            i++; // 8-byte constants take two slots
          }
          case 7, 8, 16, 19, 20 -> refs[i] = new int[] {in.readUnsignedShort()};
          case 9, 10, 11, 12, 17, 18 -> refs[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
          case 15 -> {
            in.readUnsignedByte();
            refs[i] = new int[] {in.readUnsignedShort()};
          }
          default -> throw new IllegalArgumentException(name + ": constant pool tag " + tag + " at " + i);
        }
      }
      for (int i = 1; i < count; i++) {
        if (tags[i] == 1) utf8.add(strings[i]);
        if (tags[i] == 10 || tags[i] == 11) {
          String owner = strings[refs[refs[i][0]][0]];
          String method = strings[refs[refs[i][1]][0]];
          calls.add(owner + "." + method);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(name, e);
    }
    List<String> violations = new ArrayList<>();
    // Names in the constant pool: class entries ("org/apache/pekko/...") and descriptors ("Lorg/apache/pekko/...;").
    if (utf8.stream().anyMatch(s -> s.contains("org/apache/pekko/"))) violations.add(name + ": Pekko");
    if (utf8.stream().anyMatch(s -> s.contains("java/time/Clock"))) violations.add(name + ": java.time.Clock");
    if (utf8.stream().anyMatch(s -> s.contains("java/util/concurrent/ThreadLocalRandom"))) violations.add(name + ": ThreadLocalRandom");
    if (utf8.stream().anyMatch(s -> s.contains("java/security/SecureRandom"))) violations.add(name + ": SecureRandom");
    if (utf8.stream().anyMatch(s -> s.contains("jdk/jfr/") || s.contains("io/raftkv/jfr/") || s.contains("io/raftkv/raft/jfr/"))) {
      violations.add(name + ": JFR");
    }
    if (utf8.stream().anyMatch(s -> s.contains("java/nio/file/") || s.contains("java/nio/channels/") || s.contains("java/net/")
        || s.contains("java/io/File") || s.contains("java/io/RandomAccessFile"))) {
      violations.add(name + ": file or network I/O");
    }
    for (String call : calls) {
      switch (call) {
        case "java/lang/System.currentTimeMillis" -> violations.add(name + ": System.currentTimeMillis");
        case "java/lang/System.nanoTime" -> violations.add(name + ": System.nanoTime");
        case "java/util/Random.<init>" -> violations.add(name + ": new java.util.Random");
        case "java/util/SplittableRandom.<init>" -> violations.add(name + ": new java.util.SplittableRandom");
        case "java/lang/Math.random", "java/lang/StrictMath.random" -> violations.add(name + ": Math.random");
        case "java/util/random/RandomGenerator.getDefault", "java/util/random/RandomGenerator.of" ->
            violations.add(name + ": a RandomGenerator of its own");
        default -> {
          if (call.endsWith(".now") && call.startsWith("java/time/")) violations.add(name + ": " + call.replace('/', '.') + "()");
        }
      }
    }
    return violations;
  }

  // ---- locating the pure packages ----

  /** Surefire runs in the module directory (actors/); an IDE may run in the repository root. */
  private static Path sourceDir(PurePackage pkg) {
    for (Path candidate : List.of(Path.of("src/main/java", pkg.path()), Path.of("actors/src/main/java", pkg.path()))) {
      if (Files.isDirectory(candidate)) return candidate.toAbsolutePath();
    }
    return fail("sources not found from " + Path.of("").toAbsolutePath() + " (expected src/main/java/" + pkg.path() + ")");
  }

  private static List<Path> sources(PurePackage pkg) throws IOException {
    List<Path> sources;
    try (Stream<Path> files = Files.list(sourceDir(pkg))) {
      sources = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    // An empty or wrong directory would make the scan pass vacuously.
    assertTrue(sources.stream().anyMatch(p -> p.endsWith(pkg.knownSource())), "not the directory of " + pkg.path() + ": " + sources);
    return sources;
  }

  private static List<Path> classes(PurePackage pkg) throws IOException {
    Path root;
    try {
      root = Path.of(VoteRules.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    Path dir = root.resolve(pkg.path());
    assertTrue(Files.isDirectory(dir), "compiled classes not in a directory: " + dir);
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".class")).sorted().toList();
    }
  }
}
