package io.raftkv.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.withRequestTimeout;

import io.raftkv.debug.CaptureBounds;
import io.raftkv.debug.CaptureStart;
import io.raftkv.debug.DebugFiles;
import io.raftkv.debug.DebugSettings;
import io.raftkv.debug.InProcessProfiler;
import io.raftkv.debug.JfrCapture;
import io.raftkv.debug.JfrRequest;
import io.raftkv.debug.ProfileFormat;
import io.raftkv.debug.ProfileRequest;
import io.raftkv.debug.RecentJfr;
import io.raftkv.node.RaftkvNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jfr.Recording;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.FileIO;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;

/**
 * {@code /debug/*}: profiles and flight recordings of the node's own JVM over HTTP, as Go's
 * {@code /debug/pprof} serves them in etcd (docs/API.md, docs/PROFILING.md). Served when
 * {@link DebugSettings#servedOn} says so; otherwise every path answers 403 saying how to turn them on.
 *
 * <p>They live in the gateway, with ap-loader on its class path, rather than in profiling/ behind a
 * ServiceLoader: every node serves them, however it was started, including one run from the
 * gateway's class path alone; the JFR half needs only the JDK; and ap-loader is a jar of about 1 MiB.
 *
 * <p>Nothing here holds a dispatcher thread while a capture runs: starting and stopping (loading
 * the profiler's library, writing the file) run on Pekko's blocking dispatcher, the wait between them
 * is a scheduled completion, and the file is streamed from disk and deleted once sent.
 */
final class DebugRoutes implements AutoCloseable {
  /** The largest profile answered; async-profiler's output grows with the distinct stacks, not the seconds. */
  static final long PROFILE_BYTES_MAX = 64L << 20;
  static final String PROFILE_EVENT = "Raftkv-Profile-Event";

  private final RaftkvNode node;
  private final int nodeId;
  private final Executor blocking;
  private final Logger log;
  private final Optional<String> off; // why the endpoints are off, when they are
  private final CaptureBounds bounds;
  private final DebugFiles files; // null when no directory could be made: every capture then says why
  private final String filesFailure;
  private final JfrCapture jfr;
  private final RecentJfr recent; // null when it could not start: /debug/jfr/recent then says why
  private final String recentFailure;
  // The last profile and recording this node started, to drop at stop if they still run then.
  private final AtomicReference<InProcessProfiler.Profile> profiling = new AtomicReference<>();
  private final AtomicReference<Recording> recording = new AtomicReference<>();

