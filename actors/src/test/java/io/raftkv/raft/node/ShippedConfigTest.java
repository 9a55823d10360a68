package io.raftkv.raft.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.raftkv.raft.RaftSettings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The configuration shipped in conf/ parses, and its Raft settings pass validation. */
class ShippedConfigTest {
  @Test
  void confApplicationConfIsValid() {
    Path conf = Path.of("..", "conf", "application.conf"); // Surefire runs in the module directory
    Config config = ConfigFactory.parseFile(conf.toFile()).withFallback(ConfigFactory.load()).resolve();
    RaftSettings settings = RaftSettings.fromConfig(config.getConfig("raftkv.raft"), 1, List.of(1, 2, 3));
    assertEquals(40, settings.electionTicksMin());
    assertEquals(true, config.getBoolean("raftkv.persistence.journal.fsync"));
  }
}
