package io.raftkv.profiling.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class GatlingOptionsTest {
  private static String rejected(GatlingOptions o) {
    return assertThrows(IllegalArgumentException.class, o::validate).getMessage();
  }

  @Test
  void theDefaultsAreValidAndMapToTheSimulationClasses() {
    assertEquals("io.raftkv.gatling.PutSimulation", GatlingOptions.defaults("put").validate().simulationClass());
    assertEquals("io.raftkv.gatling.MixedSimulation", GatlingOptions.defaults("mixed").validate().simulationClass());
    assertEquals("io.raftkv.gatling.ReadHeavySimulation", GatlingOptions.defaults("read-heavy").validate().simulationClass());
    assertEquals("io.raftkv.gatling.StressSimulation", GatlingOptions.defaults("stress").validate().simulationClass());
  }

  @Test
  void systemPropertiesCarryEverySetOption() {
    assertEquals(List.of("-Dusers=16", "-Dduration=30s", "-Durls=http://127.0.0.1:8081,http://127.0.0.1:8082,http://127.0.0.1:8083",
            "-Dkeys=10000", "-DmaxFailedPct=0.0", "-Dseed=1", "-Dworkload=mixed"),
        GatlingOptions.defaults("mixed").systemProperties());
    GatlingOptions o = GatlingOptions.defaults("put").withRate(OptionalDouble.of(200)).withOpsPerUser(OptionalInt.of(5))
        .withDuration(Duration.ofMillis(1500)).withUrls(List.of("http://127.0.0.1:8091")).withKeySpace(50)
        .withValueSize(OptionalInt.of(128)).withMaxFailedPct(2.5).withSeed(-7).withWorkload("put");
    assertEquals(List.of("-Dusers=16", "-Drate=200.0", "-Dops=5", "-Dduration=1500ms", "-Durls=http://127.0.0.1:8091", "-Dkeys=50",
        "-DvalueSize=128", "-DmaxFailedPct=2.5", "-Dseed=-7", "-Dworkload=put"), o.systemProperties());
  }

  @Test
  void badOptionsAreRejectedWithTheOptionsName() {
    GatlingOptions d = GatlingOptions.defaults("mixed");
    assertEquals("simulation must be one of put, mixed, read-heavy, stress, got \"reads\"", rejected(GatlingOptions.defaults("reads")));
    assertEquals("users must be a positive integer, got \"0\"", rejected(d.withUsers(0)));
    assertEquals("rate must be a positive number of users per second, got \"-1.0\"", rejected(d.withRate(OptionalDouble.of(-1))));
    assertEquals("rate must be a positive number of users per second, got \"NaN\"", rejected(d.withRate(OptionalDouble.of(Double.NaN))));
    assertEquals("opsPerUser must be a positive integer, got \"0\"", rejected(d.withOpsPerUser(OptionalInt.of(0))));
    assertEquals("duration must be at least 1 ms, got \"PT0S\"", rejected(d.withDuration(Duration.ZERO)));
    assertEquals("duration must be at least 1 ms, got \"null\"", rejected(d.withDuration(null)));
    assertEquals("urls must list at least one gateway URL such as http://127.0.0.1:8081", rejected(d.withUrls(List.of())));
    assertEquals("urls must be base URLs such as http://127.0.0.1:8081 (no path), got \"127.0.0.1:8081\"",
        rejected(d.withUrls(List.of("127.0.0.1:8081"))));
    assertEquals("urls must be base URLs such as http://127.0.0.1:8081 (no path), got \"http://127.0.0.1:8081/v1/kv\"",
        rejected(d.withUrls(List.of("http://127.0.0.1:8081/v1/kv"))));
    assertEquals("urls must be base URLs such as http://127.0.0.1:8081 (no path), got \"http://a:1,http://b:2\"",
        rejected(d.withUrls(List.of("http://a:1,http://b:2"))));
    assertEquals("keySpace must be a positive integer, got \"-3\"", rejected(d.withKeySpace(-3)));
    assertEquals("valueSize must be a positive number of bytes, got \"0\"", rejected(d.withValueSize(OptionalInt.of(0))));
    assertEquals("maxFailedPct must be a percentage from 0 to 100, got \"100.5\"", rejected(d.withMaxFailedPct(100.5)));
    assertEquals("workload must be put or mixed, got \"get\"", rejected(d.withWorkload("get")));
    assertEquals("rate does not apply to the stress simulation (a closed model of users x ops)",
        rejected(GatlingOptions.defaults("stress").withRate(OptionalDouble.of(10))));
  }

  @Test
  void systemPropertiesValidateFirst() {
    assertThrows(IllegalArgumentException.class, () -> GatlingOptions.defaults("mixed").withUsers(-1).systemProperties());
  }

  @Test
  void describeIsShort() {
    assertEquals("mixed: 16 users, 30s, 3 urls", GatlingOptions.defaults("mixed").describe());
    assertEquals("stress: 4 users, 100 ops/user, 10m, 1 url, workload put", GatlingOptions.defaults("stress").withUsers(4)
        .withOpsPerUser(OptionalInt.of(100)).withDuration(Duration.ofMinutes(10)).withUrls(List.of("http://127.0.0.1:8091"))
        .withWorkload("put").describe());
  }
}
