package io.raftkv.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.client.FakeGateway;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** put, get, append, delete, cas, scan and status against a fake node: output and exit codes. */
@Timeout(60)
class ClientCommandsTest {
  @TempDir Path dir;
  private FakeGateway node;

  @BeforeEach
  void start() throws IOException {
    node = new FakeGateway();
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private CliRun run(String... args) {
    String[] full = new String[args.length + 2];
    System.arraycopy(args, 0, full, 0, args.length);
    full[args.length] = "--nodes";
    full[args.length + 1] = node.url().toString();
    return CliRun.of(full);
  }

  @Test
  void putThenGetPrintsTheRawValue() {
    CliRun put = run("put", "k 1", "héllo\nworld");
    assertEquals(ExitCodes.OK, put.code(), put.toString());
    assertEquals("OK\n", put.out());
    CliRun get = run("get", "k 1");
    assertEquals(ExitCodes.OK, get.code(), get.toString());
    assertArrayEquals("héllo\nworld".getBytes(StandardCharsets.UTF_8), get.outBytes());
    assertEquals("", get.err());
    CliRun serializable = run("get", "k 1", "--serializable");
    assertEquals(ExitCodes.OK, serializable.code());
    assertTrue(node.requests().get(node.requests().size() - 1).query().contains("serializable"));
  }

  @Test
  void refusedCredentialsAreExitCodeEightSayingWhatToDo() {
    node.requireToken("rkv_right", false);
    CliRun none = run("put", "k", "v");
    assertEquals(ExitCodes.DENIED, none.code(), none.toString());
    assertTrue(none.err().startsWith("raftkv put: not authenticated (401): the cluster asks for an API token: give --token TOKEN or set RAFTKV_TOKEN"),
        none.err());
    CliRun wrong = run("get", "k", "--token", "rkv_wrong");
    assertEquals(ExitCodes.DENIED, wrong.code(), wrong.toString());
    assertTrue(wrong.err().contains("not authenticated (401): the cluster does not accept this token"), wrong.err());
    assertTrue(!wrong.err().contains("rkv_wrong"), "the token is printed: " + wrong.err());
    assertEquals(ExitCodes.OK, run("put", "k", "v", "--token", "rkv_right").code());

    node.requireToken("rkv_reader", true);
    CliRun get = run("get", "k", "--token", "rkv_reader");
    assertEquals(ExitCodes.OK, get.code(), get.toString());
    CliRun put = run("put", "k", "w", "--token", "rkv_reader");
    assertEquals(ExitCodes.DENIED, put.code(), put.toString());
    assertTrue(put.err().startsWith("raftkv put: not allowed (403): the token 'reader' has the role read-only"), put.err());
    assertEquals("v", new String(node.value("k"), StandardCharsets.UTF_8));
    CliRun status = run("member", "remove", "2", "--token", "rkv_reader");
    assertEquals(ExitCodes.DENIED, status.code(), status.toString());
  }

  @Test
  void aMissingKeyIsExitCodeOneWithTheReasonOnStderr() {
    CliRun get = run("get", "nope");
    assertEquals(ExitCodes.NO, get.code(), get.toString());
    assertEquals("", get.out());
    assertEquals("raftkv get: not found: nope\n", get.err());
    CliRun delete = run("delete", "nope");
    assertEquals(ExitCodes.NO, delete.code(), delete.toString());
  }

  @Test
  void appendAndDelete() {
    assertEquals(ExitCodes.OK, run("append", "a", "x").code());
    assertEquals(ExitCodes.OK, run("append", "a", "y").code());
    assertEquals("xy", new String(node.value("a"), StandardCharsets.UTF_8));
    CliRun delete = run("delete", "a");
    assertEquals(ExitCodes.OK, delete.code(), delete.toString());
    assertEquals("OK\n", delete.out());
    assertEquals(null, node.value("a"));
  }

  @Test
  void casSwapsOrSaysWhatItFound() {
    assertEquals(ExitCodes.OK, run("cas", "c", "1").code(), "missing is expected by default");
    CliRun again = run("cas", "c", "2", "--expect-missing");
    assertEquals(ExitCodes.NO, again.code(), again.toString());
    assertEquals("raftkv cas: c holds 1; nothing written\n", again.err());
    assertEquals(ExitCodes.OK, run("cas", "c", "2", "--expected", "1").code());
    assertEquals("2", new String(node.value("c"), StandardCharsets.UTF_8));
    CliRun missing = run("cas", "d", "2", "--expected", "1");
    assertEquals(ExitCodes.NO, missing.code());
    assertEquals("raftkv cas: d is missing; nothing written\n", missing.err());
    CliRun both = run("cas", "c", "3", "--expected", "2", "--expect-missing");
    assertEquals(ExitCodes.USAGE, both.code(), both.toString());
  }

  @Test
  void scanListsKeysInOrderAndSaysWhenMoreFollow() {
    node.store("b2", "v2");
    node.store("b1", "v1");
    node.store("a", "x");
    node.store("bin", "\u0001");
    CliRun scan = run("scan", "--prefix", "b");
    assertEquals(ExitCodes.OK, scan.code(), scan.toString());
    assertEquals("b1\tv1\nb2\tv2\nbin\tbase64:AQ==\n", scan.out());
    assertEquals("", scan.err());
    CliRun limited = run("scan", "--limit", "1");
    assertEquals("a\tx\n", limited.out());
    assertTrue(limited.err().contains("more keys follow"), limited.err());
    assertEquals(ExitCodes.USAGE, run("scan", "--limit", "0").code());
  }

  @Test
  void statusPrintsATableWithTheLeaderMarked() {
    CliRun status = run("status");
    assertEquals(ExitCodes.OK, status.code(), status.toString());
    String[] lines = status.out().split("\n");
    assertEquals("leader: node 1, term 3", lines[0]);
    assertEquals("NODE  ROLE      TERM  COMMIT  APPLIED  STATE    QUOTA    ALARM    REACHABLE  HTTP", lines[1]);
    assertEquals("1 *   LEADER    3     10      10       2.5 GiB  2.0 GiB  NOSPACE  yes        " + node.url(), lines[2]);
    assertEquals("2     FOLLOWER  3     9       8        -        -        -        no         http://127.0.0.1:1", lines[3]);
  }

  @Test
  void aClusterFileNamesTheNodes() throws IOException {
    Path file = Files.writeString(dir.resolve("cluster.conf"), "raftkv.cluster.nodes = [ { id = 1, host = \"127.0.0.1\", "
        + "http-port = " + node.url().getPort() + " } ]\n");
    CliRun put = CliRun.of("put", "-f", file.toString(), "k", "v");
    assertEquals(ExitCodes.OK, put.code(), put.toString());
    assertEquals("v", new String(node.value("k"), StandardCharsets.UTF_8));
    CliRun missing = CliRun.of("get", "-f", dir.resolve("none.conf").toString(), "k");
    assertEquals(ExitCodes.USAGE, missing.code(), missing.toString());
    assertTrue(missing.err().contains("none.conf"), missing.err());
    CliRun both = CliRun.of("get", "-f", file.toString(), "--nodes", node.url().toString(), "k");
    assertEquals(ExitCodes.USAGE, both.code(), both.toString());
  }

  @Test
  void exitCodesForTheClustersFailures() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    CliRun unreachable = CliRun.of("get", "k", "--nodes", "http://127.0.0.1:" + closed, "--timeout", "300ms");
    assertEquals(ExitCodes.UNREACHABLE, unreachable.code(), unreachable.toString());
    assertTrue(unreachable.err().startsWith("raftkv get: the cluster could not be reached"), unreachable.err());

    node.hang();
    CliRun timeout = run("get", "k", "--timeout", "300ms");
    assertEquals(ExitCodes.UNKNOWN, timeout.code(), timeout.toString());
    assertTrue(timeout.err().contains("outcome is unknown"), timeout.err());
  }

