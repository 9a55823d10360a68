package io.raftkv.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hosts on a private network of Linux network namespaces, for process-level partition tests.
 *
 * <p>Each host is a namespace with two veth pairs. Its cluster link goes to a bridge in a namespace
 * of its own, and carries {@code 10.A.B.i/24} (A and B random per run; the root namespace's
 * addresses and routes are checked not to use them). Its client link goes to the root namespace:
 * there the test process reaches the host at {@code 10.A.B.i} through a /32 route, from an address
 * {@code 10.A.B.(100+i)}, whatever state the cluster links are in. A host routes only to its own
 * root-side address over its client link and has no default route, so hosts reach each other
 * through the bridge alone (also where the root namespace forwards packets). {@link #isolate}
 * takes a host's cluster link down, cutting it off from every other host (and the kernel drops the
 * subnet's route with it); {@link #heal} brings it back up.
 *
 * <p>Namespace and link names carry a random tag, so runs do not clash, and stay within 15
 * characters. Needs root (network namespaces and veth links) and iproute2's {@code ip}; {@link
 * #create} says {@link Unavailable} when {@code ip netns add} is not permitted. {@link #close} stops
 * every process started in the hosts and deletes every namespace and link; a JVM shutdown hook does
 * the same if the JVM exits first. (A test JVM killed with SIGKILL leaves its namespaces, {@code
 * rkv-<tag>-*}, and the processes in them: {@code ip netns pids} lists those, {@code ip netns del}
 * removes a namespace.)
 */
final class NetnsHosts implements AutoCloseable {
  /** Network namespaces cannot be created here (not root, no {@code ip}): the test cannot run. */
  static final class Unavailable extends Exception {
    private static final long serialVersionUID = 1L;

    Unavailable(String message) {
      super(message);
    }
  }

  private static final long COMMAND_SECONDS = 15;
  private static final long STOP_SECONDS = 10;

  private final String tag;
  private final int count;
  private final String subnet; // "10.A.B."
  private final List<String> namespaces = new CopyOnWriteArrayList<>(); // as created
  private final List<String> rootLinks = new CopyOnWriteArrayList<>();
  private final List<Process> processes = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread hook = new Thread(this::cleanUp, "netns-hosts-cleanup");

  private NetnsHosts(String tag, int count, String subnet) {
    this.tag = tag;
    this.count = count;
    this.subnet = subnet;
  }

  /**
   * Creates {@code count} hosts (1 to 99), numbered from 1.
   *
   * @throws Unavailable when {@code ip netns add} is not permitted or {@code ip} is missing
   * @throws IOException when a later step fails (everything created so far is deleted)
   */
  static NetnsHosts create(int count) throws Unavailable, IOException {
    if (count < 1 || count > 99) throw new IllegalArgumentException("1 to 99 hosts, not " + count);
    SecureRandom random = new SecureRandom();
    byte[] bytes = new byte[3];
    random.nextBytes(bytes);
    String tag = HexFormat.of().formatHex(bytes); // 6 hex digits
    NetnsHosts hosts = new NetnsHosts(tag, count, freeSubnet(random));
    String first = hosts.bridgeNamespace();
    try {
      run("ip", "netns", "add", first);
    } catch (IOException e) {
      throw new Unavailable("cannot create a network namespace (" + e.getMessage().strip()
          + "); this test needs root and iproute2");
    }
    hosts.namespaces.add(first);
    Runtime.getRuntime().addShutdownHook(hosts.hook);
    try {
      hosts.build();
    } catch (IOException | RuntimeException e) {
      hosts.close();
      throw e;
    }
    return hosts;
  }

  /** A random 10.A.B.0/24 that no address or route of the root namespace mentions. */
  private static String freeSubnet(SecureRandom random) throws IOException {
    String used;
    try {
      used = run("ip", "-4", "-o", "addr", "show") + run("ip", "-4", "route", "show", "table", "all");
    } catch (IOException e) {
      used = ""; // no ip here: create() says so when it tries to add a namespace
    }
    for (int tries = 0; tries < 100; tries++) {
      String subnet = "10." + (64 + random.nextInt(190)) + "." + random.nextInt(256) + ".";
      if (!used.contains(subnet)) return subnet;
    }
    throw new IOException("no free 10.x.y.0/24 found for the test network");
  }

  private void build() throws IOException {
    String bridgeNs = bridgeNamespace();
    String bridge = link("br", 0);
    run("ip", "-n", bridgeNs, "link", "add", bridge, "type", "bridge");
    run("ip", "-n", bridgeNs, "link", "set", bridge, "up");
    for (int i = 1; i <= count; i++) {
      String ns = namespace(i);
      run("ip", "netns", "add", ns);
      namespaces.add(ns);
      run("ip", "-n", ns, "link", "set", "lo", "up");
      // the cluster link: host <-> bridge
      run("ip", "link", "add", link("n", i), "netns", ns, "type", "veth", "peer", "name", link("p", i), "netns", bridgeNs);
      run("ip", "-n", bridgeNs, "link", "set", link("p", i), "master", bridge, "up");
      run("ip", "-n", ns, "addr", "add", address(i) + "/24", "dev", link("n", i));
      run("ip", "-n", ns, "link", "set", link("n", i), "up");
      // the client link: root namespace <-> host, /32 routes both ways
      run("ip", "link", "add", link("h", i), "type", "veth", "peer", "name", link("c", i), "netns", ns);
      rootLinks.add(link("h", i));
      run("ip", "addr", "add", rootAddress(i) + "/32", "dev", link("h", i));
      run("ip", "link", "set", link("h", i), "up");
      run("ip", "-n", ns, "link", "set", link("c", i), "up");
      run("ip", "route", "add", address(i) + "/32", "dev", link("h", i), "src", rootAddress(i));
      run("ip", "-n", ns, "route", "add", rootAddress(i) + "/32", "dev", link("c", i));
    }
  }

  private String bridgeNamespace() {
    return "rkv-" + tag + "-br";
  }

  /** Host {@code i}'s namespace. */
  String namespace(int i) {
    check(i);
    return "rkv-" + tag + "-" + i;
  }

  /** A link name: "rk", the tag, a role letter, the host number (at most 12 characters). */
  private String link(String role, int i) {
    return "rk" + tag + role + (i == 0 ? "" : Integer.toString(i));
  }

  /** Host {@code i}'s address on the cluster network, which the test process also reaches. */
  String address(int i) {
    check(i);
    return subnet + i;
  }

  private String rootAddress(int i) {
    return subnet + (100 + i);
  }

  private void check(int i) {
    if (i < 1 || i > count) throw new IllegalArgumentException("no host " + i + " (1 to " + count + ")");
  }

  /** Starts {@code command} in host {@code i} ({@code ip netns exec}), its output appended to {@code log}. */
  Process start(int i, List<String> command, Path log) throws IOException {
    List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace(i)));
    all.addAll(command);
    Process p = new ProcessBuilder(all)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
    processes.add(p);
    return p;
  }

  /** Cuts host {@code i} off from every other host: its cluster link goes down. */
  void isolate(int i) throws IOException {
    run("ip", "-n", namespace(i), "link", "set", link("n", i), "down");
  }

  /** Connects host {@code i} again: its cluster link comes up (and with it the subnet's route). */
  void heal(int i) throws IOException {
    run("ip", "-n", namespace(i), "link", "set", link("n", i), "up");
  }

  /** Stops the processes started in the hosts (SIGTERM, then SIGKILL), deletes the links and namespaces. */
  @Override
  public void close() {
    cleanUp();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs, and does nothing more
    }
  }

  private void cleanUp() {
    if (!closed.compareAndSet(false, true)) return;
    for (Process p : processes) p.destroy();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_SECONDS);
    for (Process p : processes) {
      try {
        if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          p.destroyForcibly().waitFor(STOP_SECONDS, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
    for (String ns : namespaces) {
      // anything else still running in one of these namespaces was started there by this run
      try {
        for (String pid : run("ip", "netns", "pids", ns).split("\\s+")) {
          if (!pid.isBlank()) ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
      } catch (IOException | NumberFormatException e) {
        System.err.println("netns clean-up: " + e.getMessage());
      }
    }
    for (String l : rootLinks) quietly("ip", "link", "del", l);
    for (int k = namespaces.size() - 1; k >= 0; k--) quietly("ip", "netns", "del", namespaces.get(k));
  }

  private static void quietly(String... command) {
    try {
      run(command);
    } catch (IOException e) {
      System.err.println("netns clean-up: " + e.getMessage());
    }
  }

  /** Runs a short command; its output, or an IOException naming the command, its exit code and output. */
  private static String run(String... command) throws IOException {
    java.io.File output = java.io.File.createTempFile("netns-hosts", ".out");
    try {
      return run(command, output);
    } finally {
      output.delete();
    }
  }

  private static String run(String[] command, java.io.File output) throws IOException {
    // output to a file, not a pipe: a long output cannot block the command while it is waited for
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output).start();
    try {
      if (!p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + ": no exit within " + COMMAND_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + ": interrupted", e);
    }
    String out = java.nio.file.Files.readString(output.toPath(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) throw new IOException(String.join(" ", command) + ": exit " + p.exitValue() + ": " + out.strip());
    return out;
  }

  @Override
  public String toString() {
    return count + " hosts in namespaces rkv-" + tag + "-*, network " + subnet + "0/24";
  }
}
