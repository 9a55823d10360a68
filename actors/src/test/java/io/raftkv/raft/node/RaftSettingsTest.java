package io.raftkv.raft.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.raftkv.raft.RaftSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Settings are validated at start; a bad one is refused with a message naming its key. */
class RaftSettingsTest {
  private static final Config DEFAULTS = ConfigFactory.load().getConfig("raftkv.raft");

  private static RaftSettings read(String overrides) {
    return RaftSettings.fromConfig(ConfigFactory.parseString(overrides).withFallback(DEFAULTS), 1, List.of(1, 2, 3));
  }

  private static void refused(String overrides, String key) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(overrides));
    assertTrue(e.getMessage().startsWith("raftkv.raft." + key + ":"), "message should name raftkv.raft." + key + ": " + e.getMessage());
  }

  @Test
  void referenceConfMatchesTheCodeDefaults() {
    assertEquals(RaftSettings.defaults(1, List.of(1, 2, 3)), read(""));
  }

  @Test
  void electionTimeoutMustExceedTwoHeartbeats() {
    refused("election-ticks-min = 20, heartbeat-ticks = 10", "election-ticks-min");
  }

  @Test
  void electionTimeoutRangeMustBeOrdered() {
    refused("election-ticks-min = 50, election-ticks-max = 45", "election-ticks-max");
  }

  @Test
  void boundsMustBePositive() {
    refused("append-entries-max = 0", "append-entries-max");
    refused("inflight-appends-max = 0", "inflight-appends-max");
    refused("proposals-pending-max = 0", "proposals-pending-max");
    refused("tick-interval = 0ms", "tick-interval");
  }

  @Test
  void resendMustComeBeforeAnElection() {
    refused("resend-ticks = 40", "resend-ticks");
  }

  @Test
  void snapshotBoundsMustFit() {
    refused("snapshot-chunk-bytes = 64 KiB, snapshot-bytes-max = 1 KiB", "snapshot-bytes-max");
    // 4 GiB + 64 KiB once wrapped round to an accepted 64 KiB.
    refused("snapshot-chunk-bytes = 4295032832", "snapshot-chunk-bytes");
  }

  @Test
  void aNodeOutsideTheBootstrapVotersIsOneThatJoinsButIdsMustBePositive() {
    assertEquals(List.of(1, 2, 3), RaftSettings.fromConfig(DEFAULTS, 4, List.of(1, 2, 3)).voters(), "node 4 joins a running cluster");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RaftSettings.fromConfig(DEFAULTS, 0, List.of(0, 1)));
    assertTrue(e.getMessage().startsWith("raftkv.raft.node-id:"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> RaftSettings.fromConfig(DEFAULTS, 1, List.of(-1, 1)));
    assertTrue(e.getMessage().startsWith("raftkv.raft.voters:"), e.getMessage());
  }

  @Test
  void learnerPromotionSettingsAreReadInTicks() {
    RaftSettings s = RaftSettings.fromConfig(DEFAULTS, 1, List.of(1, 2, 3));
    assertEquals(1_000, s.membership().learnerStabilizationTicks(), "10 s of 10 ms ticks");
    assertEquals(1_000, s.membership().learnerTrailingEntriesMax());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RaftSettings.fromConfig(
        DEFAULTS.withValue("learner-trailing-entries-max", com.typesafe.config.ConfigValueFactory.fromAnyRef(-1)), 1, List.of(1)));
    assertTrue(e.getMessage().startsWith("raftkv.raft.learner-trailing-entries-max:"), e.getMessage());
  }

  @Test
  void aMistypedValueNamesItsKey() {
    var e = assertThrows(com.typesafe.config.ConfigException.class, () -> read("heartbeat-ticks = often"));
    assertTrue(e.getMessage().contains("heartbeat-ticks"), e.getMessage());
  }
}
