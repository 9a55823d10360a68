package io.raftkv.profiling.analysis;

import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;

/**
 * Frames and classes as strings. Java frames: {@code org.rocksdb.RocksDB.write} (no signature, no line,
 * lambda and hidden-class numbers removed so that runs compare). Native frames that async-profiler
 * records (its frame types {@code Native} with a library as the "class", and {@code C++}): the bare
 * symbol, e.g. {@code fdatasync}. Kernel frames: {@code [k] name}.
 */
final class FrameNames {
  private FrameNames() {}

  // JDK 17's JFR: Foo$$Lambda$499+0x00007fe8740df290.1671179293; async-profiler: Foo$$Lambda$34.0x00007f8c84009000;
  // Class.getName(): Foo$$Lambda$34/0x0000000800c03000
  private static final Pattern LAMBDA = Pattern.compile("\\$\\$Lambda\\$\\d+(?:[+./]0x[0-9a-fA-F]+)?(?:\\.\\d+)?");
  private static final Pattern HIDDEN_ADDRESS = Pattern.compile("[+./]0x[0-9a-fA-F]{6,}(?:\\.\\d+)?");

  static String frame(RecordedFrame frame) {
    RecordedMethod method = frame.getMethod();
    if (method == null) {
      return "[unknown]";
    }
    String type = frame.getType();
    String owner = method.getType() == null ? "" : method.getType().getName();
    if ("Kernel".equals(type)) {
      return "[k] " + method.getName();
    }
    if ("C++".equals(type) || ("Native".equals(type) && isLibrary(owner))) {
      return method.getName();
    }
    return javaClass(owner) + "." + method.getName();
  }

  /** async-profiler names the library of a native frame where a Java frame names the class. */
  static boolean isLibrary(String owner) {
    return owner.isEmpty() || owner.startsWith("[") || owner.contains(".so") || owner.endsWith(".dylib")
        || owner.indexOf('/') >= 0;
  }

  static String javaClass(String name) {
    String clean = LAMBDA.matcher(name).replaceAll("\\$\\$Lambda");
    return HIDDEN_ADDRESS.matcher(clean).replaceAll("");
  }

  /** {@code byte[]} for {@code [B}, {@code java.lang.Object[]} for {@code [Ljava.lang.Object;}. */
  static String className(RecordedClass recordedClass) {
    return recordedClass == null ? "(unknown)" : className(recordedClass.getName());
  }

  static String className(String name) {
    int dims = 0;
    while (dims < name.length() && name.charAt(dims) == '[') {
      dims++;
    }
    if (dims == 0) {
      return javaClass(name);
    }
    String element = name.substring(dims);
    String base = switch (element) {
      case "B" -> "byte";
      case "C" -> "char";
      case "S" -> "short";
      case "I" -> "int";
      case "J" -> "long";
      case "F" -> "float";
      case "D" -> "double";
      case "Z" -> "boolean";
      default -> element.startsWith("L") && element.endsWith(";")
          ? javaClass(element.substring(1, element.length() - 1)) : element;
    };
    return base + "[]".repeat(dims);
  }
}
