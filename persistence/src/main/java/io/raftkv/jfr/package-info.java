/**
 * The Raft node's own flight-recorder events, shown in JDK Mission Control under "raftkv / Raft"
 * and counted by the profiling report (every event named {@code raftkv.*}; numeric fields named
 * {@code entries} and {@code bytes} are summed). One event per batch or round, never per entry.
 * The exception is {@link io.raftkv.jfr.JournalSyncEvent} ("raftkv / Storage"): periodic, one per
 * open RocksDB store per second, with RocksDB's cumulative WAL sync figures; the report reads it in
 * its fsync section instead.
 *
 * <p>They cost nothing while no recording runs: until JFR starts, an event class is not
 * instrumented and {@code isEnabled()} is false; every emission point checks it (or
 * {@code shouldCommit()}) before it computes a payload, and an event that spans messages is only
 * created when enabled. No emission point looks an {@code EventType} up: that would initialize
 * JFR's metadata in a process that never records. (Registering the periodic event does, so
 * {@code JournalSyncEvents} waits for JFR to initialise before it registers.) JFR's own timestamps never feed back into Raft
 * decisions, so the deterministic simulator stays deterministic.
 *
 * <p>Emitted from the actors and behaviors that do the I/O ({@code RaftLog} in persistence/;
 * {@code NodeCore}, {@code Candidate}, {@code Leader} in actors/), never from the pure rule classes.
 */
package io.raftkv.jfr;