  @Test
  void aWriteRefusedByTheSpaceQuotaExitsFiveNamingTheSetting() {
    node.quotaBytes(4);
    assertEquals(ExitCodes.OK, run("put", "k", "1234").code()); // 5 bytes, over the quota of 4
    CliRun full = run("put", "k2", "v");
    assertEquals(ExitCodes.NO_SPACE, full.code(), full.toString());
    assertTrue(full.err().startsWith("raftkv put: refused, nothing written: the cluster is out of space: the state is 5 bytes, "
        + "over raftkv.kv.quota-bytes = 4 bytes"), full.err());
    assertEquals(ExitCodes.NO_SPACE, run("append", "k", "5").code());
    assertEquals(ExitCodes.OK, run("delete", "k").code());
    assertEquals(ExitCodes.OK, run("put", "k2", "v").code());
  }

  @Test
  void refusalsAndBadOptionsAreUsageErrors() {
    CliRun tooLarge = run("put", "k".repeat(FakeGateway.KEY_BYTES_MAX + 1), "v");
    assertEquals(ExitCodes.USAGE, tooLarge.code(), tooLarge.toString());
    assertTrue(tooLarge.err().contains("413"), tooLarge.err());
    assertEquals(ExitCodes.USAGE, run("put", "k").code());
    assertEquals(ExitCodes.USAGE, run("get", "k", "--timeout", "soon").code());
    assertEquals(ExitCodes.USAGE, run("get", "k", "--timeout", "0s").code());
    assertEquals(ExitCodes.USAGE, CliRun.of("get", "k", "--nodes", "not a url").code());
  }

  @Test
  void everyCommandHasHelp() {
    for (String command : new String[] {"put", "get", "append", "delete", "cas", "scan", "status"}) {
      CliRun help = CliRun.of(command, "--help");
      assertEquals(ExitCodes.OK, help.code(), command);
      assertTrue(help.out().contains("--cluster-file") && help.out().contains("--nodes")
          && help.out().contains("--timeout") && help.out().contains("Exit codes"), help.out());
      assertTrue(CliRun.of("--help").out().contains(command));
    }
  }
}
