package io.raftkv.profiling.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The Lua script that makes wrk send one workload to one system. The keys, already encoded for the
 * system, come from a file ({@link #writeKeys}), one per line, read by each wrk thread in
 * {@code init}: a script holding them as literals would stop at LuaJIT's 65,536 constants per
 * function, long before a pre-fill of millions of keys. {@code request} only picks a key and an
 * operation from a generator seeded per thread; {@code done} prints one JSON line with the counts
 * and the latency percentiles, which {@link WrkResult#parse} reads.
 *
 * <p>Two ways to make the requests, chosen by their size ({@link #preformatted}):
 *
 * <ul>
 *   <li>Pre-formatted: every request is formatted once in {@code init}, so wrk spends its time on
 *       the wire, not in Lua. The requests of every key are then in each thread's memory, which is
 *       fine for the default 10,000 keys of 100 bytes (a few MiB) but not for millions of 1 KiB
 *       values (gigabytes per thread).
 *   <li>Spliced: each request is formatted once with a placeholder as long as every key and cut
 *       around it; {@code request} joins the pieces with the key it picked, one string join of the
 *       request's length. Needs keys of one length (the Content-Length is the placeholder's), which
 *       the benchmark's keys are.
 * </ul>
 */
public final class WrkScript {
  /** Formatted requests each wrk thread may hold at most; beyond it requests are spliced. */
  static final long PREFORMATTED_BYTES_MAX = 64L << 20;
  /** A request's bytes beside its method, path, headers and body: the request line's version, Host and Content-Length. */
  private static final int REQUEST_FRAMING_BYTES = 96;

  private WrkScript() {}

  /** Writes {@code encodedKeys} to {@code file}, one per line, for {@link #render}. */
  public static void writeKeys(Path file, List<String> encodedKeys) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (String k : encodedKeys) {
        if (k.isEmpty() || k.indexOf('\n') >= 0 || k.indexOf('\r') >= 0) {
          throw new IllegalArgumentException("an encoded key must be one non-empty line: '" + k + "'");
        }
        out.write(k);
        out.write('\n');
      }
    }
  }

  /**
   * The script for {@code workload} against a system with these templates, over the keys of
   * {@code keysFile} ({@link #writeKeys} of {@code encodedKeys}).
   *
   * @throws IllegalArgumentException when the requests must be spliced and the keys differ in length
   */
  public static String render(Workload workload, Path keysFile, List<String> encodedKeys, RequestTemplate put, RequestTemplate get,
      long seed) {
    if (encodedKeys.isEmpty()) throw new IllegalArgumentException("no keys");
    boolean preformatted = preformatted(workload, encodedKeys, put, get);
    int keyLength = encodedKeys.get(0).length();
    if (!preformatted && encodedKeys.stream().anyMatch(k -> k.length() != keyLength)) {
      throw new IllegalArgumentException("spliced requests need keys of one length; " + encodedKeys.size() + " keys of "
          + keyLength + " and more characters");
    }
    boolean puts = workload.kind().putPercent > 0;
    boolean gets = workload.kind().putPercent < 100;
    StringBuilder s = new StringBuilder(4096);
    s.append("-- written by raftkv bench: ").append(workload.name()).append(", ").append(encodedKeys.size()).append(" keys, ")
        .append(preformatted ? "pre-formatted" : "spliced").append(" requests\n");
    s.append("local keys_file = ").append(lua(keysFile.toAbsolutePath().toString())).append("\n");
    s.append("local key_count = ").append(encodedKeys.size()).append("\n");
    s.append("local put_percent = ").append(workload.kind().putPercent).append("\n");
    s.append("local keys, puts, gets = {}, {}, {}\n");
    s.append("local threads = 0\n");
    s.append("function setup(thread)\n  threads = threads + 1\n  thread:set(\"thread_number\", threads)\nend\n");
    s.append("local function read_keys()\n  local n = 0\n  for line in io.lines(keys_file) do\n    n = n + 1\n    keys[n] = line\n  end\n");
    s.append("  if n ~= key_count then error(keys_file .. \": \" .. n .. \" keys, expected \" .. key_count) end\nend\n");
    if (preformatted) {
      s.append("function init(args)\n");
      s.append("  math.randomseed(").append(seed).append(" + thread_number)\n");
      s.append("  read_keys()\n");
      s.append("  for i, k in ipairs(keys) do\n");
      if (puts) s.append("    puts[i] = ").append(format(put)).append("\n");
      if (gets) s.append("    gets[i] = ").append(format(get)).append("\n");
      s.append("  end\nend\n");
      s.append("function request()\n  local i = math.random(key_count)\n");
      s.append("  if math.random(100) <= put_percent then return puts[i] end\n  return gets[i]\nend\n");
    } else {
      // puts and gets hold the pieces of one request around its key, not one request per key
      s.append("local function pieces(request, placeholder)\n  local out, from = {}, 1\n  while true do\n");
      s.append("    local first, last = string.find(request, placeholder, from, true)\n");
      s.append("    if not first then\n      out[#out + 1] = string.sub(request, from)\n      return out\n    end\n");
      s.append("    out[#out + 1] = string.sub(request, from, first - 1)\n    from = last + 1\n  end\nend\n");
      s.append("local function splice(p, k)\n  if #p == 2 then return p[1] .. k .. p[2] end\n");
      s.append("  local s = p[1]\n  for j = 2, #p do s = s .. k .. p[j] end\n  return s\nend\n");
      s.append("function init(args)\n");
      s.append("  math.randomseed(").append(seed).append(" + thread_number)\n");
      s.append("  read_keys()\n");
      s.append("  local k = string.rep(\"\\001\", ").append(keyLength).append(") -- the placeholder, as long as every key\n");
      if (puts) s.append("  puts = pieces(").append(format(put)).append(", k)\n");
      if (gets) s.append("  gets = pieces(").append(format(get)).append(", k)\n");
      s.append("end\n");
      s.append("function request()\n  local k = keys[math.random(key_count)]\n");
      s.append("  if math.random(100) <= put_percent then return splice(puts, k) end\n  return splice(gets, k)\nend\n");
    }
    s.append("function done(summary, latency, requests)\n");
    s.append("  local e = summary.errors\n");
    s.append("  io.write(string.format('{\"requests\":%d,\"duration_us\":%d,\"connect_errors\":%d,\"read_errors\":%d,"
        + "\"write_errors\":%d,\"status_errors\":%d,\"timeouts\":%d,\"p50_us\":%d,\"p99_us\":%d,\"max_us\":%d}\\n',\n");
    s.append("    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,\n");
    s.append("    latency:percentile(50), latency:percentile(99), latency.max))\nend\n");
    return s.toString();
  }

  /** Whether every key's requests, formatted once, fit {@link #PREFORMATTED_BYTES_MAX} per wrk thread. */
  static boolean preformatted(Workload workload, List<String> encodedKeys, RequestTemplate put, RequestTemplate get) {
    String k = encodedKeys.get(0);
    long perKey = (workload.kind().putPercent > 0 ? requestBytes(put, k) : 0) + (workload.kind().putPercent < 100 ? requestBytes(get, k) : 0);
    return perKey * encodedKeys.size() <= PREFORMATTED_BYTES_MAX;
  }

  /** About how many bytes wrk.format makes of {@code t} for key {@code k}. */
  private static long requestBytes(RequestTemplate t, String k) {
    long headers = 0;
    for (Map.Entry<String, String> h : t.headers().entrySet()) headers += h.getKey().length() + h.getValue().length() + 4;
    return t.method().length() + t.pathFor(k).length() + headers + t.bodyFor(k).getBytes(StandardCharsets.UTF_8).length
        + REQUEST_FRAMING_BYTES;
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
