package io.raftkv.profiling.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AreaMapping} on stacks as they look in real recordings (frames listed root first). */
class AreaMappingTest {

  /** A Pekko dispatcher thread's stack below the actor's behaviour. */
  private static final List<String> DISPATCHER = List.of(
      "java.lang.Thread.run",
      "java.util.concurrent.ForkJoinWorkerThread.run",
      "java.util.concurrent.ForkJoinPool.runWorker",
      "java.util.concurrent.ForkJoinPool.scan",
      "java.util.concurrent.ForkJoinTask.doExec",
      "org.apache.pekko.dispatch.Mailbox.exec",
      "org.apache.pekko.dispatch.Mailbox.run",
      "org.apache.pekko.dispatch.Mailbox.processMailbox",
      "org.apache.pekko.actor.ActorCell.invoke",
      "org.apache.pekko.actor.typed.internal.adapter.ActorAdapter.aroundReceive",
      "org.apache.pekko.actor.typed.Behavior$.interpretMessage");

  private static List<String> stack(List<String> base, String... more) {
    List<String> frames = new ArrayList<>(base);
    frames.addAll(List.of(more));
    return frames;
  }

  private static void assertArea(Area expected, List<String> rootToLeaf) {
    assertArea(expected, rootToLeaf, null);
  }

  private static void assertArea(Area expected, List<String> rootToLeaf, String thread) {
    assertEquals(expected, AreaMapping.classify(rootToLeaf, thread),
        () -> "stack " + rootToLeaf + " on " + thread + ", decided by " + AreaMapping.decidingRule(rootToLeaf, thread));
  }

  @Test
  void kryoUnderADispatcherIsSerialization() {
    assertArea(Area.NETWORK_SERIALIZATION, stack(DISPATCHER,
        "org.apache.pekko.remote.artery.Encoder$$anon$1.onPush",
        "org.apache.pekko.serialization.Serialization.serialize",
        "io.raftkv.persistence.serialization.KryoSerializer.toBinary",
        "io.raftkv.persistence.serialization.KryoCodec.encode",
        "com.esotericsoftware.kryo.Kryo.writeClassAndObject",
        "com.esotericsoftware.kryo.io.Output.writeVarInt"));
  }

  @Test
  void kryoSerializingAnEventForTheJournalIsSerialization() {
    assertArea(Area.NETWORK_SERIALIZATION, stack(DISPATCHER,
        "io.raftkv.persistence.journal.RocksDbJournal.doAsyncWriteMessages",
        "org.apache.pekko.serialization.Serialization.serialize",
        "io.raftkv.persistence.serialization.KryoSerializer.toBinary",
        "com.esotericsoftware.kryo.Kryo.writeObject",
        "java.util.HashMap.get"));
  }

  @Test
  void parkUnderTheRaftActorIsConcurrency() {
    assertArea(Area.CONCURRENCY, stack(DISPATCHER,
        "io.raftkv.raft.RaftNode.onMessage",
        "io.raftkv.raft.Leader.onPropose",
        "java.util.concurrent.locks.ReentrantLock.lock",
        "java.util.concurrent.locks.AbstractQueuedSynchronizer.acquire",
        "java.util.concurrent.locks.LockSupport.park",
        "jdk.internal.misc.Unsafe.park",
        "[k] futex_wait"));
  }

  @Test
  void plainCollectionsUnderRaftCodeAreRaft() {
    assertArea(Area.RAFT_STATE_MACHINE, stack(DISPATCHER,
        "io.raftkv.raft.RaftNode.onMessage",
        "io.raftkv.raft.Leader.onTick",
        "io.raftkv.raft.rules.CommitRules.commitIndex",
        "java.util.Arrays.sort",
        "java.util.DualPivotQuicksort.sort"));
  }

  @Test
  void theSkipListIsTheStateMachineNotConcurrency() {
    assertArea(Area.RAFT_STATE_MACHINE, stack(DISPATCHER,
        "io.raftkv.raft.NodeCore.applyCommitted",
        "io.raftkv.persistence.kv.KvStateMachine.apply",
        "io.raftkv.persistence.kv.KvStore.put",
        "java.util.concurrent.ConcurrentSkipListMap.put",
        "java.util.concurrent.ConcurrentSkipListMap.doPut",
        "java.lang.String.compareTo"));
  }

