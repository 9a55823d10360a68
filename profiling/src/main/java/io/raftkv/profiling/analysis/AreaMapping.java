package io.raftkv.profiling.analysis;

import java.util.List;
import java.util.Optional;

/**
 * Which {@link Area area} a sampled stack belongs to. docs/PROFILING.md ("Areas") holds the same table
 * as {@link #RULES}, as {@link #markdownTable()} renders it (a test compares them).
 *
 * <p>The decision, in this order:
 * <ol>
 *   <li>Thread rules: a thread that never runs raftkv's code (JIT compiler, GC, the VM thread, JFR's
 *       threads) counts as {@link Area#JVM_RUNTIME}, whatever its frames.
 *   <li>Frame rules: walking the stack from the leaf towards the root, the first (leaf-most) frame
 *       that some rule matches decides. Within one frame, the first matching rule in table order wins,
 *       so specific rules come before general ones (the skip list before other java.util.concurrent
 *       classes, {@code sun.nio.ch.FileChannelImpl} before {@code sun.nio.ch.}, our packages before
 *       {@code io.raftkv.}). A pass rule matches a frame that files and sockets share
 *       ({@code sun.nio.ch.FileDispatcherImpl}): it decides nothing, and the walk goes on to its caller.
 *   <li>Nothing decides: {@link Area#OTHER}.
 * </ol>
 * Leaf-most means what the thread was doing at that moment wins over who asked it to: Kryo under a
 * Pekko dispatcher thread is serialization, a park under our Raft actor is concurrency, a
 * {@code HashMap.get} under the Raft leader is Raft (HashMap matches no rule, so the walk goes on to
 * the Raft frame), and async-profiler's signal handler or a JFR event's commit under any of them is
 * the JVM runtime. It is also robust to the truncated roots of deep stacks (JFR keeps 64 frames).
 *
 * <p>Frames are strings as {@link FrameNames} renders them: {@code org.rocksdb.RocksDB.write} for Java
 * frames, the bare symbol for native ones ({@code fdatasync}, {@code rocksdb::DBImpl::WriteImpl}),
 * {@code [k] name} for kernel frames.
 */
public final class AreaMapping {
  private AreaMapping() {}

  /** How a rule's pattern is compared. */
  public enum Match {
    /** The thread's name starts with the pattern. */
    THREAD_PREFIX("thread name starts with"),
    /** A frame starts with the pattern. */
    FRAME_PREFIX("frame starts with"),
    /** A frame contains the pattern (native symbols). */
    FRAME_CONTAINS("frame contains"),
    /** A frame starts with the pattern, and its caller decides (a pass rule: no area of its own). */
    FRAME_PASS("frame starts with, its caller decides");

    private final String words;

    Match(String words) {
      this.words = words;
    }

    public String words() {
      return words;
    }
  }

  /**
   * One row of the table: frames or threads matching {@code pattern} belong to {@code area}; a pass
   * rule ({@link Match#FRAME_PASS}) has no area (null) and never decides.
   */
  public record Rule(Area area, Match match, String pattern, String what) {
    boolean matchesFrame(String frame) {
      return switch (match) {
        case FRAME_PREFIX, FRAME_PASS -> frame.startsWith(pattern);
        case FRAME_CONTAINS -> frame.contains(pattern);
        case THREAD_PREFIX -> false;
      };
    }

    boolean matchesThread(String threadName) {
      return match == Match.THREAD_PREFIX && threadName != null && threadName.startsWith(pattern);
    }

    /** Whether a frame this rule matches decides the stack's area (every rule but a pass rule). */
    public boolean decides() {
      return match != Match.FRAME_PASS;
    }
  }

  private static Rule thread(Area area, String prefix, String what) {
    return new Rule(area, Match.THREAD_PREFIX, prefix, what);
  }

  private static Rule pass(String prefix, String what) {
    return new Rule(null, Match.FRAME_PASS, prefix, what);
  }

  private static Rule prefix(Area area, String prefix, String what) {
    return new Rule(area, Match.FRAME_PREFIX, prefix, what);
  }

  private static Rule contains(Area area, String part, String what) {
    return new Rule(area, Match.FRAME_CONTAINS, part, what);
  }

  private static final Area NET = Area.NETWORK_SERIALIZATION;
  private static final Area STORE = Area.STORAGE_PERSISTENCE;
  private static final Area CONC = Area.CONCURRENCY;
  private static final Area RAFT = Area.RAFT_STATE_MACHINE;
  private static final Area JVM = Area.JVM_RUNTIME;
  private static final Area OTHER = Area.OTHER;

