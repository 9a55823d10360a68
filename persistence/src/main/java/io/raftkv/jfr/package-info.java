/**
 * The durable log's flight-recorder events: {@link io.raftkv.jfr.PersistEvent} ("raftkv / Raft",
 * one per batch the log stores) and {@link io.raftkv.jfr.JournalSyncEvent} ("raftkv / Storage":
 * periodic, one per open RocksDB store per second, with RocksDB's cumulative WAL sync figures; the
 * report reads it in its fsync section). The Raft node's own events are in actors/
 * ({@code io.raftkv.raft.jfr}).
 *
 * <p>They cost nothing while no recording runs: until JFR starts, an event class is not
 * instrumented and {@code isEnabled()} is false; every emission point checks it (or
 * {@code shouldCommit()}) before it computes a payload. No emission point looks an
 * {@code EventType} up: that would initialize JFR's metadata in a process that never records.
 * (Registering the periodic event does, so {@code JournalSyncEvents} waits for JFR to initialise
 * before it registers.)
 */
package io.raftkv.jfr;