  @Test
  void rocksDbWritesAndTheirSyncAreStorage() {
    List<String> journal = stack(DISPATCHER,
        "io.raftkv.persistence.journal.RocksDbJournal.doAsyncWriteMessages",
        "io.raftkv.persistence.journal.RocksDbStore.write",
        "org.rocksdb.RocksDB.write",
        "org.rocksdb.RocksDB.write0");
    assertArea(Area.STORAGE_PERSISTENCE, journal);
    assertArea(Area.STORAGE_PERSISTENCE, stack(journal,
        "rocksdb::DBImpl::WriteImpl",
        "rocksdb::DBImpl::WriteToWAL",
        "rocksdb::PosixWritableFile::Sync",
        "fdatasync",
        "[k] entry_SYSCALL_64_after_hwframe",
        "[k] do_syscall_64",
        "[k] __x64_sys_fdatasync",
        "[k] ext4_sync_file",
        "[k] jbd2_log_wait_commit",
        "[k] schedule"));
    // memcpy inside RocksDB: no rule for memcpy, the RocksDB frame below it decides
    assertArea(Area.STORAGE_PERSISTENCE, stack(journal, "rocksdb::WriteBatch::Put", "__memmove_avx_unaligned_erms"));
  }

  @Test
  void fileChannelForceIsStorageEvenUnderNetworkLookingNioPackages() {
    assertArea(Area.STORAGE_PERSISTENCE, stack(DISPATCHER,
        "io.raftkv.persistence.journal.RocksDbSnapshotStore.save",
        "sun.nio.ch.FileChannelImpl.force",
        "sun.nio.ch.FileDispatcherImpl.force",
        "sun.nio.ch.FileDispatcherImpl.force0",
        "fdatasync"));
    assertArea(Area.STORAGE_PERSISTENCE, List.of("java.lang.Thread.run", "Main.save",
        "sun.nio.ch.FileChannelImpl.write", "sun.nio.ch.IOUtil.write", "sun.nio.ch.IOUtil.writeFromNativeBuffer",
        "sun.nio.ch.FileDispatcherImpl.write0", "__GI___libc_write", "[k] vfs_write"));
  }

  @Test
  void theSameLibcWriteOnASocketIsNetwork() {
    assertArea(Area.NETWORK_SERIALIZATION, stack(DISPATCHER,
        "org.apache.pekko.stream.impl.io.TcpConnectionStage$TcpStreamLogic.onPush",
        "org.apache.pekko.io.TcpConnection.doWrite",
        "sun.nio.ch.SocketChannelImpl.write",
        "sun.nio.ch.SocketDispatcher.write0",
        "__GI___libc_write",
        "[k] tcp_sendmsg"));
    // JDK 17's SocketDispatcher writes through FileDispatcherImpl.write0: the socket, not the file, decides
    assertArea(Area.NETWORK_SERIALIZATION, stack(DISPATCHER,
        "org.apache.pekko.io.TcpConnection$PendingBufferWrite.writeToChannel$1",
        "sun.nio.ch.SocketChannelImpl.write",
        "sun.nio.ch.IOUtil.write",
        "sun.nio.ch.IOUtil.writeFromNativeBuffer",
        "sun.nio.ch.SocketDispatcher.write",
        "sun.nio.ch.FileDispatcherImpl.write0",
        "Java_sun_nio_ch_FileDispatcherImpl_write0",
        "__GI_write",
        "[k] vfs_write"));
  }

  @Test
  void aPassRuleNeverDecides() {
    AreaMapping.Rule rule = AreaMapping.frameRule("sun.nio.ch.FileDispatcherImpl.write0");
    assertTrue(rule != null && !rule.decides() && rule.area() == null, () -> "rule " + rule);
    // alone on a stack, nothing decides
    assertArea(Area.OTHER, List.of("sun.nio.ch.IOUtil.write", "sun.nio.ch.FileDispatcherImpl.write0"));
  }

  @Test
  void theHttpGatewayAndJsonAreNetwork() {
    assertArea(Area.NETWORK_SERIALIZATION, stack(DISPATCHER,
        "org.apache.pekko.http.impl.engine.server.HttpServerBluePrint$ControllerStage.onPush",
        "io.raftkv.http.HttpGateway.put",
        "com.fasterxml.jackson.databind.ObjectMapper.writeValueAsBytes"));
  }

  @Test
  void pekkoPersistenceIsStorage() {
    assertArea(Area.STORAGE_PERSISTENCE, stack(DISPATCHER,
        "io.raftkv.persistence.raftlog.RaftLog.onCommand",
        "org.apache.pekko.persistence.typed.internal.Running$HandlingCommands.onCommand",
        "scala.collection.immutable.Vector.appended"));
  }

