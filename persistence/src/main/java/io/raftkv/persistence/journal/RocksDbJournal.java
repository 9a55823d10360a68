package io.raftkv.persistence.journal;

import com.typesafe.config.Config;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.dispatch.Futures;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.japi.AsyncWriteJournal;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Pekko Persistence journal over RocksDB ({@code raftkv.persistence.journal} in reference.conf).
 *
 * <p>Layout (see {@link RocksDbStore} for the key encoding):
 *
 * <ul>
 *   <li>event: {@code 0x01 | int32 len(pid) | pid | int64 seqNr} → the {@link PersistentRepr}
 *       serialized by Pekko's serialization (its MessageSerializer, which keeps payload, manifest,
 *       writer uuid and metadata);
 *   <li>highest sequence number: {@code 0x02 | pid} → int64. Never deleted, so a persistent actor
 *       whose events were all deleted still resumes numbering after the last one.
 * </ul>
 *
 * <p>Each {@code doAsyncWriteMessages} call becomes one RocksDB {@link WriteBatch}, written once with
 * {@code sync = fsync}: the batch is atomic, and when fsync is on the WAL is fdatasync'ed before the
 * write is acknowledged. All work runs synchronously on the plugin's pinned thread and returns
 * completed futures; blocking is the point (nothing is acknowledged before it is durable), and the
 * dedicated thread keeps it away from everyone else.
 */
public final class RocksDbJournal extends AsyncWriteJournal {
  private static final byte EVENT = 1;
  private static final byte HIGHEST = 2;

  // Null when the database could not be opened: then every call fails with openFailure (RocksDbStore.Opening).
  private final RocksDbStore store;
  private final IllegalStateException openFailure;
  private final Serialization serialization;

  /** Pekko calls this with the plugin's config section and that section's path. */
  public RocksDbJournal(Config config, String configPath) {
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
  public Future<Iterable<Optional<Exception>>> doAsyncWriteMessages(Iterable<AtomicWrite> messages) {
    if (store == null) return Futures.failed(openFailure);
    List<Optional<Exception>> results = new ArrayList<>();
    try (WriteBatch batch = new WriteBatch()) {
      for (AtomicWrite write : messages) {
        // Serialize all events of the AtomicWrite before adding any, so that one that cannot be
        // serialized rejects exactly its AtomicWrite (all or nothing) and the others still go in.
        List<byte[]> values = new ArrayList<>();
        List<PersistentRepr> reprs = CollectionConverters.asJava(write.payload());
        try {
          for (PersistentRepr repr : reprs) {
            values.add(serialization.serialize(repr).get());
          }
        } catch (Exception e) {
          results.add(Optional.of(e));
          continue;
        }
        for (int i = 0; i < reprs.size(); i++) {
          PersistentRepr repr = reprs.get(i);
          batch.put(RocksDbStore.key(EVENT, repr.persistenceId(), repr.sequenceNr()), values.get(i));
        }
        batch.put(highestKey(write.persistenceId()), longBytes(write.highestSequenceNr()));
        results.add(Optional.empty());
      }
      if (batch.count() > 0) store.write(batch); // all rejected: nothing to write or sync
      return Futures.successful(results);
    } catch (RocksDBException e) {
      // A storage failure fails the whole call: Pekko then fails every AtomicWrite in it.
      return Futures.failed(e);
    }
  }

  @Override
  public Future<Void> doAsyncDeleteMessagesTo(String persistenceId, long toSequenceNr) {
    if (store == null) return Futures.failed(openFailure);
    try {
      // Clamp to the highest written: Long.MAX_VALUE ("delete all") would overflow the +1 below.
      long upTo = Math.min(toSequenceNr, readHighest(persistenceId));
      if (upTo >= 1) {
        // deleteRange writes one range tombstone instead of one delete per event.
        store.db.deleteRange(
            store.writeOptions,
            RocksDbStore.key(EVENT, persistenceId, 0),
            RocksDbStore.key(EVENT, persistenceId, upTo + 1));
      }
      return Futures.successful(null);
    } catch (RocksDBException e) {
      return Futures.failed(e);
    }
  }

  @Override
  public Future<Void> doAsyncReplayMessages(
      String persistenceId,
      long fromSequenceNr,
      long toSequenceNr,
      long max,
      Consumer<PersistentRepr> replayCallback) {
    if (store == null) return Futures.failed(openFailure);
    byte[] prefix = RocksDbStore.prefix(EVENT, persistenceId);
    long replayed = 0;
    try (RocksIterator it = store.db.newIterator()) {
      for (it.seek(RocksDbStore.key(EVENT, persistenceId, fromSequenceNr));
          it.isValid() && replayed < max;
          it.next()) {
        byte[] key = it.key();
        if (!RocksDbStore.hasPrefix(key, prefix) || RocksDbStore.sequenceNr(key) > toSequenceNr) {
          break;
        }
        replayCallback.accept(serialization.deserialize(it.value(), PersistentRepr.class).get());
        replayed++;
      }
      it.status(); // isValid() is also false on an I/O error; this tells the two apart
      return Futures.successful(null);
    } catch (Exception e) {
      // Also a stored event that no longer deserializes: it must fail the recovery, not be
      // skipped silently.
      return Futures.failed(e);
    }
  }

  @Override
  public Future<Long> doAsyncReadHighestSequenceNr(String persistenceId, long fromSequenceNr) {
    if (store == null) return Futures.failed(openFailure);
    try {
      return Futures.successful(readHighest(persistenceId));
    } catch (RocksDBException e) {
      return Futures.failed(e);
    }
  }

  private long readHighest(String persistenceId) throws RocksDBException {
    byte[] value = store.db.get(highestKey(persistenceId));
    return value == null ? 0L : ByteBuffer.wrap(value).getLong();
  }

  private static byte[] highestKey(String persistenceId) {
    byte[] pid = persistenceId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(1 + pid.length).put(HIGHEST).put(pid).array();
  }

  private static byte[] longBytes(long value) {
    return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
  }
}
