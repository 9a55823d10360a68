package io.raftkv.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.security.CertificateIdentity;
import io.raftkv.security.PemFiles;
import io.raftkv.security.Role;
import io.raftkv.security.SessionTags;
import io.raftkv.security.Tokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code raftkv certs init} and {@code certs token} on a cluster file of a temporary directory, run in-process. */
class CertsCommandTest {
  private static final List<String> KEYS_AND_TOKENS = List.of("tls/ca.key", "tls/node-1.key", "tls/node-2.key", "tls/client-admin.key",
      "tls/session.key", "run/admin.token", "run/writer.token", "run/reader.token");
  private static final List<String> PUBLIC = List.of("tls/ca.pem", "tls/node-1.pem", "tls/node-2.pem", "tls/client-admin.pem", "tls/tokens.conf");
  @TempDir Path dir;
  private Path clusterFile;

  @BeforeEach
  void cluster() throws IOException {
    clusterFile = cluster(node(1, "127.0.0.1"), node(2, "10.0.0.2"));
  }

  private static String node(int id, String host) {
    return "{ id = " + id + ", host = \"" + host + "\", artery-port = " + (25520 + id) + ", http-port = " + (8080 + id)
        + ", data-dir = \"data/node-" + id + "\" }";
  }

  private Path cluster(String... nodes) throws IOException {
    return Files.writeString(dir.resolve("cluster.conf"), "raftkv.cluster.nodes = [\n  " + String.join("\n  ", nodes) + "\n]\n");
  }

  private CliRun init(String... more) {
    List<String> args = new ArrayList<>(List.of("certs", "init", "-f", clusterFile.toString(), "--dir", dir.resolve("tls").toString(),
        "--run-dir", dir.resolve("run").toString()));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  private Path at(String name) {
    return dir.resolve(name);
  }

  /** Every file under tls/ and run/ with its bytes, by name. */
  private Map<String, byte[]> snapshot() throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    for (String sub : List.of("tls", "run")) {
      try (Stream<Path> list = Files.list(at(sub))) {
        for (Path p : list.toList()) files.put(sub + "/" + p.getFileName(), Files.readAllBytes(p));
      }
    }
    return files;
  }

  private static long lines(CliRun run, String start) {
    return run.out().lines().filter(l -> l.startsWith(start)).count();
  }