  DebugRoutes(RaftkvNode node) {
    this.node = node;
    this.nodeId = node.config().self().id();
    this.blocking = node.system().dispatchers().lookup(DispatcherSelector.blocking());
    this.log = node.system().log();
    DebugSettings settings = node.config().debug();
    String host = node.config().self().host();
    this.off = settings.servedOn(host) ? Optional.empty() : Optional.of(whyOff(settings, host));
    this.bounds = CaptureBounds.under(idleTimeout(node));
    this.jfr = new JfrCapture(nodeId);
    DebugFiles created = null;
    String noFiles = null;
    RecentJfr started = null;
    String noRecent = null;
    if (off.isEmpty()) {
      try {
        created = DebugFiles.create(nodeId);
      } catch (IOException e) {
        noFiles = "no directory for the captures under java.io.tmpdir: " + e.getMessage();
        log.warn("node {}: /debug is unavailable: {}", nodeId, noFiles);
      }
      try {
        started = RecentJfr.start(nodeId, settings);
      } catch (IOException e) {
        noRecent = e.getMessage();
        log.warn("node {}: /debug/jfr/recent is unavailable: {}", nodeId, noRecent);
      }
    }
    this.files = created;
    this.filesFailure = noFiles;
    this.recent = started;
    this.recentFailure = noRecent;
    // A task of the shutdown, not a callback on termination: on SIGTERM the JVM would exit before such a callback ran.
    CoordinatedShutdown.get(node.system()).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "raftkv-debug-close", () -> {
      close();
      return CompletableFuture.completedFuture(Done.getInstance());
    });
  }

  private static String whyOff(DebugSettings settings, String host) {
    return settings.enabled() == DebugSettings.Mode.OFF
        ? "raftkv.debug.enabled is off on this node; set it to on (or auto, to serve them on a loopback bind only) and restart the node"
        : "this node's HTTP API binds to " + host + ", not a loopback address, and raftkv.debug.enabled is auto; set it to on and restart"
            + " the node to serve /debug here (anyone who reaches the port can then profile the node)";
  }

  /** {@code pekko.http.server.idle-timeout}, or empty when it is {@code infinite}. */
  private static Optional<Duration> idleTimeout(RaftkvNode node) {
    String key = "pekko.http.server.idle-timeout";
    String value = node.config().system().getString(key);
    return value.equals("infinite") ? Optional.empty() : Optional.of(node.config().system().getDuration(key));
  }

  /** Everything under {@code /debug}, built once. */
  Route route() {
    if (off.isPresent()) {
      Route refused = complete(HttpErrors.error(StatusCodes.FORBIDDEN, "debug endpoints off", off.get()));
      return pathPrefix("debug", () -> refused);
    }
    if (files == null) {
      Route unavailable = complete(HttpErrors.error(StatusCodes.SERVICE_UNAVAILABLE, "debug unavailable", filesFailure));
      return pathPrefix("debug", () -> unavailable);
    }
    Route profile = get(this::profile);
    Route jfrNext = get(this::jfr);
    Route jfrRecent = get(this::recent);
    return pathPrefix("debug", () -> concat(
        path("profile", () -> profile),
        pathPrefix("jfr", () -> concat(
            pathEnd(() -> jfrNext),
            path("recent", () -> jfrRecent)))));
  }

  // ---- /debug/profile ----

  private Route profile() {
    return parameterOptional("event", event -> parameterOptional("seconds", seconds -> parameterOptional("format", format -> {
      ProfileRequest request;
      try {
        request = ProfileRequest.parse(event, seconds, format, bounds);
      } catch (IllegalArgumentException e) {
        return complete(HttpErrors.badRequest(e.getMessage()));
      }
      return withRequestTimeout(request.duration().plus(CaptureBounds.FINISH_SLACK), () -> completeWithFuture(profile(request)));
    })));
  }

  private CompletionStage<HttpResponse> profile(ProfileRequest request) {
    String holder = "a " + request.event().label() + " profile of " + request.duration().toSeconds() + " s for node " + nodeId + ", started at "
        + LocalTime.now().truncatedTo(ChronoUnit.SECONDS);
    InProcessProfiler profiler = InProcessProfiler.get();
    return onBlocking(() -> profiler.start(request, holder)).thenCompose(start -> {
      if (!(start instanceof CaptureStart.Started<InProcessProfiler.Profile> started)) return CompletableFuture.completedFuture(refused(start));
      InProcessProfiler.Profile p = started.capture();
      profiling.set(p);
      String title = "raftkv node " + nodeId + " - " + p.engine() + " - " + request.duration().toSeconds() + " s from " + p.started();
      return after(request.duration()).thenCompose(v -> onBlocking(() -> {
        Path file = files.newFile("profile-", request.format().suffix());
        profiler.stopInto(p, file, title);
        if (Files.size(file) > PROFILE_BYTES_MAX) {
          DebugFiles.delete(file);
          throw new IOException("the profile is over " + (PROFILE_BYTES_MAX >> 20) + " MiB; ask for fewer seconds");
        }
        return file;
      })).thenApply(file -> streamed(file, contentType(request.format()), Optional.empty()).addHeader(RawHeader.create(PROFILE_EVENT, p.engine())));
    }).exceptionally(this::failed);
  }

  private static ContentType contentType(ProfileFormat format) {
    return format == ProfileFormat.HTML ? ContentTypes.TEXT_HTML_UTF8 : ContentTypes.TEXT_PLAIN_UTF8;
  }

  // ---- /debug/jfr and /debug/jfr/recent ----

  private Route jfr() {
    return parameterOptional("seconds", seconds -> parameterOptional("settings", settings -> {
      JfrRequest request;
      try {
        request = JfrRequest.parse(seconds, settings, bounds);
      } catch (IllegalArgumentException e) {
        return complete(HttpErrors.badRequest(e.getMessage()));
      }
      return withRequestTimeout(request.duration().plus(CaptureBounds.FINISH_SLACK), () -> completeWithFuture(jfr(request)));
    }));
  }

  private CompletionStage<HttpResponse> jfr(JfrRequest request) {
    String holder = "a recording of " + request.duration().toSeconds() + " s, started at " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS);
    return onBlocking(() -> jfr.start(request, files.newFile("jfr-", ".jfr"), holder)).thenCompose(start -> {
      if (!(start instanceof CaptureStart.Started<Recording> started)) return CompletableFuture.completedFuture(refused(start));
      Recording r = started.capture();
      recording.set(r);
      return after(request.duration()).thenCompose(v -> onBlocking(() -> {
        jfr.finish(r);
        return r.getDestination();
      })).thenApply(file -> streamed(file, ContentTypes.APPLICATION_OCTET_STREAM, Optional.of("node-" + nodeId + "-next.jfr")));
    }).exceptionally(this::failed);
  }

  private Route recent() {
    if (recent == null) {
      return complete(HttpErrors.error(StatusCodes.SERVICE_UNAVAILABLE, "recording unavailable", "the continuous recording did not start: "
          + recentFailure));
    }
    return completeWithFuture(onBlocking(() -> {
      Path file = files.newFile("recent-", ".jfr");
      recent.dumpTo(file);
      return file;
    }).thenApply(file -> streamed(file, ContentTypes.APPLICATION_OCTET_STREAM, Optional.of("node-" + nodeId + "-recent.jfr")))
        .exceptionally(this::failed));
  }

  // ---- answers ----

  private static HttpResponse refused(CaptureStart<?> start) {
    if (start instanceof CaptureStart.Busy<?> busy) {
      return HttpErrors.error(StatusCodes.CONFLICT, "busy", "one capture of this kind at a time on a node, and " + busy.holder()
          + " is running; try again when it is done");
    }
    return HttpErrors.error(StatusCodes.SERVICE_UNAVAILABLE, "profiler unavailable", ((CaptureStart.Unavailable<?>) start).reason());
  }

  private HttpResponse failed(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    log.warn("node {}: a /debug capture failed", nodeId, cause);
    return HttpErrors.error(StatusCodes.INTERNAL_SERVER_ERROR, "capture failed", String.valueOf(cause.getMessage()));
  }

  /** {@code file} as the answer's body, read from disk as it is sent and deleted afterwards, whether or not the client took it all. */
  private static HttpResponse streamed(Path file, ContentType type, Optional<String> downloadName) {
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new CompletionException(e);
    }
    if (size == 0) { // a profile without samples (no contended lock in the window, say): an empty answer, which Pekko will not stream
      DebugFiles.delete(file);
      return HttpResponse.create().withEntity(HttpEntities.create(type, new byte[0]));
    }
    Source<ByteString, ?> body = FileIO.fromPath(file).watchTermination((io, done) -> {
      done.whenComplete((d, err) -> DebugFiles.delete(file));
      return io;
    });
    HttpResponse response = HttpResponse.create().withEntity(HttpEntities.create(type, size, body));
    return downloadName.map(name -> response.addHeader(RawHeader.create("Content-Disposition", "attachment; filename=\"" + name + "\"")))
        .orElse(response);
  }

  // ---- scheduling ----

  /** Work that touches the disk or loads a library, on Pekko's blocking dispatcher. */
  private <T> CompletableFuture<T> onBlocking(IoWork<T> work) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return work.run();
      } catch (IOException e) {
        throw new CompletionException(e);
      }
    }, blocking);
  }

  @FunctionalInterface
  private interface IoWork<T> {
    T run() throws IOException;
  }

  /** Completes after {@code wait}, from Pekko's scheduler: no thread waits meanwhile. */
  private CompletableFuture<Void> after(Duration wait) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    node.system().scheduler().scheduleOnce(wait, () -> done.complete(null), node.system().executionContext());
    return done;
  }

  /**
   * When the node stops: a capture in flight is dropped (its scheduled end will not come; one that
   * ended already is left alone), the continuous recording closed, the files deleted.
   */
  @Override
  public void close() {
    InProcessProfiler.Profile p = profiling.getAndSet(null);
    if (p != null) InProcessProfiler.get().abandon(p);
    Recording r = recording.getAndSet(null);
    if (r != null) {
      try {
        jfr.finish(r);
      } catch (IOException e) {
        // nobody waits for it any more
      }
    }
    if (recent != null) recent.close();
    if (files != null) files.close();
  }
}
