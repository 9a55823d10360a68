package io.raftkv.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raftkv.node.RaftkvNode;
import io.raftkv.persistence.kv.KvCommand;
import io.raftkv.persistence.kv.KvEvent;
import io.raftkv.watch.WatchFeed;
import io.raftkv.watch.WatchFilter;
import io.raftkv.watch.WatchSettings;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * {@code GET /v1/watch?key=K} or {@code ?prefix=P}, from {@code start_revision=R} (default: the
 * next revision): a long-lived response of JSON lines (docs/API.md, "Watch"), one per revision
 * with every change of it that the watch follows, in revision order; a progress line when idle; a
 * compacted line, and the end, when history no longer holds the watch's next revision.
 *
 * <p>Served from this node's own history, so any node serves it and a follower's lags its
 * applying a little. The response is pulled: a step runs only when the connection takes more, so a
 * slow reader holds nothing but its position, and is cut off with the compacted line if history
 * moves past it. At most {@code raftkv.watch.watchers-max} are served at once.
 */
final class WatchRoute extends AllDirectives {
  static final ContentType NDJSON = ContentTypes.create(MediaTypes.applicationWithFixedCharset("x-ndjson", HttpCharsets.UTF_8));

  private final RaftkvNode node;
  private final WatchSettings settings;
  private final Executor executor;
  private final AtomicInteger open = new AtomicInteger();

  WatchRoute(RaftkvNode node) {
    this.node = node;
    this.settings = node.config().watch();
    this.executor = node.system().executionContext();
  }

  /** The watches being served now. */
  int open() {
    return open.get();
  }

  Route route() {
    return parameterOptional("key", key -> parameterOptional("prefix", prefix -> parameterOptional("start_revision", start -> {
      if (key.isPresent() == prefix.isPresent()) {
        return complete(HttpErrors.badRequest("give key=K or prefix=P (the empty prefix watches every key)"));
      }
      try {
        if (key.isPresent()) {
          new KvCommand.Get(key.get()); // the checks of a key
        } else {
          new KvCommand.Scan(prefix.get(), 1); // and of a prefix
        }
      } catch (IllegalArgumentException e) {
        return complete(HttpErrors.badRequest(e.getMessage()));
      }
      long applied = node.stateMachine().lastAppliedIndex();
      long from;
      try {
        from = start.isPresent() ? Long.parseLong(start.get().trim()) : applied + 1;
      } catch (NumberFormatException e) {
        return complete(HttpErrors.badRequest("start_revision must be a number >= 1, was " + start.get()));
      }
      if (from < 1) {
        return complete(HttpErrors.badRequest("start_revision must be >= 1, was " + from));
      }
      if (open.get() >= settings.watchersMax()) {
        return complete(HttpErrors.unavailable("this node serves raftkv.watch.watchers-max = " + settings.watchersMax()
            + " watches already; try another node", 1));
      }
      WatchFilter filter = key.isPresent() ? WatchFilter.key(key.get()) : WatchFilter.prefix(prefix.get());
      State state = new State(new WatchFeed(node.stateMachine(), filter, from, settings.revisionsPerStepMax(), settings.bytesPerStepMax()));
      Source<ByteString, NotUsed> lines = Source.unfoldAsync(state, this::next)
          .watchTermination((notUsed, done) -> {
            open.incrementAndGet(); // materialized: the connection reads it
            done.whenComplete((d, e) -> open.decrementAndGet());
            return notUsed;
          });
      return complete(HttpResponse.create().withEntity(HttpEntities.createChunked(NDJSON, lines))
          .addHeader(RawHeader.create(HttpGateway.REVISION, Long.toString(applied))));
    })));
  }

  /** A watch's feed, and whether it ended (compacted) and when it last sent a line. */
  private static final class State {
    final WatchFeed feed;
    boolean ended;
    long lastSentNanos = System.nanoTime();

    State(WatchFeed feed) {
      this.feed = feed;
    }
  }

  /** The next chunk of lines; empty once the watch ended. Runs off the Raft actor's thread. */
  private CompletionStage<Optional<Pair<State, ByteString>>> next(State s) {
    if (s.ended) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    CompletableFuture<Void> wake = node.changes().next(); // taken before looking: see ChangeSignal
    WatchFeed.Step step = s.feed.step();
    if (step instanceof WatchFeed.Compacted c) {
      s.ended = true;
      ObjectNode line = HttpErrors.JSON.createObjectNode().put("type", "compacted").put("compactedRevision", c.compactedRevision())
          .put("detail", "history before revision " + c.compactedRevision() + " is compacted: this watch's next revision, "
              + s.feed.nextRevision() + ", is gone; read the keys again and watch from the revision of that read");
      return sent(s, line.toString() + "\n");
    }
    if (step instanceof WatchFeed.Events e && !e.revisions().isEmpty()) {
      return sent(s, render(e.revisions()));
    }
    long seen = step instanceof WatchFeed.CaughtUp u ? u.revision() : s.feed.nextRevision() - 1;
    long idleNanos = System.nanoTime() - s.lastSentNanos;
    long intervalNanos = settings.progressInterval().toNanos();
    if (idleNanos >= intervalNanos) {
      return sent(s, "{\"type\":\"progress\",\"revision\":" + seen + "}\n");
    }
    if (step instanceof WatchFeed.Events) {
      // Revisions passed that this watch does not follow: look further, on the dispatcher.
      return CompletableFuture.supplyAsync(() -> s, executor).thenCompose(this::next);
    }
    return wake.thenApply(v -> s).completeOnTimeout(s, intervalNanos - idleNanos, TimeUnit.NANOSECONDS)
        .thenComposeAsync(this::next, executor);
  }

  private static CompletionStage<Optional<Pair<State, ByteString>>> sent(State s, String lines) {
    s.lastSentNanos = System.nanoTime();
    return CompletableFuture.completedFuture(Optional.of(Pair.create(s, ByteString.fromString(lines))));
  }

  /** One line per revision: {@code {"type":"events","revision":N,"events":[...]}}. */
  static String render(List<List<KvEvent>> revisions) {
    StringBuilder lines = new StringBuilder();
    for (List<KvEvent> revision : revisions) {
      ObjectNode line = HttpErrors.JSON.createObjectNode().put("type", "events").put("revision", revision.get(0).modRevision());
      ArrayNode events = line.putArray("events");
      for (KvEvent event : revision) {
        ObjectNode e = events.addObject().put("type", event.type() == KvEvent.Type.PUT ? "put" : "delete").put("key", event.key());
        if (event.type() == KvEvent.Type.PUT) {
          TxnJson.putValue(e, event.value());
        }
        TxnJson.putRevisions(e, event.revisions());
      }
      lines.append(line).append('\n');
    }
    return lines.toString();
  }
}
