package io.raftkv.profiling.bench;

import java.util.Map;

/**
 * One HTTP request of a workload, with {@link #KEY} standing for the (system-encoded) key in the
 * path or the body. The load generator and the pre-fill both expand the same templates, so what is
 * measured is what was pre-filled.
 */
public record RequestTemplate(String method, String path, Map<String, String> headers, String body) {
  /** Replaced by the encoded key. */
  public static final String KEY = "{key}";

  public RequestTemplate {
    headers = Map.copyOf(headers);
    body = body == null ? "" : body;
    if (!path.startsWith("/")) throw new IllegalArgumentException("path must start with '/': " + path);
  }

  /** The path with {@code encodedKey} in place of {@link #KEY}. */
  public String pathFor(String encodedKey) {
    return path.replace(KEY, encodedKey);
  }

  /** The body with {@code encodedKey} in place of {@link #KEY}. */
  public String bodyFor(String encodedKey) {
    return body.replace(KEY, encodedKey);
  }
}
