package io.raftkv.security;

import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One API token as tokens.conf holds it: a name (for logs and audits), a role, and the SHA-256 of
 * the token in hex, never the token itself, so that the file is no secret and a node that leaks it
 * leaks no credential. Valid by construction: each refusal says what is wrong.
 */
public record TokenEntry(String name, Role role, String sha256) {
  private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

  public TokenEntry {
    if (name == null || !CertificateIdentity.NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("name '" + name + "' must be 1-64 of A-Z a-z 0-9 _ . -");
    }
    if (role == null) throw new IllegalArgumentException("no role (one of " + Role.names() + ")");
    if (sha256 == null || !HEX_SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException("sha256 must be 64 hex digits (the SHA-256 of the token), not '" + sha256 + "'");
    }
    sha256 = sha256.toLowerCase(Locale.ROOT);
  }

  byte[] digest() {
    return HexFormat.of().parseHex(sha256);
  }

  /** This entry as one HOCON object, the way tokens.conf lists it. */
  String toHocon() {
    return "{ name = \"" + name + "\", role = \"" + role.configName() + "\", sha256 = \"" + sha256 + "\" }";
  }
}