  /** The rules in precedence order. */
  public static final List<Rule> RULES = List.of(
      // threads that never run raftkv's code; the OS cuts a native thread's name to 15 characters
      thread(JVM, "C1 CompilerThre", "JIT compiler"),
      thread(JVM, "C2 CompilerThre", "JIT compiler"),
      thread(JVM, "Sweeper thread", "code cache sweeper (frees compiled code)"),
      thread(JVM, "GC Thread", "parallel and G1 GC workers"),
      thread(JVM, "G1 ", "G1's concurrent marking, refinement and service threads"),
      thread(JVM, "VM Thread", "safepoint operations: GC pauses, deoptimization, thread dumps"),
      thread(JVM, "ZWorker", "ZGC workers"),
      thread(JVM, "ZDriver", "ZGC"),
      thread(JVM, "Shenandoah", "Shenandoah GC"),
      thread(JVM, "VM Periodic Tas", "the JVM's periodic tasks"),
      thread(JVM, "Service Thread", "the JVM's housekeeping (JVMTI, low-memory detection)"),
      thread(JVM, "Monitor Deflati", "monitor deflation"),
      thread(JVM, "Reference Handl", "reference processing after GC"),
      thread(JVM, "Finalizer", "finalizers"),
      thread(JVM, "Common-Cleaner", "cleaners (direct buffers' memory)"),
      thread(JVM, "Signal Dispatch", "signal handling"),
      thread(JVM, "Attach Listener", "attach requests (jcmd, asprof)"),
      thread(JVM, "JFR ", "JFR's recorder and periodic tasks threads"),
      // the profilers' work in raftkv's threads: what recording costs, not what raftkv does
      prefix(JVM, "jdk.jfr.", "committing JFR events, JFR's periodic events"),
      prefix(JVM, "io.raftkv.jfr.", "raftkv's own JFR events (the durable log's)"),
      prefix(JVM, "io.raftkv.raft.jfr.", "raftkv's own JFR events (the Raft node's, raised by its observer)"),
      prefix(JVM, "Jfr", "JFR's native code: stack traces, buffers"),
      prefix(JVM, "jfr_", "JFR's native entry points"),
      prefix(JVM, "one.profiler.", "async-profiler's Java API"),
      prefix(JVM, "WallClock::", "async-profiler's wall-clock signal handler"),
      prefix(JVM, "Profiler::", "async-profiler recording a sample"),
      prefix(JVM, "LockTracer::", "async-profiler's lock hooks (the park itself is concurrency)"),
      prefix(JVM, "AllocTracer::", "async-profiler's allocation sampling"),
      prefix(JVM, "PerfEvents::", "async-profiler's cpu signal handler"),
      // the JIT compiler, safepoints and linking, seen from raftkv's threads
      prefix(JVM, "CompileBroker::", "asking for a compilation"),
      prefix(JVM, "CompilationPolicy::", "tiered compilation's counters"),
      prefix(JVM, "Deoptimization::", "deoptimization"),
      prefix(JVM, "InterpreterRuntime::resolve", "call-site and constant-pool resolution"),
      prefix(JVM, "SharedRuntime::resolve", "call-site resolution"),
      prefix(JVM, "SharedRuntime::find_callee", "call-site resolution"),
      prefix(JVM, "LinkResolver::", "method linking"),
      prefix(JVM, "CompiledIC::", "inline caches of call sites"),
      prefix(JVM, "InlineCacheBuffer::", "inline caches of call sites"),
      prefix(JVM, "SafepointSynchronize::", "stopped at a safepoint"),
      prefix(JVM, "SafepointMechanism::", "stopped at a safepoint"),
      prefix(JVM, "VMThread::", "waiting for a VM operation (a GC for an allocation)"),
      // overhead that must not be counted in the area of its caller
      prefix(OTHER, "ch.qos.logback.", "logging"),
      prefix(OTHER, "org.slf4j.", "logging"),
      prefix(OTHER, "org.apache.pekko.event.", "Pekko logging and the event stream"),
      prefix(OTHER, "io.raftkv.profiling.", "raftkv's profiling code"),
      // Raft and the state machine
      prefix(RAFT, "java.util.concurrent.ConcurrentSkipListMap", "the key-value store's skip list (KvStore)"),
      prefix(RAFT, "io.raftkv.raft.", "Raft roles, rules, in-memory log, read index"),
      prefix(RAFT, "io.raftkv.kv.", "KvApi: key-value calls on the Raft node"),
      prefix(RAFT, "io.raftkv.persistence.kv.", "KvStateMachine, KvStore, client sessions"),
      prefix(RAFT, "io.raftkv.persistence.statemachine.", "the state machine interface"),
      // storage and persistence
      prefix(STORE, "io.raftkv.persistence.journal.", "RocksDbJournal, RocksDbSnapshotStore, RocksDbStore"),
      prefix(STORE, "io.raftkv.persistence.snapshot.", "snapshot files: writing, receiving and reading them"),
      prefix(STORE, "io.raftkv.persistence.raftlog.RaftLog", "RaftLog: the event-sourced durable log, its events, state and snapshot"),
      prefix(RAFT, "io.raftkv.persistence.raftlog.", "LogEntry, EntryList, Noop: log entries as Raft handles them"),
      prefix(STORE, "org.rocksdb.", "RocksDB's Java API"),
      contains(STORE, "rocksdb::", "RocksDB's native code"),
      prefix(STORE, "org.apache.pekko.persistence.", "Pekko Persistence"),
      prefix(STORE, "sun.nio.ch.FileChannelImpl", "file channels (force, write)"),
      pass("sun.nio.ch.FileDispatcherImpl", "reads and writes of files and sockets alike (SocketDispatcher calls it)"),
      pass("sun.nio.ch.IOUtil", "reads and writes of files and sockets alike"),
      prefix(STORE, "java.io.FileOutputStream", "file writes"),
      prefix(STORE, "java.io.FileInputStream", "file reads"),
      prefix(STORE, "java.io.RandomAccessFile", "file access"),
      prefix(STORE, "java.io.FileDescriptor.sync", "fsync of a stream's file"),
      prefix(STORE, "sun.nio.fs.", "file system operations"),
      contains(STORE, "fsync", "fsync, fdatasync's kernel side"),
      contains(STORE, "fdatasync", "fdatasync"),
      contains(STORE, "sync_file_range", "sync_file_range"),
      prefix(STORE, "[k] ext4_", "kernel file system"),
      prefix(STORE, "[k] xfs_", "kernel file system"),
      prefix(STORE, "[k] jbd2", "kernel journaling"),
      // network and serialization
      prefix(NET, "io.raftkv.persistence.serialization.", "our Kryo serializer and registrations"),
      prefix(NET, "io.raftkv.http.", "the HTTP gateway"),
      prefix(NET, "io.raftkv.node.", "the gateway's routing to the leader (LeaderRouter, RetryingRouter, SessionPool)"),
      prefix(NET, "io.raftkv.client.", "the Java client"),
      prefix(NET, "com.esotericsoftware.", "Kryo, ReflectASM"),
      prefix(NET, "org.objenesis.", "Kryo's object instantiation"),
      prefix(NET, "org.apache.pekko.serialization.", "Pekko serialization"),
      prefix(NET, "org.apache.pekko.remote.", "Artery"),
      prefix(NET, "org.apache.pekko.cluster.", "cluster gossip, heartbeats, membership"),
      prefix(NET, "org.apache.pekko.http.", "pekko-http"),
      prefix(NET, "org.apache.pekko.io.", "Pekko TCP"),
      prefix(NET, "org.apache.pekko.stream.", "Pekko Streams: in raftkv only Artery and pekko-http run on them"),
      prefix(NET, "org.apache.pekko.util.ByteString", "byte strings of I/O"),
      prefix(NET, "com.fasterxml.jackson.", "JSON of the HTTP API"),
      prefix(NET, "java.net.", "sockets, URLs, HTTP client"),
      prefix(NET, "sun.net.", "sockets"),
      prefix(NET, "sun.nio.ch.", "NIO sockets, selectors, epoll"),
      prefix(NET, "javax.net.", "TLS"),
      prefix(NET, "sun.security.ssl.", "TLS"),
      prefix(NET, "java.io.ObjectOutputStream", "Java serialization"),
      prefix(NET, "java.io.ObjectInputStream", "Java serialization"),
      prefix(NET, "[k] tcp_", "kernel TCP"),
      prefix(NET, "[k] udp_", "kernel UDP"),
      prefix(NET, "[k] ip_", "kernel IP"),
      prefix(NET, "[k] inet_", "kernel sockets"),
      prefix(NET, "[k] sock_", "kernel sockets"),
      // concurrency
      prefix(CONC, "java.util.concurrent.locks.", "locks, conditions"),
      prefix(CONC, "jdk.internal.misc.Unsafe.park", "parking"),
      prefix(CONC, "sun.misc.Unsafe.park", "parking"),
      prefix(CONC, "java.lang.Object.wait", "monitor wait"),
      prefix(CONC, "java.lang.Thread.sleep", "sleeping"),
      prefix(CONC, "java.lang.Thread.yield", "yielding"),
      prefix(CONC, "java.lang.Thread.onSpinWait", "spinning"),
      prefix(CONC, "java.util.concurrent.ForkJoin", "fork-join pools (Pekko's default dispatcher)"),
      prefix(CONC, "java.util.concurrent.ThreadPoolExecutor", "thread pools"),
      prefix(CONC, "java.util.concurrent.ScheduledThreadPoolExecutor", "scheduled thread pools"),
      prefix(CONC, "java.util.concurrent.LinkedBlockingQueue", "blocking queues"),
      prefix(CONC, "java.util.concurrent.ArrayBlockingQueue", "blocking queues"),
      prefix(CONC, "java.util.concurrent.SynchronousQueue", "hand-offs"),
      prefix(CONC, "java.util.concurrent.LinkedTransferQueue", "hand-offs"),
      prefix(CONC, "java.util.concurrent.CompletableFuture", "future completion and callbacks"),
      prefix(CONC, "scala.concurrent.", "Scala futures and executors"),
      prefix(CONC, "org.apache.pekko.dispatch.", "dispatchers, mailboxes"),
      prefix(CONC, "org.apache.pekko.actor.", "actor cells, behaviours, tell, scheduler"),
      prefix(CONC, "org.apache.pekko.pattern.", "ask, promises"),
      contains(CONC, "ObjectMonitor::", "inflated monitors"),
      contains(CONC, "ObjectSynchronizer::", "monitors"),
      contains(CONC, "Parker::", "parking"),
      // the rest of our own code stops the walk: a stress-test thread under an executor is not concurrency
      prefix(OTHER, "io.raftkv.", "the rest of raftkv: CLI, stress test, checker"));

