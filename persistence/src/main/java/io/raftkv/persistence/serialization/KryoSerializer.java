package io.raftkv.persistence.serialization;

import java.io.NotSerializableException;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.internal.adapter.ActorRefAdapter;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * Pekko serializer for every {@link RaftkvSerializable} (bound in persistence's reference.conf),
 * over a {@link KryoCodec} whose registrations come from {@code raftkv.kryo.classes}.
 *
 * <p>Identifier {@value #IDENTIFIER}: it is stored with every journal entry and sent with every
 * remote message, so it must never change. Pekko reserves 0-40 for itself. Manifest: the class
 * name of the value.
 */
public final class KryoSerializer extends SerializerWithStringManifest {

  /** This serializer's fixed Pekko serializer id. */
  public static final int IDENTIFIER = 730_001;

  private final KryoCodec codec;
  private final ClassLoader classLoader;
  private final ConcurrentHashMap<String, Class<?>> classByManifest = new ConcurrentHashMap<>();

  /** Called by Pekko's serialization extension (reflectively, with this exact signature). */
  public KryoSerializer(ExtendedActorSystem system) {
    this.classLoader = system.dynamicAccess().classLoader();
    this.codec =
        new KryoCodec(
            KryoClassesConfig.read(system.settings().config()),
            classLoader,
            // Every typed ActorRef handed to user code (self, probes, message adapters, ask
            // replies, resolved refs) is an ActorRefAdapter around a classic ref.
            new KryoCodec.ActorRefHook(
                ActorRefAdapter.class, new TypedActorRefKryoSerializer(system)),
            KryoCodec.DEFAULT_MAX_BUFFER_BYTES);
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public String manifest(Object o) {
    return o.getClass().getName();
  }

  @Override
  public byte[] toBinary(Object o) {
    return codec.toBytes(o);
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    return codec.fromBytes(bytes, classFor(manifest));
  }

  /** The codec behind this serializer, for callers that need the same registrations. */
  public KryoCodec codec() {
    return codec;
  }

  private Class<?> classFor(String manifest) throws NotSerializableException {
    Class<?> cached = classByManifest.get(manifest);
    if (cached != null) {
      return cached;
    }
    try {
      Class<?> loaded = Class.forName(manifest, false, classLoader);
      classByManifest.putIfAbsent(manifest, loaded);
      return loaded;
    } catch (ClassNotFoundException | LinkageError ex) {
      // Pekko's contract for a manifest this node does not know (e.g. during a rolling upgrade).
      throw new NotSerializableException(
          "Cannot load class " + manifest + " named by a " + getClass().getSimpleName()
              + " manifest: " + ex);
    }
  }
}
