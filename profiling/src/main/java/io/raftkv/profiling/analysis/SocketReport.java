package io.raftkv.profiling.analysis;

/**
 * {@code jdk.SocketRead} and {@code jdk.SocketWrite} (blocking java.net sockets and NIO socket channels,
 * only calls above the recording's threshold: 10 ms in the JDK's "profile" settings, 20 ms in "default";
 * a non-blocking read that finds nothing is not recorded).
 */
public record SocketReport(SocketIo read, SocketIo write) {}
