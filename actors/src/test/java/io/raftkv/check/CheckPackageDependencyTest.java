package io.raftkv.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The checker must stay usable without Pekko (by the simulator, the stress tester, the CLI), so its
 * sources may import only the JDK, Jackson and its own package.
 */
class CheckPackageDependencyTest {
    private static final Path SOURCES = Path.of("src/main/java/io/raftkv/check"); // Surefire runs in the module

    @Test
    void importsOnlyTheJdkAndJackson() throws IOException {
        assertTrue(Files.isDirectory(SOURCES), "run from the actors module: " + SOURCES.toAbsolutePath());
        List<String> offending = new ArrayList<>();
        int files = 0;
        try (Stream<Path> paths = Files.list(SOURCES)) {
            for (Path p : (Iterable<Path>) paths.filter(f -> f.toString().endsWith(".java"))::iterator) {
                files++;
                for (String line : Files.readAllLines(p)) {
                    String l = line.strip();
                    if (l.startsWith("import ")
                            && !l.matches("import (static )?(java\\.|com\\.fasterxml\\.jackson\\.|io\\.raftkv\\.check\\.).*")) {
                        offending.add(p.getFileName() + ": " + l);
                    }
                }
            }
        }
        assertTrue(files > 10, "found only " + files + " source files");
        assertEquals(List.of(), offending);
    }
}
