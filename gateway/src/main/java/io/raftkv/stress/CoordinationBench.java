package io.raftkv.stress;

import io.raftkv.client.RaftkvClient;
import io.raftkv.client.RaftkvException;
import io.raftkv.client.TxnReply;
import io.raftkv.client.Watch;
import io.raftkv.client.WatchEvent;
import io.raftkv.client.WatchListener;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Load for the coordination features, bounded in time: writers put keys as fast as they are
 * acknowledged while watchers of their prefix receive every change (watch: event throughput, and
 * latency from a put's sending to each watcher's receipt, both in this process's clock), or
 * clients move a value between two keys by transactions (txn: throughput). Measurements start
 * after a warm-up.
 */
public final class CoordinationBench {

  /** What a run measured, over its measured window. */
  public record Result(double seconds, long writes, long events, long txnsSucceeded, long txnsFailed, long errors,
      Histogram latencyMicros, int reconnects) {
    public double writesPerSecond() {
      return writes / seconds;
    }

    public double eventsPerSecond() {
      return events / seconds;
    }

    public double txnsPerSecond() {
      return (txnsSucceeded + txnsFailed) / seconds;
    }
  }

  private CoordinationBench() {}

  /**
   * {@code watchers} watches of the prefix {@code bench/}, each on its own connection, and
   * {@code writers} threads putting values of {@code valueBytes} (at least 8: the sending time).
   */
  public static Result watch(RaftkvClient client, int watchers, int writers, int valueBytes, Duration warmUp, Duration measured,
      Consumer<String> progress) throws InterruptedException {
    String prefix = "bench/" + System.nanoTime() + "/";
    AtomicLong measuring = new AtomicLong(Long.MAX_VALUE); // the nanoTime the window starts at
    Recorder latency = new Recorder(3);
    AtomicLong events = new AtomicLong();
    AtomicLong expected = new AtomicLong(Long.MAX_VALUE); // set once the writers stopped
    Object drained = new Object();
    AtomicLong reconnects = new AtomicLong();
    long start = client.txn("{\"success\": []}").revision() + 1;
    List<Watch> watches = new ArrayList<>();
    WatchListener listener = new WatchListener() {
      @Override
      public void onRevision(long revision, List<WatchEvent> changes) {
        long now = System.nanoTime();
        for (WatchEvent e : changes) {
          long sent = ByteBuffer.wrap(e.value()).getLong();
          if (sent >= measuring.get()) {
            latency.recordValue(Math.max(0, (now - sent) / 1000));
            if (events.incrementAndGet() >= expected.get()) {
              synchronized (drained) {
                drained.notifyAll();
              }
            }
          }
        }
      }

      @Override
      public void onReconnect(String reason) {
        reconnects.incrementAndGet();
      }
    };
    try {
      for (int i = 0; i < watchers; i++) {
        watches.add(client.watchPrefix(prefix, start, listener));
      }
      progress.accept(watchers + " watchers open");
      AtomicLong writes = new AtomicLong();
      AtomicLong errors = new AtomicLong();
      long[] window = run(writers, warmUp, measured, measuring, (w, until) -> {
        RaftkvClient own = client.withNewSession();
        byte[] value = new byte[Math.max(8, valueBytes)];
        for (long n = 0; System.nanoTime() - until < 0; n++) {
          ByteBuffer.wrap(value).putLong(System.nanoTime());
          try {
            own.put(prefix + w + "/" + (n % 16), value);
            if (System.nanoTime() >= measuring.get()) writes.incrementAndGet();
          } catch (RaftkvException e) {
            errors.incrementAndGet();
          }
        }
      });
      // The events of the last writes arrive a little after them: wait for them, within a bound.
      expected.set(writes.get() * watchers);
      long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      synchronized (drained) {
        for (long left = drainUntil - System.nanoTime(); events.get() < expected.get() && left > 0; left = drainUntil - System.nanoTime()) {
          TimeUnit.NANOSECONDS.timedWait(drained, left);
        }
      }
      double seconds = (window[1] - window[0]) / 1e9;
      return new Result(seconds, writes.get(), events.get(), 0, 0, errors.get(), latency.getIntervalHistogram(),
          (int) reconnects.get());
    } finally {
      watches.forEach(Watch::close);
    }
  }

  /** {@code clients} threads moving a value back and forth between two keys of their own by transactions. */
  public static Result txn(RaftkvClient client, int clients, Duration warmUp, Duration measured) throws InterruptedException {
    String prefix = "bench/" + System.nanoTime() + "/";
    AtomicLong measuring = new AtomicLong(Long.MAX_VALUE);
    AtomicLong succeeded = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    Recorder latency = new Recorder(3);
    long[] window = run(clients, warmUp, measured, measuring, (c, until) -> {
      RaftkvClient own = client.withNewSession();
      String a = prefix + c + "/a";
      String b = prefix + c + "/b";
      own.put(a, "coin".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      boolean atA = true;
      while (System.nanoTime() - until < 0) {
        String from = atA ? a : b;
        String to = atA ? b : a;
        String txn = "{\"compare\": [{\"key\": \"" + from + "\", \"target\": \"version\", \"op\": \">\", \"number\": 0}],"
            + " \"success\": [{\"op\": \"put\", \"key\": \"" + to + "\", \"value\": \"coin\"}, {\"op\": \"delete\", \"key\": \"" + from + "\"}]}";
        long sent = System.nanoTime();
        try {
          TxnReply reply = own.txn(txn);
          if (sent >= measuring.get()) {
            (reply.succeeded() ? succeeded : failed).incrementAndGet();
            latency.recordValue((System.nanoTime() - sent) / 1000);
          }
          atA = !atA;
        } catch (RaftkvException e) {
          errors.incrementAndGet();
        }
      }
    });
    return new Result((window[1] - window[0]) / 1e9, 0, 0, succeeded.get(), failed.get(), errors.get(), latency.getIntervalHistogram(), 0);
  }

  private interface Worker {
    void run(int index, long untilNanos) throws Exception;
  }

  /** Runs {@code threads} workers for warm-up plus the measured window; returns the window's start and end. */
  private static long[] run(int threads, Duration warmUp, Duration measured, AtomicLong measuring, Worker worker) throws InterruptedException {
    long begin = System.nanoTime();
    long from = begin + warmUp.toNanos();
    long until = from + measured.toNanos();
    CountDownLatch done = new CountDownLatch(threads);
    List<Thread> started = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      int index = i;
      Thread t = new Thread(() -> {
        try {
          worker.run(index, until);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        } finally {
          done.countDown();
        }
      }, "bench-" + i);
      t.setDaemon(true);
      started.add(t);
      t.start();
    }
    measuring.set(from);
    if (!done.await(warmUp.plus(measured).toSeconds() + 60, TimeUnit.SECONDS)) {
      started.forEach(Thread::interrupt);
      throw new IllegalStateException("the workers did not stop within a minute of the end");
    }
    return new long[] {from, until};
  }
}
