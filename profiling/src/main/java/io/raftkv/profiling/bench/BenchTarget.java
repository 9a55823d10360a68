package io.raftkv.profiling.bench;

import java.io.IOException;
import java.net.URI;
import java.util.List;

/** A running 3-node system under test: how to reach its leader, its processes, and its request shapes. */
public interface BenchTarget extends AutoCloseable {
  /** One node's process. */
  record NodeProcess(String name, long pid) {}

  /** {@code raftkv}, {@code raftkv-secure} or {@code etcd}. */
  String name();

  /** The TLS context to reach it with, for a system that serves HTTPS from its own CA. */
  default java.util.Optional<javax.net.ssl.SSLContext> sslContext() {
    return java.util.Optional.empty();
  }

  /** The base URL of the node that leads now; both systems are driven at their leader. */
  URI leaderUrl() throws IOException;

  /** The nodes' processes, in node order. */
  List<NodeProcess> nodes();

  /** The key as it appears in this system's requests (in a URL path, or base64 in JSON). */
  String encodeKey(String key);

  /** A write of {@code value} to the key. */
  RequestTemplate put(String value);

  /** A linearizable read of the key. */
  RequestTemplate get();

  /** Whether a reply status means the request succeeded. */
  default boolean success(int status) {
    return status >= 200 && status < 300;
  }

  @Override
  void close() throws IOException;
}