  @Test
  void initWritesTheCaEveryNodesPairTheAdminClientAndTokensWithSecretsOwnerOnly() throws Exception {
    CliRun run = init();
    assertEquals(ExitCodes.OK, run.code(), run::toString);
    assertEquals(KEYS_AND_TOKENS.size() + PUBLIC.size(), snapshot().size(), "nothing else: " + snapshot().keySet());
    assertEquals(snapshot().size(), lines(run, "wrote  "), "one line per file written");
    for (String secret : KEYS_AND_TOKENS) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(at(secret))), secret);
    }
    for (String open : PUBLIC) assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(at(open))), open);

    X509Certificate ca = PemFiles.readCertificate(at("tls/ca.pem"));
    List<X509Certificate> node2 = PemFiles.readCertificates(at("tls/node-2.pem"));
    assertEquals(List.of(OptionalInt.of(2), ca), List.of(CertificateIdentity.nodeId(node2.get(0)), node2.get(1)), "node 2's, then the CA's");
    assertTrue(node2.get(0).getSubjectAlternativeNames().contains(List.of(7, "10.0.0.2")));
    assertEquals(ca.getSubjectX500Principal(), node2.get(0).getIssuerX500Principal());
    node2.get(0).verify(ca.getPublicKey());

    Tokens tokens = Tokens.load(at("tls/tokens.conf"));
    assertEquals(Role.ADMIN, tokens.find(Files.readString(at("run/admin.token")).strip()).orElseThrow().role());
    assertEquals(Role.READ_WRITE, tokens.find(Files.readString(at("run/writer.token")).strip()).orElseThrow().role());
    assertEquals(Role.READ_ONLY, tokens.find(Files.readString(at("run/reader.token")).strip()).orElseThrow().role());
    assertFalse(Files.readString(at("tls/tokens.conf")).contains(Files.readString(at("run/admin.token")).strip()), "hashes only");
    assertEquals(SessionTags.KEY_BYTES, Files.size(at("tls/session.key")));

    assertTrue(run.out().contains("raftkv.tls.enabled = on"), run.out());
    assertTrue(run.out().contains("The admin API token:      " + at("run/admin.token")), run.out());
  }

  @Test
  void runAgainItKeepsEverythingAndANodeAddedToTheFileGetsItsPairOnly() throws Exception {
    assertEquals(ExitCodes.OK, init().code());
    Map<String, byte[]> first = snapshot();
    CliRun again = init();
    assertEquals(ExitCodes.OK, again.code(), again::toString);
    assertEquals(0, lines(again, "wrote  "), again.out());
    assertEquals(first.size(), lines(again, "kept   "), again.out());
    assertSame(first, snapshot());

    clusterFile = cluster(node(1, "127.0.0.1"), node(2, "10.0.0.2"), node(3, "10.0.0.3"));
    CliRun grown = init();
    assertEquals(ExitCodes.OK, grown.code(), grown::toString);
    assertEquals(List.of("wrote  " + at("tls/node-3.key"), "wrote  " + at("tls/node-3.pem") + "  node 3 at 10.0.0.3"),
        grown.out().lines().filter(l -> l.startsWith("wrote  ")).map(l -> l.replaceAll(", valid until.*", "")).toList());
    Map<String, byte[]> after = snapshot();
    after.remove("tls/node-3.pem");
    after.remove("tls/node-3.key");
    assertSame(first, after);
    assertEquals(OptionalInt.of(3), CertificateIdentity.nodeId(PemFiles.readCertificate(at("tls/node-3.pem"))));
  }

  @Test
  void aPairThatNoLongerFitsIsIssuedAgainUnderTheSameCa() throws Exception {
    assertEquals(ExitCodes.OK, init().code());
    byte[] ca = Files.readAllBytes(at("tls/ca.pem"));
    Files.copy(at("tls/node-1.key"), at("tls/node-2.key"), StandardCopyOption.REPLACE_EXISTING);
    clusterFile = cluster(node(1, "10.0.0.1"), node(2, "10.0.0.2")); // node 1 moved
    CliRun run = init();
    assertEquals(ExitCodes.OK, run.code(), run::toString);
    assertTrue(run.out().contains("node-1.pem  node 1 at 10.0.0.1") && run.out().contains("it named another node, client or host"), run.out());
    assertTrue(run.out().contains("its key did not belong to it"), run.out());
    assertEquals(4, lines(run, "wrote  "), run.out());
    assertArrayEquals(ca, Files.readAllBytes(at("tls/ca.pem")));
    assertTrue(PemFiles.readCertificate(at("tls/node-1.pem")).getSubjectAlternativeNames().contains(List.of(7, "10.0.0.1")));
  }

  @Test
  void aSessionKeyThatIsNoKeyIsWrittenAgainAndAGoodOneKept() throws Exception {
    assertEquals(ExitCodes.OK, init().code());
    Files.write(at("tls/session.key"), new byte[] {1, 2, 3});
    CliRun run = init();
    assertEquals(ExitCodes.OK, run.code(), run::toString);
    assertTrue(run.out().contains("wrote  " + at("tls/session.key")) && run.out().contains("it held 3 bytes, not 32"), run.out());
    assertEquals(1, lines(run, "wrote  "), run.out());
    assertEquals(SessionTags.KEY_BYTES, Files.size(at("tls/session.key")));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(at("tls/session.key"))));
    byte[] key = Files.readAllBytes(at("tls/session.key"));
    assertEquals(0, lines(init(), "wrote  "));
    assertArrayEquals(key, Files.readAllBytes(at("tls/session.key")), "kept on a re-run");
  }

  @Test
  void forceMakesEverythingNew() throws Exception {
    assertEquals(ExitCodes.OK, init().code());
    Map<String, byte[]> first = snapshot();
    CliRun forced = init("--force");
    assertEquals(ExitCodes.OK, forced.code(), forced::toString);
    Map<String, byte[]> second = snapshot();
    assertEquals(first.keySet(), second.keySet());
    for (String name : first.keySet()) assertFalse(Arrays.equals(first.get(name), second.get(name)), name + " is new");
    assertEquals(first.size(), lines(forced, "wrote  "));
  }

  @Test
  void aTokenWhoseFileIsGoneIsKeptAndSaidSo() throws Exception {
    assertEquals(ExitCodes.OK, init().code());
    Files.delete(at("run/reader.token"));
    CliRun run = init();
    assertEquals(ExitCodes.OK, run.code(), run::toString);
    assertTrue(run.out().contains("note   " + at("run/reader.token") + " is missing"), run.out());
    assertEquals(0, lines(run, "wrote  "), run.out());
  }

  @Test
  void whatCannotBeUsedIsRefusedWithExitCodeTwo() throws Exception {
    CliRun noFile = CliRun.of("certs", "init", "-f", at("none.conf").toString(), "--dir", at("tls").toString());
    assertEquals(ExitCodes.USAGE, noFile.code());
    assertTrue(noFile.err().contains("none.conf"), noFile.err());
    clusterFile = cluster(node(1, "127.0.0.1"), node(1, "127.0.0.2"));
    CliRun duplicate = init();
    assertEquals(ExitCodes.USAGE, duplicate.code());
    assertTrue(duplicate.err().contains("duplicate id 1"), duplicate.err());

    clusterFile = cluster(node(1, "127.0.0.1"));
    assertEquals(ExitCodes.OK, init().code());
    Files.delete(at("tls/ca.key"));
    CliRun halfCa = init();
    assertEquals(ExitCodes.USAGE, halfCa.code());
    assertTrue(halfCa.err().contains(at("tls/ca.key") + " is missing while " + at("tls/ca.pem") + " exists"), halfCa.err());
    assertEquals(ExitCodes.OK, init("--force").code(), "--force starts over");
  }

  @Test
  void tokenMintsOneAddsItsHashAndPrintsItOnce() throws Exception {
    String tls = at("tls").toString();
    CliRun missing = CliRun.of("certs", "token", "ci", "--role", "read-write", "--dir", tls);
    assertEquals(ExitCodes.USAGE, missing.code(), "no tokens.conf yet");
    assertEquals(ExitCodes.OK, init().code());
    CliRun minted = CliRun.of("certs", "token", "ci", "--role", "read-write", "--dir", tls);
    assertEquals(ExitCodes.OK, minted.code(), minted::toString);
    String token = minted.out().strip();
    assertTrue(token.matches("rkv_[A-Za-z0-9_-]{43}"), minted.out());
    assertTrue(minted.err().contains("start"), minted.err());
    assertEquals(Role.READ_WRITE, Tokens.load(at("tls/tokens.conf")).find(token).orElseThrow().role());
    assertEquals(4, Tokens.load(at("tls/tokens.conf")).entries().size());

    assertEquals(ExitCodes.USAGE, CliRun.of("certs", "token", "ci", "--role", "admin", "--dir", tls).code(), "the name is taken");
    assertEquals(ExitCodes.USAGE, CliRun.of("certs", "token", "ops", "--role", "root", "--dir", tls).code());
    assertEquals(ExitCodes.USAGE, CliRun.of("certs", "token", "two words", "--role", "admin", "--dir", tls).code());
    assertEquals(ExitCodes.USAGE, CliRun.of("certs", "token", "ops", "--dir", tls).code(), "--role is required");
    assertEquals(4, Tokens.load(at("tls/tokens.conf")).entries().size(), "nothing added by the refusals");

    CliRun again = init();
    assertEquals(0, lines(again, "wrote  "), "init keeps a tokens file that grew: " + again.out());
    assertEquals(4, Tokens.load(at("tls/tokens.conf")).entries().size());
  }

  @Test
  void anEmptyTokensFileOfOnesOwnTakesTokens() throws Exception {
    // docs/SECURITY.md, "A company CA": without ca.key, tokens.conf starts empty and 'certs token' fills it.
    Files.createDirectories(at("tls"));
    Files.writeString(at("tls/tokens.conf"), "raftkv.auth.tokens = []\n");
    CliRun minted = CliRun.of("certs", "token", "admin", "--role", "admin", "--dir", at("tls").toString());
    assertEquals(ExitCodes.OK, minted.code(), minted::toString);
    assertEquals(Role.ADMIN, Tokens.load(at("tls/tokens.conf")).find(minted.out().strip()).orElseThrow().role());
  }

  private static void assertSame(Map<String, byte[]> expected, Map<String, byte[]> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    for (String name : expected.keySet()) assertArrayEquals(expected.get(name), actual.get(name), name + " changed");
  }
}