  /** The area of a stack sampled on an unknown thread. */
  public static Area classify(List<String> rootToLeaf) {
    return classify(rootToLeaf, null);
  }

  /** The area of a stack (frames root first) sampled on the thread named {@code threadName} (may be null). */
  public static Area classify(List<String> rootToLeaf, String threadName) {
    return decidingRule(rootToLeaf, threadName).map(Rule::area).orElse(Area.OTHER);
  }

  /** The rule that decides a stack's area, or none (then the area is {@link Area#OTHER}). */
  public static Optional<Rule> decidingRule(List<String> rootToLeaf, String threadName) {
    Rule rule = threadRule(threadName);
    return Optional.ofNullable(rule != null ? rule : stackRule(rootToLeaf));
  }

  /** The first thread rule matching a thread's name, or null (also for a null name). */
  static Rule threadRule(String threadName) {
    if (threadName != null) {
      for (Rule rule : RULES) {
        if (rule.matchesThread(threadName)) {
          return rule;
        }
      }
    }
    return null;
  }

  /** The rule of the leaf-most frame that a deciding rule matches, or null. */
  static Rule stackRule(List<String> rootToLeaf) {
    for (int i = rootToLeaf.size() - 1; i >= 0; i--) {
      Rule rule = frameRule(rootToLeaf.get(i));
      if (rule != null && rule.decides()) {
        return rule;
      }
    }
    return null;
  }

  /** The first rule matching one frame (a pass rule too), or null. */
  static Rule frameRule(String frame) {
    for (Rule rule : RULES) {
      if (rule.matchesFrame(frame)) {
        return rule;
      }
    }
    return null;
  }

  /** The table as docs/PROFILING.md shows it, one row per rule in precedence order. */
  public static String markdownTable() {
    StringBuilder out = new StringBuilder();
    out.append("| # | area | rule | pattern | what |\n");
    out.append("| --- | --- | --- | --- | --- |\n");
    int n = 1;
    for (Rule rule : RULES) {
      out.append("| ").append(n++)
          .append(" | ").append(rule.decides() ? rule.area().label() : "(its caller's)")
          .append(" | ").append(rule.match().words())
          .append(" | `").append(rule.pattern()).append('`')
          .append(" | ").append(rule.what())
          .append(" |\n");
    }
    return out.toString();
  }
}
