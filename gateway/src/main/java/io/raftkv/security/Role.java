package io.raftkv.security;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What an API token may do. The roles nest, in declaration order: each allows what the ones before it
 * allow, so a check names the least role an action needs ({@link #allows}).
 */
public enum Role {
  /** Reads: get, scan, status. */
  READ_ONLY("read-only"),
  /** Reads and writes of keys. */
  READ_WRITE("read-write"),
  /** Everything, membership changes included. */
  ADMIN("admin");

  private final String configName;

  Role(String configName) {
    this.configName = configName;
  }

  /** The role's name in tokens.conf and on the command line: read-only, read-write, admin. */
  public String configName() {
    return configName;
  }

  /** Whether this role may do what {@code needed} may. */
  public boolean allows(Role needed) {
    return compareTo(needed) >= 0;
  }

  /** The role named {@code configName}, if there is one. */
  public static Optional<Role> parse(String configName) {
    return Arrays.stream(values()).filter(r -> r.configName.equals(configName)).findFirst();
  }

  /** The names there are, for messages: "read-only, read-write, admin". */
  public static String names() {
    return Arrays.stream(values()).map(Role::configName).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return configName;
  }
}
