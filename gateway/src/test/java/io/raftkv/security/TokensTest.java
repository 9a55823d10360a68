package io.raftkv.security;

import static io.raftkv.security.Refusals.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** API tokens: their form, the tokens file's validation, and finding a presented token's entry. */
class TokensTest {
  private static final String ZEROS = "0".repeat(64);
  @TempDir Path dir;

  private Path file(String entries) throws IOException {
    return Files.writeString(dir.resolve("tokens.conf"), "raftkv.auth.tokens = [\n" + entries + "\n]\n");
  }

  private static String entry(String name, String role, String sha256) {
    return "{ name = \"" + name + "\", role = \"" + role + "\", sha256 = \"" + sha256 + "\" }";
  }

  @Test
  void aNewTokenIs32RandomBytesInBase64UrlAfterThePrefix() {
    String token = Tokens.newToken();
    assertTrue(token.matches("rkv_[A-Za-z0-9_-]{43}"), token);
    assertNotEquals(token, Tokens.newToken());
  }

  @Test
  void theHashIsTheSha256OfTheTokenInLowercaseHex() {
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Tokens.sha256Hex("abc"));
  }

  @Test
  void findAnswersWithTheEntryOfThePresentedTokenOnly() throws IOException {
    String admin = Tokens.newToken();
    String reader = Tokens.newToken();
    Tokens tokens = Tokens.load(file(entry("admin", "admin", Tokens.sha256Hex(admin)) + "\n"
        + entry("reader", "read-only", Tokens.sha256Hex(reader).toUpperCase())));
    assertEquals(Optional.of(new TokenEntry("admin", Role.ADMIN, Tokens.sha256Hex(admin))), tokens.find(admin));
    assertEquals(Role.READ_ONLY, tokens.find(reader).orElseThrow().role(), "an uppercase hash is read as the same");
    assertEquals(Optional.empty(), tokens.find(admin + "x"));
    assertEquals(Optional.empty(), tokens.find(Tokens.sha256Hex(admin)), "the hash is not the token");
    assertEquals(Optional.empty(), tokens.find(""));
    assertEquals(Optional.empty(), tokens.find(null));
  }

  @Test
  void writtenThenAppendedEntriesLoadInOrder() throws IOException {
    Path file = dir.resolve("tls/tokens.conf");
    Tokens.write(file, List.of(new TokenEntry("admin", Role.ADMIN, ZEROS)));
    String ci = Tokens.newToken();
    Tokens.append(file, new TokenEntry("ci", Role.READ_WRITE, Tokens.sha256Hex(ci)));
    Tokens tokens = Tokens.load(file);
    assertEquals(List.of("admin", "ci"), tokens.entries().stream().map(TokenEntry::name).toList());
    assertEquals(Role.READ_WRITE, tokens.find(ci).orElseThrow().role());
    assertRefused(file + ": there is a token named 'ci' already",
        () -> Tokens.append(file, new TokenEntry("ci", Role.ADMIN, "1".repeat(64))));
    assertRefused(file + ": " + Tokens.KEY + "[2] (name 'again'): the same token as entry [1]",
        () -> Tokens.append(file, new TokenEntry("again", Role.ADMIN, Tokens.sha256Hex(ci))));
  }

  @Test
  void anEntryThatCannotBeUsedIsRefusedByIndexAndName() throws IOException {
    Path f = file(entry("a", "admin", ZEROS) + "\n" + entry("a", "read-only", "1".repeat(64)));
    assertRefused(f + ": raftkv.auth.tokens[1] (name 'a'): the name is also entry [0]'s", () -> Tokens.load(f));
    Path role = file(entry("ops", "superuser", ZEROS));
    assertRefused(role + ": raftkv.auth.tokens[0] (name 'ops'): unknown role 'superuser' (one of read-only, read-write, admin)",
        () -> Tokens.load(role));
    Path hex = file(entry("ops", "admin", "abc"));
    assertRefused(hex + ": raftkv.auth.tokens[0]: sha256 must be 64 hex digits", () -> Tokens.load(hex));
    Path notHex = file(entry("ops", "admin", "g".repeat(64)));
    assertRefused(notHex + ": raftkv.auth.tokens[0]: sha256 must be 64 hex digits", () -> Tokens.load(notHex));
    Path name = file(entry("two words", "admin", ZEROS));
    assertRefused(name + ": raftkv.auth.tokens[0]: name 'two words' must be", () -> Tokens.load(name));
    Path tooLong = file(entry("x".repeat(65), "admin", ZEROS));
    assertRefused(tooLong + ": raftkv.auth.tokens[0]: name", () -> Tokens.load(tooLong));
    Path missing = file("{ name = \"ops\", role = \"admin\" }");
    assertRefused(missing + ": raftkv.auth.tokens[0]: no sha256", () -> Tokens.load(missing));
    Path typo = file("{ name = \"ops\", role = \"admin\", sha265 = \"" + ZEROS + "\" }");
    assertRefused(typo + ": raftkv.auth.tokens[0]: unknown field(s) [sha265]", () -> Tokens.load(typo));
  }

  @Test
  void aFileThatIsNoTokensFileIsRefusedNamingIt() throws IOException {
    assertRefused(dir.resolve("none.conf") + ": no such tokens file", () -> Tokens.load(dir.resolve("none.conf")));
    Path other = Files.writeString(dir.resolve("other.conf"), "raftkv.cluster.nodes = []\n");
    assertRefused(other + ": no setting raftkv.auth.tokens", () -> Tokens.load(other));
    Path syntax = Files.writeString(dir.resolve("syntax.conf"), "raftkv.auth.tokens = [ { name = \n");
    assertRefused(syntax + ": ", () -> Tokens.load(syntax));
    Path notList = Files.writeString(dir.resolve("notlist.conf"), "raftkv.auth.tokens = \"admin\"\n");
    assertRefused(notList + ": raftkv.auth.tokens must be a list", () -> Tokens.load(notList));
    assertTrue(Tokens.load(Files.writeString(dir.resolve("empty.conf"), "raftkv.auth.tokens = []\n")).entries().isEmpty(),
        "no tokens is a valid file: nothing is let in");
  }

  @Test
  void rolesNestAdminOverReadWriteOverReadOnly() {
    assertTrue(Role.ADMIN.allows(Role.ADMIN) && Role.ADMIN.allows(Role.READ_WRITE) && Role.ADMIN.allows(Role.READ_ONLY));
    assertTrue(Role.READ_WRITE.allows(Role.READ_WRITE) && Role.READ_WRITE.allows(Role.READ_ONLY));
    assertFalse(Role.READ_WRITE.allows(Role.ADMIN));
    assertTrue(Role.READ_ONLY.allows(Role.READ_ONLY));
    assertFalse(Role.READ_ONLY.allows(Role.READ_WRITE) || Role.READ_ONLY.allows(Role.ADMIN));
    assertEquals(Optional.of(Role.READ_WRITE), Role.parse("read-write"));
    assertEquals(Optional.empty(), Role.parse("READ_WRITE"), "the config names only");
  }
}
