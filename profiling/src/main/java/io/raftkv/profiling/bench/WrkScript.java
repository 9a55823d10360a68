package io.raftkv.profiling.bench;

import java.util.List;
import java.util.Map;

/**
 * The Lua script that makes wrk send one workload to one system. Every request is formatted once in
 * {@code init}, so wrk spends its time on the wire, not in Lua; {@code request} only picks a key
 * and an operation from a generator seeded per thread; {@code done} prints one JSON line with the
 * counts and the latency percentiles, which {@link WrkResult#parse} reads.
 */
public final class WrkScript {
  private WrkScript() {}

  /** The script for {@code workload} against a system with these templates, over {@code encodedKeys}. */
  public static String render(Workload workload, List<String> encodedKeys, RequestTemplate put, RequestTemplate get, long seed) {
    StringBuilder s = new StringBuilder(64 + encodedKeys.size() * 24);
    s.append("-- written by raftkv bench: ").append(workload.name()).append(", ").append(encodedKeys.size()).append(" keys\n");
    s.append("local keys = {\n");
    for (String k : encodedKeys) s.append(lua(k)).append(",\n");
    s.append("}\n");
    s.append("local put_percent = ").append(workload.kind().putPercent).append("\n");
    s.append("local puts, gets = {}, {}\n");
    s.append("local threads = 0\n");
    s.append("function setup(thread)\n  threads = threads + 1\n  thread:set(\"thread_number\", threads)\nend\n");
    s.append("function init(args)\n");
    s.append("  math.randomseed(").append(seed).append(" + thread_number)\n");
    s.append("  for i, k in ipairs(keys) do\n");
    if (workload.kind().putPercent > 0) s.append("    puts[i] = ").append(format(put)).append("\n");
    if (workload.kind().putPercent < 100) s.append("    gets[i] = ").append(format(get)).append("\n");
    s.append("  end\nend\n");
    s.append("function request()\n  local i = math.random(#keys)\n");
    s.append("  if math.random(100) <= put_percent then return puts[i] end\n  return gets[i]\nend\n");
    s.append("function done(summary, latency, requests)\n");
    s.append("  local e = summary.errors\n");
    s.append("  io.write(string.format('{\"requests\":%d,\"duration_us\":%d,\"connect_errors\":%d,\"read_errors\":%d,"
        + "\"write_errors\":%d,\"status_errors\":%d,\"timeouts\":%d,\"p50_us\":%d,\"p99_us\":%d,\"max_us\":%d}\\n',\n");
    s.append("    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,\n");
    s.append("    latency:percentile(50), latency:percentile(99), latency.max))\nend\n");
    return s.toString();
  }

  /** {@code wrk.format(method, path, headers, body)} with the key {@code k} spliced in. */
  private static String format(RequestTemplate t) {
    StringBuilder headers = new StringBuilder("{");
    for (Map.Entry<String, String> h : t.headers().entrySet()) {
      headers.append("[").append(lua(h.getKey())).append("] = ").append(lua(h.getValue())).append(", ");
    }
    headers.append("}");
    String body = t.body().isEmpty() ? "nil" : splice(t.body());
    return "wrk.format(" + lua(t.method()) + ", " + splice(t.path()) + ", " + headers + ", " + body + ")";
  }

  /** A Lua expression for {@code text} with {@link RequestTemplate#KEY} replaced by the variable {@code k}. */
  static String splice(String text) {
    String[] parts = text.split(java.util.regex.Pattern.quote(RequestTemplate.KEY), -1);
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) s.append(" .. k .. ");
      s.append(lua(parts[i]));
    }
    return s.toString();
  }

  /** {@code text} as a Lua string literal: quotes, backslashes and control bytes escaped. */
  static String lua(String text) {
    StringBuilder s = new StringBuilder(text.length() + 2).append('"');
    for (byte b : text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c == '"' || c == '\\') s.append('\\').append((char) c);
      else if (c < 0x20 || c >= 0x7f) s.append('\\').append(String.format("%03d", c));
      else s.append((char) c);
    }
    return s.append('"').toString();
  }
}