  @Test
  void logEntriesAreRaftDataWhileTheDurableLogIsStorage() {
    assertArea(Area.RAFT_STATE_MACHINE, stack(DISPATCHER,
        "io.raftkv.raft.Leader.onPropose", "io.raftkv.persistence.raftlog.LogEntry.<init>"));
    assertArea(Area.STORAGE_PERSISTENCE, stack(DISPATCHER,
        "io.raftkv.persistence.raftlog.RaftLogState.append", "java.util.ArrayList.add"));
  }

  @Test
  void actorMessagingWithoutOurCodeIsConcurrency() {
    assertArea(Area.CONCURRENCY, stack(DISPATCHER,
        "io.raftkv.raft.Leader.onPropose",
        "org.apache.pekko.actor.typed.internal.adapter.ActorRefAdapter.tell",
        "org.apache.pekko.actor.LocalActorRef.$bang",
        "org.apache.pekko.dispatch.Dispatcher.dispatch",
        "org.apache.pekko.dispatch.UnboundedMailbox$MessageQueue.enqueue",
        "java.util.concurrent.ConcurrentLinkedQueue.offer"));
    assertArea(Area.CONCURRENCY, DISPATCHER);
  }

  @Test
  void loggingUnderRaftCodeIsOther() {
    assertArea(Area.OTHER, stack(DISPATCHER,
        "io.raftkv.raft.Leader.onTick",
        "org.slf4j.helpers.AbstractLogger.debug",
        "ch.qos.logback.classic.Logger.filterAndLog_1",
        "java.lang.String.format"));
  }

  @Test
  void jvmThreadsAreTheJvmRuntimeWhateverTheirFrames() {
    List<String> gcWork = List.of("clone3", "start_thread", "thread_native_entry", "Thread::call_run",
        "GangWorker::loop", "G1ParEvacuateFollowersClosure::do_void", "G1ParScanThreadState::trim_queue");
    assertArea(Area.JVM_RUNTIME, gcWork, "GC Thread#1");
    assertArea(Area.JVM_RUNTIME, gcWork, "G1 Conc#0");
    assertArea(Area.JVM_RUNTIME, List.of("clone3", "VMThread::loop", "SafepointSynchronize::begin"), "VM Thread");
    assertArea(Area.JVM_RUNTIME, List.of("clone3", "start_thread", "CompileBroker::compiler_thread_loop",
        "C2Compiler::compile_method", "Compile::Code_Gen", "[k] futex_wait"), "C2 CompilerThre");
    // JFR's periodic task thread runs Java code of JFR's own, and sometimes a stack that ends in a socket write
    assertArea(Area.JVM_RUNTIME, List.of("java.lang.Thread.run", "jdk.jfr.internal.PlatformRecorder.periodicTask",
        "sun.nio.ch.SocketChannelImpl.write"), "JFR Periodic Tasks");
    // the same GC frames on an unnamed thread: no rule matches them, so other
    assertArea(Area.OTHER, gcWork, null);
  }

  @Test
  void aSafepointInAJavaThreadIsTheJvmRuntime() {
    assertArea(Area.JVM_RUNTIME, stack(DISPATCHER, "io.raftkv.raft.Leader.onTick",
        "SafepointMechanism::process", "SafepointSynchronize::block", "Monitor::wait"), "raftkv-pekko.actor.default-dispatcher-5");
  }

  @Test
  void theProfilersWorkInRaftkvsThreadsIsTheJvmRuntime() {
    // async-profiler's wall-clock signal lands on the Raft actor's thread and walks its stack
    assertArea(Area.JVM_RUNTIME, stack(DISPATCHER, "io.raftkv.raft.Leader.onPropose", "__restore_rt",
        "WallClock::signalHandler", "Profiler::recordSample", "StackWalker::walkVM", "VMMethod::id"));
    // JFR records the stack of a socket write event
    assertArea(Area.JVM_RUNTIME, stack(DISPATCHER, "org.apache.pekko.io.TcpConnection.doWrite",
        "sun.nio.ch.SocketChannelImpl.write", "jdk.jfr.internal.EventWriter.putStackTrace",
        "jdk.jfr.internal.JVM.getStackTraceId", "jfr_stacktrace_id", "JfrStackTrace::record_safe"));
    assertArea(Area.JVM_RUNTIME, stack(DISPATCHER, "io.raftkv.raft.core.Leader.sendAppend",
        "io.raftkv.raft.ObserverPair.appendSent", "io.raftkv.raft.jfr.JfrRaftObserver.appendSent",
        "io.raftkv.raft.jfr.AppendBatchEvent.isEnabled"));
    assertArea(Area.JVM_RUNTIME, stack(DISPATCHER, "io.raftkv.persistence.raftlog.RaftLog.persist",
        "io.raftkv.jfr.PersistEvent.commit"));
  }

