package io.raftkv.persistence.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * Writes a typed ActorRef as its serialization format (path with address and uid) and resolves
 * it back on the reading node, as Pekko's own serializers do. Thread-safe and shared by all
 * pooled Kryo instances.
 */
@SuppressWarnings("rawtypes") // Kryo registers the raw ActorRefAdapter class
final class TypedActorRefKryoSerializer extends Serializer<ActorRef> {

  private final ExtendedActorSystem system;

  // Resolved on first use, not in the constructor: Pekko creates serializers while the actor
  // system is still starting, too early to ask it for extensions.
  private volatile ActorRefResolver resolver;

  TypedActorRefKryoSerializer(ExtendedActorSystem system) {
    super(false, true); // refs are never null here (Kryo writes null itself); immutable
    this.system = system;
  }

  @Override
  public void write(Kryo kryo, Output output, ActorRef ref) {
    @SuppressWarnings("unchecked")
    ActorRef<Object> typed = ref;
    output.writeString(resolver().toSerializationFormat(typed));
  }

  @Override
  public ActorRef read(Kryo kryo, Input input, Class<? extends ActorRef> type) {
    return resolver().resolveActorRef(input.readString());
  }

  private ActorRefResolver resolver() {
    ActorRefResolver current = resolver;
    if (current == null) {
      current = ActorRefResolver.get(Adapter.toTyped(system));
      resolver = current;
    }
    return current;
  }
}
