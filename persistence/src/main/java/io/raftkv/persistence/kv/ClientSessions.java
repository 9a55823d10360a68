package io.raftkv.persistence.kv;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The session table: sessions by client id, plus the same sessions ordered by last use, so
 * that expiry and eviction take the oldest first in O(log n) instead of scanning every session
 * at every entry. Used by the applying thread only.
 */
final class ClientSessions {

  /** Least recently used first; equal last-use indexes (only possible in a hand-made snapshot)
   *  are ordered by client id, so eviction never depends on hash or insertion order. */
  static final Comparator<ClientSession> LEAST_RECENTLY_USED_FIRST =
      Comparator.comparingLong(ClientSession::lastUsedIndex)
          .thenComparingLong(ClientSession::clientId);

  private final SessionPolicy policy;
  private final Map<Long, ClientSession> byId = new HashMap<>();
  private final TreeSet<ClientSession> byLastUse = new TreeSet<>(LEAST_RECENTLY_USED_FIRST);

  ClientSessions(SessionPolicy policy) {
    this.policy = policy;
  }

  /** Drops every session whose last use is more than sessionExpiryEntries before {@code index}. */
  void expireBefore(long index) {
    while (!byLastUse.isEmpty()
        && index - byLastUse.first().lastUsedIndex() > policy.sessionExpiryEntries()) {
      remove(byLastUse.first());
    }
  }

  /** Opens the session {@code index}, first evicting the least recently used ones if full. */
  ClientSession register(long index) {
    while (byId.size() >= policy.sessionsMax()) {
      remove(byLastUse.first());
    }
    ClientSession session = new ClientSession(index, 0, null, index);
    add(session);
    return session;
  }

  /** The session of {@code clientId}, or null when it is not kept. */
  ClientSession find(long clientId) {
    return byId.get(clientId);
  }

  /** Replaces a kept session by its new state (same client id). */
  void update(ClientSession previous, ClientSession next) {
    remove(previous);
    add(next);
  }

  /** All sessions, by client id. */
  List<ClientSession> all() {
    List<ClientSession> all = new ArrayList<>(byId.values());
    all.sort(Comparator.comparingLong(ClientSession::clientId));
    return all;
  }

  /** Replaces every session by {@code sessions}, whose client ids are distinct. */
  void replaceAll(Collection<ClientSession> sessions) {
    byId.clear();
    byLastUse.clear();
    sessions.forEach(this::add);
  }

  int size() {
    return byId.size();
  }

  private void add(ClientSession session) {
    byId.put(session.clientId(), session);
    byLastUse.add(session);
  }

  private void remove(ClientSession session) {
    byId.remove(session.clientId());
    byLastUse.remove(session);
  }
}