  @Test
  void aParkThroughAsyncProfilersLockHookIsStillConcurrency() {
    List<String> park = stack(DISPATCHER, "java.util.concurrent.locks.LockSupport.park", "jdk.internal.misc.Unsafe.park",
        "LockTracer::UnsafeParkHook");
    assertArea(Area.CONCURRENCY, stack(park, "Unsafe_Park", "Parker::park", "___pthread_cond_wait", "[k] futex_wait"));
    // the hook's own work (naming the class parked on) is the profiler's
    assertArea(Area.JVM_RUNTIME, stack(park, "jvmti_GetClassSignature", "JvmtiEnv::GetClassSignature"));
  }

  @Test
  void callSiteResolutionUnderPekkoHttpIsTheJvmRuntime() {
    assertArea(Area.JVM_RUNTIME, stack(DISPATCHER,
        "org.apache.pekko.http.scaladsl.model.HttpMessage.addHeader$",
        "InterpreterRuntime::resolve_from_cache", "InterpreterRuntime::resolve_invoke",
        "LinkResolver::resolve_invoke", "LinkInfo::LinkInfo"));
  }

  @Test
  void theStressTestUnderAThreadPoolIsOther() {
    assertArea(Area.OTHER, List.of("java.lang.Thread.run",
        "java.util.concurrent.ThreadPoolExecutor$Worker.run",
        "java.util.concurrent.ThreadPoolExecutor.runWorker",
        "io.raftkv.stress.StressRunner.runClient",
        "io.raftkv.stress.Workload.nextKey",
        "java.lang.StringBuilder.append"));
  }

  @Test
  void theJavaClientIsNetwork() {
    assertArea(Area.NETWORK_SERIALIZATION, List.of("java.lang.Thread.run",
        "io.raftkv.stress.StressRunner.runClient",
        "io.raftkv.client.RaftkvClient.put",
        "java.net.http.HttpClient.send"));
  }

  @Test
  void nothingKnownIsOther() {
    assertArea(Area.OTHER, List.of("java.lang.Thread.run", "Main.main", "java.util.HashMap.put"));
    assertArea(Area.OTHER, List.of());
  }

  @Test
  void withinOneFrameTheFirstRuleInTableOrderWins() {
    AreaMapping.Rule skipList = AreaMapping.frameRule("java.util.concurrent.ConcurrentSkipListMap.get");
    assertEquals("java.util.concurrent.ConcurrentSkipListMap", skipList.pattern());
    assertEquals(Area.STORAGE_PERSISTENCE, AreaMapping.frameRule("sun.nio.ch.FileChannelImpl.force").area());
    assertEquals(Area.NETWORK_SERIALIZATION, AreaMapping.frameRule("sun.nio.ch.EPoll.wait").area());
    assertEquals(Area.NETWORK_SERIALIZATION, AreaMapping.frameRule("io.raftkv.http.GatewayServer.bind").area());
    assertEquals(Area.OTHER, AreaMapping.frameRule("io.raftkv.cli.RaftkvCli.main").area());
  }

  @Test
  void everyRuleIsReachable() {
    // a rule that an earlier rule always shadows (same kind, an earlier prefix of it) would be dead
    List<AreaMapping.Rule> rules = AreaMapping.RULES;
    for (int i = 0; i < rules.size(); i++) {
      for (int j = 0; j < i; j++) {
        AreaMapping.Rule earlier = rules.get(j);
        AreaMapping.Rule later = rules.get(i);
        boolean shadowed = earlier.match() == later.match() && later.pattern().startsWith(earlier.pattern())
            && earlier.match() != AreaMapping.Match.FRAME_CONTAINS;
        assertTrue(!shadowed, () -> "rule " + later + " is shadowed by " + earlier);
      }
    }
  }

  @Test
  void theDocumentedTableIsTheCodes() throws IOException {
    Path doc = Path.of("..", "docs", "PROFILING.md");
    String text = Files.readString(doc);
    String start = "<!-- area-table:start -->\n";
    String end = "<!-- area-table:end -->";
    int from = text.indexOf(start);
    int to = text.indexOf(end);
    assertTrue(from >= 0 && to > from, "docs/PROFILING.md has no area-table markers");
    assertEquals(AreaMapping.markdownTable(), text.substring(from + start.length(), to),
        "docs/PROFILING.md's area table differs from AreaMapping.RULES: paste AreaMapping.markdownTable()");
  }
}
