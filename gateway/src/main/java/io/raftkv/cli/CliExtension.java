package io.raftkv.cli;

/**
 * A subcommand that a module above the gateway adds to {@code raftkv} (profiling/ adds {@code profile},
 * {@code jfr} and {@code top}). Dependencies point one way, so {@link RaftkvCli} cannot name these
 * classes: it finds them with {@link java.util.ServiceLoader}, and the launcher's class path decides
 * which commands exist. An implementation is a picocli {@code @Command} with a public no-argument
 * constructor, listed in {@code META-INF/services/io.raftkv.cli.CliExtension}.
 */
public interface CliExtension {}
