package io.raftkv.persistence.kv;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * Writes {@link KvSnapshotFormat} version 2 as the builds before history wrote it (the layout is
 * in KvSnapshotFormat's comment): to test that this build still restores it.
 */
final class KvSnapshotV2Writer {

  private static final byte ENTRY = 1;
  private static final byte END_OF_ENTRIES = 0;

  private KvSnapshotV2Writer() {}

  static void write(
      OutputStream target,
      long lastAppliedIndex,
      List<ClientSession> sessions,
      Iterator<Map.Entry<String, byte[]>> entries)
      throws IOException {
    CRC32C crc = new CRC32C();
    // The checksum sits below the buffer, so it is updated a buffer at a time, not per field.
    DataOutputStream out =
        new DataOutputStream(
            new BufferedOutputStream(new CheckedOutputStream(target, crc), KvSnapshotV2.BUFFER_BYTES));
    out.writeInt(KvSnapshotFormat.VERSION_2);
    out.writeLong(lastAppliedIndex);
    out.writeInt(sessions.size());
    for (ClientSession session : sessions) {
      KvSnapshotCodec.writeSession(out, session);
    }
    long entryCount = 0;
    long valueBytes = 0;
    while (entries.hasNext()) {
      Map.Entry<String, byte[]> entry = entries.next();
      byte[] value = entry.getValue();
      out.writeByte(ENTRY);
      KvSnapshotCodec.writeBytes(out, entry.getKey().getBytes(StandardCharsets.UTF_8));
      KvSnapshotCodec.writeBytes(out, value);
      entryCount++;
      valueBytes += value.length;
    }
    out.writeByte(END_OF_ENTRIES);
    out.writeLong(entryCount);
    out.writeLong(valueBytes);
    out.flush();
    out.writeInt((int) crc.getValue());
    out.flush();
  }

}
