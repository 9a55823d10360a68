package io.raftkv.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BidiShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * A deadline on a request's head, for one connection: from the first byte of a request until Pekko's
 * HTTP layer has parsed its request line and headers and handed the request on, at most
 * {@code raftkv.http.request-head-timeout}. A client slower than that (one sending its headers a
 * byte at a time, or stopping half-way) is answered 408 with the API's JSON error and the
 * connection is closed. Pekko HTTP has no such bound: its idle-timeout restarts with every byte,
 * and its request-timeout starts only once the request has arrived.
 *
 * <p>Two pieces: {@link #countRequests()} counts the requests the HTTP layer hands on, and the stage,
 * between TCP and the HTTP layer, starts the deadline at the first byte from the client while no
 * request is open, and when it runs out answers 408 unless a request was handed on meanwhile. A
 * response (not an interim {@code 1xx} such as 100 Continue) closes the open request, so the
 * client's next byte starts the next deadline. The 408 is written only between responses: the
 * gateway's responses are strict, so each passes this stage whole before another deadline starts.
 */
final class RequestHeadDeadline extends GraphStage<BidiShape<ByteString, ByteString, ByteString, ByteString>> {
  private static final String TIMER = "request-head";
  private static final byte[] HTTP_1 = "HTTP/1.".getBytes(StandardCharsets.US_ASCII);

  private final Inlet<ByteString> fromClient = Inlet.create("RequestHeadDeadline.fromClient");
  private final Outlet<ByteString> toServer = Outlet.create("RequestHeadDeadline.toServer");
  private final Inlet<ByteString> fromServer = Inlet.create("RequestHeadDeadline.fromServer");
  private final Outlet<ByteString> toClient = Outlet.create("RequestHeadDeadline.toClient");
  /** Top (the HTTP layer's side) to bottom (TCP's) first, as a BidiFlow below the HTTP layer has it. */
  private final BidiShape<ByteString, ByteString, ByteString, ByteString> shape = BidiShape.of(fromServer, toClient, fromClient, toServer);
  private final Duration timeout;
  /** Requests the HTTP layer has handed on: written by {@link #countRequests()}'s stage, which may run on another thread. */
  private final AtomicLong requests = new AtomicLong();

  /** One per connection: the stage and its counter belong together. */
  RequestHeadDeadline(Duration timeout) {
    this.timeout = timeout;
  }

  /** Counts the requests whose heads the HTTP layer has parsed; goes between the HTTP layer and the routes. */
  Flow<HttpRequest, HttpRequest, NotUsed> countRequests() {
    return Flow.of(HttpRequest.class).map(r -> {
      requests.incrementAndGet();
      return r;
    });
  }

  @Override
  public BidiShape<ByteString, ByteString, ByteString, ByteString> shape() {
    return shape;
  }

  /** The raw 408: what Pekko would render for {@link HttpErrors#requestTimeout}, and a close. */
  static ByteString timeoutResponse(Duration timeout) {
    return HttpErrors.closingBytes(StatusCodes.REQUEST_TIMEOUT, "request timeout",
        "the request line and headers did not arrive within " + RequestBounds.HEAD_TIMEOUT + " = " + timeout.toMillis() + " ms");
  }

  /** An interim answer (1xx): the request it answers goes on. */
  static boolean interim(ByteString response) {
    if (response.size() < HTTP_1.length + 3) return false;
    for (int i = 0; i < HTTP_1.length; i++) {
      if (response.apply(i) != HTTP_1[i]) return false;
    }
    return response.apply(HTTP_1.length + 1) == ' ' && response.apply(HTTP_1.length + 2) == '1';
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new TimerGraphStageLogic(shape) {
      /** A request was handed on and is not yet answered: its bytes (a body) start no deadline. */
      private boolean open;
      /** {@link #requests} when the deadline started. */
      private long requestsAtStart;
      private boolean timedOut;

      {
        setHandler(fromClient, new AbstractInHandler() {
          @Override
          public void onPush() {
            ByteString bytes = grab(fromClient);
            if (timedOut) return; // the 408 is on its way; nothing more goes to the server
            if (!open && !isTimerActive(TIMER)) {
              requestsAtStart = requests.get();
              scheduleOnce(TIMER, timeout);
            }
            push(toServer, bytes);
          }

          @Override
          public void onUpstreamFinish() {
            complete(toServer);
          }

          @Override
          public void onUpstreamFailure(Throwable ex) {
            fail(toServer, ex);
          }
        });
        setHandler(toServer, pulling(fromClient));
        setHandler(fromServer, new AbstractInHandler() {
          @Override
          public void onPush() {
            ByteString bytes = grab(fromServer);
            if (timedOut) return;
            if (!interim(bytes)) {
              // A response: its request is over, and the client's next byte starts another.
              open = false;
              cancelTimer(TIMER);
            }
            push(toClient, bytes);
          }

          @Override
          public void onUpstreamFinish() {
            if (!timedOut) complete(toClient);
          }

          @Override
          public void onUpstreamFailure(Throwable ex) {
            if (!timedOut) fail(toClient, ex); // after a time-out: the HTTP layer failing as told; the 408 goes on
          }
        });
        setHandler(toClient, pulling(fromServer));
      }

      /** An outlet's demand goes on to {@code in}, until the deadline has run out; its cancellation too. */
      private AbstractOutHandler pulling(Inlet<ByteString> in) {
        return new AbstractOutHandler() {
          @Override
          public void onPull() {
            if (!timedOut) pull(in);
          }

          @Override
          public void onDownstreamFinish(Throwable cause) {
            cancel(in, cause);
          }
        };
      }

      @Override
      public void onTimer(Object key) {
        if (requests.get() != requestsAtStart) {
          open = true; // its head arrived in time; the body has its own bound (RequestChecks)
          return;
        }
        timedOut = true;
        // Failing (not completing) the HTTP layer's input keeps its parser from answering the partial
        // head itself (a logged 400 that nobody would receive).
        fail(toServer, new java.util.concurrent.TimeoutException(RequestBounds.HEAD_TIMEOUT + " ran out"));
        cancel(fromClient);
        if (isClosed(toClient)) {
          completeStage(); // the client is gone: nobody to answer
          return;
        }
        emit(toClient, timeoutResponse(timeout), (org.apache.pekko.japi.function.Effect) this::completeStage);
      }
    };
  }
}
