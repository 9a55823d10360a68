package io.raftkv.persistence.serialization;

/**
 * Marker for every message that crosses the wire and every event that is persisted: Pekko binds
 * it to the Kryo serializer ({@code pekko.actor.serialization-bindings} in reference.conf). A
 * class that carries it must also be listed, with a stable id, under {@code raftkv.kryo.classes}.
 */
public interface RaftkvSerializable {}
