package io.raftkv.profiling.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The key space and value size: ranges, what the raftkv nodes would refuse, and what etcd is started with. */
class BenchSettingsTest {
  private static BenchSettings settings(int keys, int valueBytes) {
    return new BenchSettings(Workload.DEFAULTS, Duration.ofSeconds(30), Duration.ofSeconds(10), keys, valueBytes, 1, Path.of("c.conf"),
        Path.of("a.conf"), Path.of("runs"), Optional.empty(), Optional.empty(), "./raftkv bench", false, false, false);
  }

  private static Config raftkv(String settings) {
    return ConfigFactory.parseString(settings).withFallback(ConfigFactory.defaultReference()).resolve();
  }

  private static String refused(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void twoMillionKeysOfOneKibibyteFitTheDefaults() {
    BenchSettings big = settings(2_000_000, 1024);
    assertEquals(2_080_000_000L, big.prefillBytes());
    big.checkRaftkvTakes(raftkv("")); // 2 GiB quota, 1.5 MiB values
    settings(1_000, 1536 << 10).checkRaftkvTakes(raftkv("")); // values at raftkv's limit
  }

  @Test
  void rangesAreCheckedNamingTheOption() {
    assertEquals("--keys must be 1..4000000, not 0", refused(() -> settings(0, 100)));
    assertEquals("--keys must be 1..4000000, not 4000001", refused(() -> settings(4_000_001, 100)));
    assertEquals("--value-bytes must be 1..1572864, not 0", refused(() -> settings(10, 0)));
    assertEquals("--value-bytes must be 1..1572864, not 1572865", refused(() -> settings(10, (1536 << 10) + 1)));
  }

  @Test
  void aPrefillTheRaftkvNodesWouldRefuseIsRefusedFirst() {
    String tooLarge = refused(() -> settings(10, 2048).checkRaftkvTakes(raftkv("raftkv.kv.value-bytes-max = 1 KiB")));
    assertEquals("--value-bytes 2048 is over the raftkv nodes' raftkv.kv.value-bytes-max of 1024 bytes (a.conf): raise it there, "
        + "or write smaller values", tooLarge);
    String overQuota = refused(() -> settings(4_000_000, 1024).checkRaftkvTakes(raftkv("")));
    assertTrue(overQuota.startsWith("--keys 4000000 x (16 + 1024) bytes = 4160000000 bytes is over the raftkv nodes' "
        + "raftkv.kv.quota-bytes of 2147483648 bytes (a.conf)"), overQuota);
    settings(4_000_000, 1024).checkRaftkvTakes(raftkv("raftkv.kv.quota-bytes = 4 GiB"));
  }

  @Test
  void etcdGetsAQuotaAndARequestBoundThatTakeThePrefill() {
    // the defaults: etcd as it ships
    assertEquals(2L << 30, EtcdCluster.quotaBackendBytes(settings(10_000, 100).prefillBytes()));
    assertEquals(3L << 19, EtcdCluster.maxRequestBytes(100));
    // 2,000,000 x 1,040 bytes: four times that, just under etcd's advised 8 GiB; 3,000,000: capped at it
    assertEquals(8_320_000_000L, EtcdCluster.quotaBackendBytes(settings(2_000_000, 1024).prefillBytes()));
    assertEquals(8L << 30, EtcdCluster.quotaBackendBytes(settings(3_000_000, 1024).prefillBytes()));
    assertEquals(4L * 1_000_000 * 1040, EtcdCluster.quotaBackendBytes(settings(1_000_000, 1024).prefillBytes()));
    // a value of 1.5 MiB, raftkv's limit, needs room for its key and framing beyond etcd's default
    assertEquals((3L << 19) + (64 << 10), EtcdCluster.maxRequestBytes(BenchSettings.MAX_VALUE_BYTES));
  }
}
