package io.raftkv.profiling.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RaftkvHomeTest {
  @TempDir Path dir;

  @AfterEach
  void clear() {
    System.clearProperty(RaftkvHome.PROPERTY);
  }

  @Test
  void foundByWalkingUpFromTheWorkingDirectory() {
    // Surefire runs in profiling/, one level below the repository root.
    Path root = RaftkvHome.root();
    assertTrue(Files.isRegularFile(root.resolve("gatling/pom.xml")), root.toString());
    assertEquals(Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent(), root);
  }

  @Test
  void thePropertyWins() throws Exception {
    Files.createDirectories(dir.resolve("gatling"));
    Files.createDirectories(dir.resolve("profiling"));
    Files.writeString(dir.resolve("gatling/pom.xml"), "<project/>");
    Files.writeString(dir.resolve("profiling/pom.xml"), "<project/>");
    System.setProperty(RaftkvHome.PROPERTY, dir.toString());
    assertEquals(dir.toAbsolutePath().normalize(), RaftkvHome.root());
  }

  @Test
  void aPropertyNamingSomethingElseIsAClearError() {
    System.setProperty(RaftkvHome.PROPERTY, dir.toString());
    String message = assertThrows(IllegalStateException.class, RaftkvHome::root).getMessage();
    assertTrue(message.startsWith("raftkv.home=" + dir + " is not the raftkv repository"), message);
  }
}
