package io.raftkv.persistence.serialization;

/** Bound to the Kryo serializer by its marker but missing from raftkv.kryo.classes on purpose. */
public record NotRegistered(String text) implements RaftkvSerializable {}
