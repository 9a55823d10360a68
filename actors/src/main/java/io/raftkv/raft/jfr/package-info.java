/**
 * The Raft node's flight-recorder events (category "raftkv / Raft" in JDK Mission Control),
 * counted by the profiling report: every event named {@code raftkv.*}; numeric fields named
 * {@code entries} and {@code bytes} are summed. One event per batch or round, never per entry.
 *
 * <p>They are raised by {@link io.raftkv.raft.jfr.JfrRaftObserver}, one observer per node, from
 * what the node reports to its {@link io.raftkv.raft.RaftObserver}: the Raft code itself never
 * touches JFR. They cost nothing while no recording runs: until JFR starts, an event class is not
 * instrumented and {@code isEnabled()} is false; the observer checks it (or
 * {@code shouldCommit()}) before it computes a payload, and an event that spans reports is only
 * created when enabled. JFR's own timestamps never feed back into Raft decisions, so the
 * deterministic simulator stays deterministic.
 *
 * <p>The durable log's events ({@code raftkv.Persist}, {@code raftkv.JournalSync}) are raised
 * where its I/O happens, in persistence/ ({@code io.raftkv.jfr}).
 */
package io.raftkv.raft.jfr;
