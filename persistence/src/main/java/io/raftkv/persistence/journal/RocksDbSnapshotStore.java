package io.raftkv.persistence.journal;

import com.typesafe.config.Config;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.pekko.dispatch.Futures;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.snapshot.japi.SnapshotStore;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import scala.Option;
import scala.concurrent.Future;

/**
 * Pekko Persistence snapshot store over its own RocksDB database ({@code
 * raftkv.persistence.snapshot-store} in reference.conf), written with {@code sync = fsync}.
 *
 * <p>Key: {@code 0x01 | int32 len(pid) | pid | int64 seqNr} (see {@link RocksDbStore}), so there is
 * at most one snapshot per sequence number (a second save overwrites it) and the youngest one is
 * found by seeking backwards from the criteria's upper bound.
 *
 * <p>Value, big-endian: {@code int64 timestamp | object snapshot | [object metadata]}, where an
 * object is {@code int32 serializerId | int32 len | manifest UTF-8 | int32 len | bytes} and the
 * metadata is present iff bytes remain. We store the serializer id and manifest ourselves rather than
 * persist Pekko's {@code serialization.Snapshot} wrapper: the wrapper's serializer writes these
 * same three fields, and doing it here gives the payload and the optional metadata one code path,
 * with no envelope inside the envelope.
 */
public final class RocksDbSnapshotStore extends SnapshotStore {
  private static final byte SNAPSHOT = 1;

  // Null when the database could not be opened: then every call fails with openFailure (RocksDbStore.Opening).
  private final RocksDbStore store;
  private final IllegalStateException openFailure;
  private final Serialization serialization;

  /** Pekko calls this with the plugin's config section and that section's path. */
  public RocksDbSnapshotStore(Config config, String configPath) {
    this.serialization = SerializationExtension.get(context().system());
    RocksDbStore.Opening opening = RocksDbStore.openForPlugin(config, configPath, context().system().log());
    this.store = opening.store();
    this.openFailure = opening.failure();
  }

  @Override
  public void postStop() {
    if (store != null) store.close();
  }

  @Override
  public Future<Optional<SelectedSnapshot>> doLoadAsync(
      String persistenceId, SnapshotSelectionCriteria criteria) {
    if (store == null) return Futures.failed(openFailure);
    byte[] prefix = RocksDbStore.prefix(SNAPSHOT, persistenceId);
    try (RocksIterator it = store.db.newIterator()) {
      // Youngest first: start at the highest allowed sequence number and walk down.
      for (it.seekForPrev(RocksDbStore.key(SNAPSHOT, persistenceId, criteria.maxSequenceNr()));
          it.isValid();
          it.prev()) {
        byte[] key = it.key();
        if (!RocksDbStore.hasPrefix(key, prefix)) break;
        long sequenceNr = RocksDbStore.sequenceNr(key);
        if (sequenceNr < criteria.minSequenceNr()) break;
        byte[] value = it.value();
        // Check the timestamp bounds before paying for deserialization.
        if (criteria.matches(new SnapshotMetadata(persistenceId, sequenceNr, timestamp(value)))) {
          return Futures.successful(Optional.of(decode(persistenceId, sequenceNr, value)));
        }
      }
      it.status();
      return Futures.successful(Optional.empty());
    } catch (Exception e) {
      // Also a snapshot that no longer deserializes: Pekko fails the recovery unless the plugin
      // sets snapshot-is-optional, which is the operator's call, not ours.
      return Futures.failed(e);
    }
  }

  @Override
  public Future<Void> doSaveAsync(SnapshotMetadata metadata, Object snapshot) {
    if (store == null) return Futures.failed(openFailure);
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeLong(metadata.timestamp());
      writeObject(out, snapshot);
      if (metadata.metadata().isDefined()) writeObject(out, metadata.metadata().get());
      store.db.put(
          store.writeOptions,
          RocksDbStore.key(SNAPSHOT, metadata.persistenceId(), metadata.sequenceNr()),
          bytes.toByteArray());
      return Futures.successful(null);
    } catch (Exception e) {
      return Futures.failed(e);
    }
  }

  @Override
  public Future<Void> doDeleteAsync(SnapshotMetadata metadata) {
    if (store == null) return Futures.failed(openFailure);
    byte[] key = RocksDbStore.key(SNAPSHOT, metadata.persistenceId(), metadata.sequenceNr());
    try {
      byte[] value = store.db.get(key);
      // Timestamp 0 means "whichever snapshot has this sequence number" (what deleteSnapshot(seqNr)
      // sends); a real one must match, so a stale delete cannot remove a newer save at that seqNr.
      if (value != null && (metadata.timestamp() == 0 || metadata.timestamp() == timestamp(value))) {
        store.db.delete(store.writeOptions, key);
      }
      return Futures.successful(null);
    } catch (RocksDBException e) {
      return Futures.failed(e);
    }
  }

  @Override
  public Future<Void> doDeleteAsync(String persistenceId, SnapshotSelectionCriteria criteria) {
    if (store == null) return Futures.failed(openFailure);
    byte[] prefix = RocksDbStore.prefix(SNAPSHOT, persistenceId);
    try (RocksIterator it = store.db.newIterator();
        WriteBatch batch = new WriteBatch()) {
      for (it.seek(RocksDbStore.key(SNAPSHOT, persistenceId, criteria.minSequenceNr()));
          it.isValid();
          it.next()) {
        byte[] key = it.key();
        if (!RocksDbStore.hasPrefix(key, prefix)) break;
        long sequenceNr = RocksDbStore.sequenceNr(key);
        if (sequenceNr > criteria.maxSequenceNr()) break;
        if (criteria.matches(new SnapshotMetadata(persistenceId, sequenceNr, timestamp(it.value())))) {
          batch.delete(key);
        }
      }
      it.status();
      store.write(batch); // one synced write for all of them
      return Futures.successful(null);
    } catch (RocksDBException e) {
      return Futures.failed(e);
    }
  }

  private SelectedSnapshot decode(String persistenceId, long sequenceNr, byte[] value)
      throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(value));
    long timestamp = in.readLong();
    Object snapshot = readObject(in);
    Option<Object> metadata = in.available() > 0 ? Option.apply(readObject(in)) : Option.empty();
    return SelectedSnapshot.create(
        new SnapshotMetadata(persistenceId, sequenceNr, timestamp, metadata), snapshot);
  }

  private static long timestamp(byte[] value) {
    return ByteBuffer.wrap(value, 0, Long.BYTES).getLong();
  }

  private void writeObject(DataOutputStream out, Object object) throws Exception {
    Serializer serializer = serialization.findSerializerFor(object);
    // serialization.serialize (not serializer.toBinary) so ActorRefs inside are written with the
    // system's address, as Pekko does for its own messages.
    byte[] bytes = serialization.serialize(object).get();
    byte[] manifest = Serializers.manifestFor(serializer, object).getBytes(StandardCharsets.UTF_8);
    out.writeInt(serializer.identifier());
    out.writeInt(manifest.length);
    out.write(manifest);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private Object readObject(DataInputStream in) throws IOException {
    int serializerId = in.readInt();
    String manifest = new String(readBytes(in), StandardCharsets.UTF_8);
    return serialization.deserialize(readBytes(in), serializerId, manifest).get();
  }

  // readFully, not readNBytes: a truncated value must fail (EOFException), not decode short.
  private static byte[] readBytes(DataInputStream in) throws IOException {
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    return bytes;
  }
}
