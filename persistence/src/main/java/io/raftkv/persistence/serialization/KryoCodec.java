package io.raftkv.persistence.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.KryoBufferOverflowException;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Turns registered values into bytes and back with Kryo 5, with no Pekko types involved (so the
 * state machine can use it for snapshots too). Thread-safe: Kryo instances and buffers come from
 * pools.
 *
 * <p>Binary format, version {@value #FORMAT_VERSION}: one byte {@code FORMAT_VERSION}, then
 * Kryo's {@code writeClassAndObject} of the value. The class id is written although Pekko's
 * manifest already names the class: it costs one or two bytes, and in exchange a payload decodes
 * on its own (snapshots, tools), a caller may ask for a supertype such as a sealed interface, and
 * a payload paired with the wrong manifest is refused instead of being read as garbage.
 *
 * <p>Registration is required: every class in a value needs an id, fixed ones below 100 (see
 * {@link FixedKryoRegistrations}) and configured ones from {@value KryoRegistrations#CONFIG_KEY}.
 * Records and plain classes use Kryo's field-by-field serializers, which are not tolerant of
 * schema changes: changing a persisted record makes old journal entries unreadable.
 * References are off: shared objects are written twice and cyclic graphs are not supported.
 */
public final class KryoCodec {

  /** The first byte of every payload. Bump it, and keep reading the old one, if the format changes. */
  public static final byte FORMAT_VERSION = 1;

  /** Fixed id of the concrete typed ActorRef class, registered when an {@link ActorRefHook} is given. */
  public static final int ACTOR_REF_ID = 30;

  /** Largest payload {@link #toBytes} produces, unless the constructor is given another bound. */
  public static final int DEFAULT_MAX_BUFFER_BYTES = 64 * 1024 * 1024;

  /** Size a pooled output buffer starts at; most messages fit, so it rarely grows. */
  static final int INITIAL_BUFFER_BYTES = 4 * 1024;

  /**
   * An output buffer that grew beyond this is dropped after use rather than pooled, so one big
   * snapshot does not pin its buffer in every pooled slot for the life of the process.
   */
  static final int RETAINED_BUFFER_MAX_BYTES = 1024 * 1024;

  /** Idle instances each pool keeps; more are created under contention and then dropped. */
  private static final int POOL_CAPACITY = 32;

  private static final byte[] NO_BYTES = new byte[0];

  /**
   * How typed ActorRefs are written: the class of the refs and a Kryo serializer for them, both
   * supplied by the Pekko side ({@link KryoSerializer}) so that this class stays free of Pekko.
   * The serializer is shared by all pooled Kryo instances, so it must be thread-safe.
   */
  public record ActorRefHook(Class<?> refClass, Serializer<?> serializer) {
    public ActorRefHook {
      Objects.requireNonNull(refClass, "refClass");
      Objects.requireNonNull(serializer, "serializer");
    }
  }

  private final List<KryoRegistrations.Entry> registrations;
  private final ClassLoader classLoader;
  private final ActorRefHook actorRefHook;
  private final int maxBufferBytes;
  private final Pool<Kryo> kryos;
  private final Pool<Output> outputs;
  private final Pool<Input> inputs;

  /** A codec without ActorRef support and with {@link #DEFAULT_MAX_BUFFER_BYTES}. */
  public KryoCodec(SortedMap<String, Integer> classes, ClassLoader classLoader) {
    this(classes, classLoader, null, DEFAULT_MAX_BUFFER_BYTES);
  }

  /**
   * @param classes class name -> id (>= 100), as configured under {@code raftkv.kryo.classes}
   * @param classLoader loads the configured classes and the classes Kryo resolves
   * @param actorRefHook how to write typed ActorRefs, or null if values hold none
   * @param maxBufferBytes largest payload {@link #toBytes} may produce
   * @throws IllegalArgumentException naming the class and {@code raftkv.kryo.classes} if a
   *     registration is invalid (duplicate id, id below 100, class not loadable, ...)
   */
  public KryoCodec(
      SortedMap<String, Integer> classes,
      ClassLoader classLoader,
      ActorRefHook actorRefHook,
      int maxBufferBytes) {
    Objects.requireNonNull(classes, "classes");
    this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
    if (maxBufferBytes < INITIAL_BUFFER_BYTES) {
      throw new IllegalArgumentException(
          "maxBufferBytes must be at least " + INITIAL_BUFFER_BYTES + ", got " + maxBufferBytes);
    }
    this.registrations = KryoRegistrations.resolve(classes, classLoader);
    this.actorRefHook = actorRefHook;
    this.maxBufferBytes = maxBufferBytes;
    this.kryos =
        new Pool<>(true, false, POOL_CAPACITY) {
          @Override
          protected Kryo create() {
            return newKryo();
          }
        };
    this.outputs =
        new Pool<>(true, false, POOL_CAPACITY) {
          @Override
          protected Output create() {
            return new Output(INITIAL_BUFFER_BYTES, KryoCodec.this.maxBufferBytes);
          }
        };
    // Inputs wrap the caller's array and own no buffer; pooling them only saves a small object.
    this.inputs =
        new Pool<>(true, false, POOL_CAPACITY) {
          @Override
          protected Input create() {
            return new Input();
          }
        };
    // Build one instance now, so that a class Kryo cannot handle fails here, at start-up.
    kryos.free(newKryo());
  }

  private Kryo newKryo() {
    Kryo kryo = new RaftkvKryo();
    kryo.setRegistrationRequired(true);
    kryo.setReferences(false);
    kryo.setClassLoader(classLoader);
    FixedKryoRegistrations.registerOn(kryo);
    if (actorRefHook != null) {
      kryo.register(actorRefHook.refClass(), actorRefHook.serializer(), ACTOR_REF_ID);
    }
    for (KryoRegistrations.Entry entry : registrations) {
      kryo.register(entry.type(), entry.id());
    }
    return kryo;
  }

  /**
   * Serializes {@code value} (not null) as {@code FORMAT_VERSION} + Kryo bytes.
   *
   * @throws IllegalArgumentException if a class in the value is not registered (the message names
   *     the class and {@code raftkv.kryo.classes}) or the payload exceeds the buffer bound
   */
  public byte[] toBytes(Object value) {
    Objects.requireNonNull(value, "value");
    Kryo kryo = kryos.obtain();
    Output output = outputs.obtain();
    try {
      output.reset();
      output.writeByte(FORMAT_VERSION);
      kryo.writeClassAndObject(output, value);
      return output.toBytes();
    } catch (KryoBufferOverflowException ex) {
      throw new IllegalArgumentException(
          "Serialized "
              + value.getClass().getName()
              + " exceeds the Kryo buffer bound of "
              + maxBufferBytes
              + " bytes",
          ex);
    } catch (KryoException ex) {
      // A nested failure comes wrapped with Kryo's serialization trace (which field, which
      // class); say which top-level value it was, keep Kryo's message (it names the class).
      throw new IllegalArgumentException(
          "Cannot serialize " + value.getClass().getName() + ": " + ex.getMessage(), ex);
    } finally {
      // Kryo resets its per-call state itself, also after an exception, so it can go back.
      kryos.free(kryo);
      if (output.getBuffer().length <= RETAINED_BUFFER_MAX_BYTES) {
        outputs.free(output);
      }
    }
  }

  /**
   * Deserializes a payload produced by {@link #toBytes}.
   *
   * @param expectedType the class of the value or any supertype of it
   * @throws IllegalArgumentException if the payload is empty, has an unknown format version, does
   *     not hold an {@code expectedType}, has trailing bytes, or cannot be decoded with these
   *     registrations
   */
  public <T> T fromBytes(byte[] bytes, Class<T> expectedType) {
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(expectedType, "expectedType");
    if (bytes.length == 0) {
      throw new IllegalArgumentException(
          "Empty payload for " + expectedType.getName() + ": not a raftkv Kryo payload");
    }
    int version = bytes[0] & 0xFF;
    if (version != FORMAT_VERSION) {
      throw new IllegalArgumentException(
          "Unknown raftkv Kryo format version "
              + version
              + " in a payload for "
              + expectedType.getName()
              + "; this build reads version "
              + FORMAT_VERSION
              + " only (written by a newer raftkv, or not a raftkv Kryo payload)");
    }
    Kryo kryo = kryos.obtain();
    Input input = inputs.obtain();
    try {
      input.setBuffer(bytes, 1, bytes.length - 1);
      Object value = kryo.readClassAndObject(input);
      if (!expectedType.isInstance(value)) {
        throw new IllegalArgumentException(
            "Payload holds "
                + (value == null ? "null" : value.getClass().getName())
                + ", not a "
                + expectedType.getName());
      }
      if (input.position() != input.limit()) {
        throw new IllegalArgumentException(
            (input.limit() - input.position())
                + " trailing bytes after the "
                + expectedType.getName()
                + " value: payload corrupt or written with other registrations");
      }
      return expectedType.cast(value);
    } catch (KryoException ex) {
      throw new IllegalArgumentException(
          "Cannot deserialize a "
              + expectedType.getName()
              + " ("
              + bytes.length
              + " bytes) with the registrations of "
              + KryoRegistrations.CONFIG_KEY
              + ": "
              + ex.getMessage(),
          ex);
    } finally {
      input.setBuffer(NO_BYTES); // do not keep the caller's payload alive in the pool
      inputs.free(input);
      kryos.free(kryo);
    }
  }

  /**
   * Every registration of this codec as id -> class name, Kryo's built-ins included; for
   * diagnostics and for tests that pin the ids.
   */
  public SortedMap<Integer, String> registeredIds() {
    int highestId = FixedKryoRegistrations.FIRST_CONFIGURABLE_ID - 1;
    for (KryoRegistrations.Entry entry : registrations) {
      highestId = Math.max(highestId, entry.id());
    }
    Kryo kryo = kryos.obtain();
    try {
      SortedMap<Integer, String> ids = new TreeMap<>();
      for (int id = 0; id <= highestId; id++) {
        var registration = kryo.getClassResolver().getRegistration(id);
        if (registration != null) {
          ids.put(id, registration.getType().getName());
        }
      }
      return Collections.unmodifiableSortedMap(ids);
    } finally {
      kryos.free(kryo);
    }
  }

  /** The bound on one payload, in bytes. */
  public int maxBufferBytes() {
    return maxBufferBytes;
  }
}
