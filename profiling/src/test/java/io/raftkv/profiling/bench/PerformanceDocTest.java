package io.raftkv.profiling.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PerformanceDocTest {
  @TempDir Path dir;

  @Test
  void aFileWithoutTheSectionGetsItAppended() throws IOException {
    Path doc = Files.writeString(dir.resolve("PERFORMANCE.md"), "# Performance\n\nearlier steps\n");
    PerformanceDoc.update(doc, "first table");
    String text = Files.readString(doc);
    assertTrue(text.startsWith("# Performance\n\nearlier steps\n\n" + PerformanceDoc.HEADING), text);
    assertTrue(text.contains(PerformanceDoc.BEGIN + "\nfirst table\n" + PerformanceDoc.END), text);
  }

  @Test
  void aSecondRunReplacesOnlyTheSection() throws IOException {
    Path doc = Files.writeString(dir.resolve("PERFORMANCE.md"), "# Performance\n");
    PerformanceDoc.update(doc, "first table");
    Files.writeString(doc, Files.readString(doc) + "\n## A later step\n\nkept\n");
    PerformanceDoc.update(doc, "second table");
    String text = Files.readString(doc);
    assertTrue(text.contains("second table"), text);
    assertTrue(!text.contains("first table"), text);
    assertTrue(text.endsWith("## A later step\n\nkept\n"), text);
    assertEquals(1, text.split(java.util.regex.Pattern.quote(PerformanceDoc.BEGIN), -1).length - 1);
  }

  @Test
  void aMissingFileIsCreated() throws IOException {
    Path doc = dir.resolve("docs/PERFORMANCE.md");
    PerformanceDoc.update(doc, "table");
    assertTrue(Files.readString(doc).contains("table"));
  }

  @Test
  void aLoneMarkerIsAnErrorNotAGuess() throws IOException {
    Path doc = Files.writeString(dir.resolve("PERFORMANCE.md"), "# Performance\n" + PerformanceDoc.BEGIN + "\nold\n");
    IOException e = assertThrows(IOException.class, () -> PerformanceDoc.update(doc, "table"));
    assertTrue(e.getMessage().contains("only one of the two"), e.getMessage());
  }
}
