package io.raftkv.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A body handler that collects the body into a byte array of at most {@code bytesMax} bytes by a
 * deadline. It fails, and stops reading, as soon as the declared or received length passes the
 * bound or the deadline passes, so a broken or hostile node can make the client neither buffer
 * nor wait without bound. The deadline matters: in Java 17 a request's timeout ends when the
 * response headers arrive, so a body that stalls would otherwise block {@code send} forever.
 */
final class BoundedBody implements HttpResponse.BodyHandler<byte[]> {
  private final int bytesMax;
  private final long deadline;

  /** @param deadline in {@link System#nanoTime()} terms */
  BoundedBody(int bytesMax, long deadline) {
    this.bytesMax = bytesMax;
    this.deadline = deadline;
  }

  /** The body was longer than the bound. */
  static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(String message) {
      super(message);
    }
  }

  @Override
  public HttpResponse.BodySubscriber<byte[]> apply(HttpResponse.ResponseInfo info) {
    long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
    return new Subscriber(declared);
  }

  private final class Subscriber implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream buffer;
    private final long declared;
    private volatile Flow.Subscription subscription;

    Subscriber(long declared) {
      this.declared = declared;
      this.buffer = new ByteArrayOutputStream((int) Math.min(Math.max(declared, 32), bytesMax));
      result.orTimeout(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
          .whenComplete((body, failure) -> {
            Flow.Subscription s = subscription;
            if (failure instanceof TimeoutException && s != null) {
              s.cancel(); // stop reading; the connection is closed rather than reused
            }
          });
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (result.isDone()) { // the deadline passed already
        s.cancel();
      } else if (declared > bytesMax) {
        s.cancel();
        result.completeExceptionally(tooLarge(declared));
      } else {
        s.request(Long.MAX_VALUE);
      }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer item : items) {
        if ((long) buffer.size() + item.remaining() > bytesMax) {
          subscription.cancel();
          result.completeExceptionally(tooLarge((long) buffer.size() + item.remaining()));
          return;
        }
        byte[] chunk = new byte[item.remaining()];
        item.get(chunk);
        buffer.writeBytes(chunk);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(buffer.toByteArray());
    }

    private TooLargeException tooLarge(long bytes) {
      return new TooLargeException("response body of " + (declared >= 0 ? declared : "at least " + bytes)
          + " bytes is over the client's bound of " + bytesMax + " bytes");
    }
  }
}
