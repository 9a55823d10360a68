package io.raftkv.security;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The API tokens of the HTTP API, as a tokens file lists them:
 * <pre>
 * raftkv.auth.tokens = [
 *   { name = "admin", role = "admin", sha256 = "&lt;hex&gt;" }
 *   { name = "reader", role = "read-only", sha256 = "&lt;hex&gt;" }
 * ]
 * </pre>
 * A token is {@code rkv_} and 32 random bytes in base64url ({@link #newToken}); the file keeps only
 * its SHA-256 ({@link TokenEntry}). A plain hash, not a slow password hash, is enough: 256 random bits
 * cannot be guessed from it, and a fast hash keeps each request's check cheap. The file is HOCON,
 * read with Typesafe Config like the rest of the configuration; {@link #append} adds an entry with
 * {@code +=}, which leaves whatever the operator wrote in it as it was.
 */
public final class Tokens {
  public static final String KEY = "raftkv.auth.tokens";
  public static final String PREFIX = "rkv_";
  private static final Set<String> FIELDS = Set.of("name", "role", "sha256");

  private final List<TokenEntry> entries;
  private final List<byte[]> digests;

  private Tokens(List<TokenEntry> entries) {
    this.entries = List.copyOf(entries);
    this.digests = this.entries.stream().map(TokenEntry::digest).toList();
  }

  /** A new token: {@code rkv_} then 32 bytes of {@link java.security.SecureRandom} in base64url without padding. */
  public static String newToken() {
    byte[] random = new byte[32];
    Keys.RANDOM.nextBytes(random);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  /** The SHA-256 of the token's UTF-8 bytes, in lowercase hex: what tokens.conf keeps. */
  public static String sha256Hex(String token) {
    return HexFormat.of().formatHex(sha256(token));
  }

  /** Reads and validates a tokens file; every refusal names the file, and the entry where it is one's. */
  public static Tokens load(Path file) {
    if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + ": no such tokens file");
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), file);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot be read: " + e, e);
    }
  }

  /** The tokens {@code text} lists, refusals naming {@code file} as where it comes from. */
  private static Tokens parse(String text, Path file) {
    Config config;
    try {
      config = ConfigFactory.parseString(text, ConfigParseOptions.defaults().setOriginDescription(file.toString())).resolve();
    } catch (ConfigException e) {
      throw new IllegalArgumentException(e.getMessage(), e); // names the file (the origin) and the line
    }
    if (!config.hasPath(KEY)) throw new IllegalArgumentException(file + ": no setting " + KEY);
    List<? extends Config> list;
    try {
      list = config.getConfigList(KEY);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(file + ": " + KEY + " must be a list of { name, role, sha256 }: " + e.getMessage(), e);
    }
    List<TokenEntry> entries = new ArrayList<>();
    Map<String, Integer> names = new HashMap<>();
    Map<String, Integer> hashes = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String where = file + ": " + KEY + "[" + i + "]";
      TokenEntry entry = entry(list.get(i), where);
      where += " (name '" + entry.name() + "')";
      Integer sameName = names.putIfAbsent(entry.name(), i);
      if (sameName != null) throw new IllegalArgumentException(where + ": the name is also entry [" + sameName + "]'s; names must be unique");
      Integer sameHash = hashes.putIfAbsent(entry.sha256(), i);
      if (sameHash != null) throw new IllegalArgumentException(where + ": the same token as entry [" + sameHash + "]");
      entries.add(entry);
    }
    return new Tokens(entries);
  }

  private static TokenEntry entry(Config c, String where) {
    Set<String> unknown = c.root().keySet().stream().filter(k -> !FIELDS.contains(k)).collect(Collectors.toSet());
    if (!unknown.isEmpty()) throw new IllegalArgumentException(where + ": unknown field(s) " + unknown + "; an entry has name, role, sha256");
    for (String field : FIELDS) {
      if (!c.hasPath(field)) throw new IllegalArgumentException(where + ": no " + field);
    }
    String name = c.getString("name");
    String roleName = c.getString("role");
    Role role = Role.parse(roleName).orElseThrow(() -> new IllegalArgumentException(
        where + " (name '" + name + "'): unknown role '" + roleName + "' (one of " + Role.names() + ")"));
    try {
      return new TokenEntry(name, role, c.getString("sha256"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  public List<TokenEntry> entries() {
    return entries;
  }

  public Optional<TokenEntry> entry(String name) {
    return entries.stream().filter(e -> e.name().equals(name)).findFirst();
  }

  /**
   * The entry of the presented token, if any. Constant-time in what matters: the token is hashed,
   * and the hash compared with every entry's by {@link MessageDigest#isEqual}, without stopping at a
   * match, so the time taken tells neither how much of a hash matched nor which entry did.
   */
  public Optional<TokenEntry> find(String presentedToken) {
    if (presentedToken == null) return Optional.empty();
    byte[] presented = sha256(presentedToken);
    TokenEntry found = null;
    for (int i = 0; i < entries.size(); i++) {
      if (MessageDigest.isEqual(presented, digests.get(i)) && found == null) found = entries.get(i);
    }
    return Optional.ofNullable(found);
  }

  /** Writes a new tokens file listing {@code entries}; it holds hashes only, so it is readable by all. */
  public static void write(Path file, List<TokenEntry> entries) throws IOException {
    StringBuilder text = new StringBuilder(HEADER).append(KEY).append(" = [\n");
    for (TokenEntry e : entries) text.append("  ").append(e.toHocon()).append('\n');
    text.append("]\n");
    SecretFiles.writePublic(file, text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Adds {@code entry} at the end of an existing tokens file; refuses a name or token it already has.
   * The file with the entry is validated as {@link #load} would before it replaces the old one, so a
   * file that loaded still loads.
   */
  public static void append(Path file, TokenEntry entry) throws IOException {
    if (load(file).entry(entry.name()).isPresent()) {
      throw new IllegalArgumentException(file + ": there is a token named '" + entry.name() + "' already");
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String separator = text.isEmpty() || text.endsWith("\n") ? "" : "\n";
    String appended = text + separator + KEY + " += " + entry.toHocon() + "\n";
    parse(appended, file);
    SecretFiles.writePublic(file, appended.getBytes(StandardCharsets.UTF_8));
  }

  private static final String HEADER = """
      # The API tokens of the HTTP API: a name, a role (read-only, read-write or admin) and the SHA-256
      # of the token in hex. The tokens themselves are not kept here, so this file is no secret.
      # Nodes read it when they start.
      # Add a token with: raftkv certs token NAME --role ROLE
      """;

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
