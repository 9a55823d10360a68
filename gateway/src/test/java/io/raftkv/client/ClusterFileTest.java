package io.raftkv.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterFileTest {
  @TempDir Path dir;

  private Path write(String text) throws IOException {
    return Files.writeString(dir.resolve("cluster.conf"), text);
  }

  @Test
  void readsTheNodesByIdIgnoringOtherSettings() throws IOException {
    Path file = write("""
        raftkv.data-dir = "data"
        base-port = 8080
        raftkv.cluster {
          seed-port = 2551
          nodes = [
            { id = 3, host = "127.0.0.1", http-port = 8083, port = 2553 }
            { id = 1, host = "127.0.0.1", http-port = 8081, port = 2551 }
            { id = 2, host = "127.0.0.1", http-host = "localhost", http-port = 8082, data = ${?NO_SUCH_ENV_VAR} }
          ]
        }
        """);
    assertEquals(List.of(URI.create("http://127.0.0.1:8081"), URI.create("http://localhost:8082"),
        URI.create("http://127.0.0.1:8083")), ClusterFile.nodes(file));
  }

  @Test
  void theUrlsAreHttpsWhenTheFileTurnsTlsOnOrTheCallerKnowsItIsOn() throws IOException {
    String nodes = "raftkv.cluster.nodes = [ { id = 1, host = \"127.0.0.1\", http-port = 8081 } ]\n";
    assertEquals(List.of(URI.create("https://127.0.0.1:8081")), ClusterFile.nodes(write(nodes + "raftkv.tls.enabled = on\n")));
    assertEquals(List.of(URI.create("https://127.0.0.1:8081")), ClusterFile.nodes(write(nodes + "raftkv.tls { enabled = true, dir = x }\n")));
    assertEquals(List.of(URI.create("http://127.0.0.1:8081")), ClusterFile.nodes(write(nodes + "raftkv.tls.enabled = off\n")));
    assertEquals(List.of(URI.create("https://127.0.0.1:8081")), ClusterFile.nodes(write(nodes), true));
  }

  @Test
  void aMissingOrMalformedFileIsRefusedWithItsNameAndSetting() throws IOException {
    IllegalArgumentException missing =
        assertThrows(IllegalArgumentException.class, () -> ClusterFile.nodes(dir.resolve("nope.conf")));
    assertTrue(missing.getMessage().contains("nope.conf"), missing.getMessage());

    IllegalArgumentException noNodes =
        assertThrows(IllegalArgumentException.class, () -> ClusterFile.nodes(write("raftkv.x = 1")));
    assertTrue(noNodes.getMessage().contains("raftkv.cluster.nodes"), noNodes.getMessage());

    IllegalArgumentException noPort = assertThrows(IllegalArgumentException.class,
        () -> ClusterFile.nodes(write("raftkv.cluster.nodes = [ { id = 1, host = \"h\" } ]")));
    assertTrue(noPort.getMessage().contains("http-port"), noPort.getMessage());

    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> ClusterFile.nodes(write(
        "raftkv.cluster.nodes = [ { id = 1, host = h, http-port = 1 }, { id = 1, host = h, http-port = 2 } ]")));
    assertTrue(twice.getMessage().contains("twice"), twice.getMessage());

    assertThrows(IllegalArgumentException.class, () -> ClusterFile.nodes(write(
        "raftkv.cluster.nodes = [ { id = 1, host = h, http-port = 70000 } ]")));
    assertThrows(IllegalArgumentException.class, () -> ClusterFile.nodes(write("raftkv.cluster.nodes = [ ]")));
    assertThrows(IllegalArgumentException.class, () -> ClusterFile.nodes(write("{ not hocon")));
  }
}
