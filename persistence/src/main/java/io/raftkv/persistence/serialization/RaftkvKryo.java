package io.raftkv.persistence.serialization;

import com.esotericsoftware.kryo.Kryo;

/** A Kryo whose "class is not registered" error says where raftkv registers classes. */
final class RaftkvKryo extends Kryo {

  @Override
  @SuppressWarnings("rawtypes") // Kryo declares the parameter raw; an override must match
  protected String unregisteredClassMessage(Class type) {
    // Kryo's own hint ("use kryo.register(X.class)") points at code nobody here should edit.
    return "Class is not registered: "
        + type.getName()
        + ". Every class in a serialized value (top level, fields, collection elements) needs a"
        + " stable id under "
        + KryoRegistrations.CONFIG_KEY
        + " (ids >= "
        + FixedKryoRegistrations.FIRST_CONFIGURABLE_ID
        + "; ranges in persistence's reference.conf)";
  }
}
