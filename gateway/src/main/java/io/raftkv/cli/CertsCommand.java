package io.raftkv.cli;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.raftkv.node.ClusterLayout;
import io.raftkv.security.Role;
import io.raftkv.security.TlsFiles;
import io.raftkv.security.TlsInit;
import io.raftkv.security.TokenEntry;
import io.raftkv.security.Tokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code raftkv certs init|token}: the cluster's TLS material and API tokens. */
@Command(name = "certs", mixinStandardHelpOptions = true,
    description = {"Makes the TLS material of a secure cluster: a cluster CA, a certificate per node, an admin client "
        + "certificate, and the API tokens of the HTTP API.", "See docs/OPERATIONS.md, \"TLS material\"."},
    subcommands = {CertsCommand.Init.class, CertsCommand.Token.class})
final class CertsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: init or token");
  }

  /** {@code raftkv certs init [-f FILE] [--dir DIR] [--run-dir DIR] [--force]}. */
  @Command(name = "init", mixinStandardHelpOptions = true,
      description = {"Writes the cluster's TLS material and its first API tokens.",
          "Under --dir: the cluster CA (ca.pem, ca.key); per node of the cluster file its certificate "
          + "followed by the CA's (node-<id>.pem) and its key (node-<id>.key); an admin client certificate "
          + "(client-admin.pem, client-admin.key); tokens.conf, the hashes of three API tokens: admin, "
          + "writer (read-write) and reader (read-only); and session.key, the key that binds an API session to "
          + "the token that opened it. The tokens themselves go to <run-dir>/<name>.token. "
          + "Keys and tokens are written rw-------.",
          "Run again, it keeps what is there and writes only what is missing or no longer fits (a node added to the "
          + "cluster file, a certificate that expires within 30 days); --force makes everything new."},
      exitCodeListHeading = "Exit codes:%n",
      exitCodeList = {"0:written (or kept)", "2:bad usage, a bad cluster file, or TLS material that cannot be read, kept or written"})
  static final class Init implements Callable<Integer> {
    @Option(names = {"-f", "--cluster-file"}, paramLabel = "FILE", defaultValue = "conf/cluster.conf", description = "the cluster layout (default: ${DEFAULT-VALUE})")
    Path clusterFile;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "conf/tls", description = "where the TLS material goes (default: ${DEFAULT-VALUE})")
    Path dir;

    @Option(names = "--run-dir", paramLabel = "DIR", defaultValue = "run", description = "where the tokens go (default: ${DEFAULT-VALUE})")
    Path runDir;

    @Option(names = "--force", description = "make everything new: CA, certificates, keys and tokens (tokens added since are dropped)")
    boolean force;

    @Override
    public Integer call() {
      ClusterLayout layout;
      try {
        if (!Files.isRegularFile(clusterFile)) throw new IllegalArgumentException("cluster file " + clusterFile + " does not exist");
        layout = ClusterLayout.from(ConfigFactory.parseFile(clusterFile.toFile()).resolve());
      } catch (IllegalArgumentException | ConfigException e) {
        return fail("init", e.getMessage());
      }
      try {
        new TlsInit(new TlsFiles(dir), runDir, force, System.out::println).run(layout);
      } catch (IllegalArgumentException e) {
        return fail("init", e.getMessage());
      } catch (IOException e) {
        return fail("init", "cannot write the TLS material: " + e);
      }
      Path adminToken = TlsInit.tokenFile(runDir, TlsInit.ADMIN_CLIENT);
      System.out.println();
      System.out.println("Each node needs " + dir.resolve("ca.pem") + ", its node-<id>.pem and node-<id>.key, tokens.conf and session.key;"
          + " ca.key stays with whoever issues certificates.");
      System.out.println("TLS (nodes and HTTPS):    raftkv.tls.enabled = on (and raftkv.tls.dir = " + dir + ") on every node; docs/SECURITY.md");
      System.out.println("API tokens:               raftkv.auth.enabled = on (and raftkv.auth.tokens-file = " + new TlsFiles(dir).tokens() + ")");
      System.out.println("The admin API token:      " + adminToken);
      return ExitCodes.OK;
    }
  }

  /** {@code raftkv certs token NAME --role ROLE [--dir DIR]}. */
  @Command(name = "token", mixinStandardHelpOptions = true,
      description = {"Mints an API token and adds its hash to tokens.conf.",
          "The token, named NAME with ROLE, is printed on stdout, once: it is kept nowhere else.",
          "Nodes read tokens.conf when they start: copy it to them and restart them for the token to be accepted."},
      exitCodeListHeading = "Exit codes:%n",
      exitCodeList = {"0:minted", "2:bad usage, a bad or missing tokens.conf, or NAME taken"})
  static final class Token implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "who holds the token (1-64 of A-Z a-z 0-9 _ . -); unique")
    String name;

    @Option(names = "--role", required = true, converter = RoleConverter.class, paramLabel = "ROLE",
        description = "read-only, read-write or admin")
    Role role;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "conf/tls", description = "where tokens.conf is (default: ${DEFAULT-VALUE})")
    Path dir;

    @Override
    public Integer call() {
      Path file = new TlsFiles(dir).tokens();
      if (!Files.isRegularFile(file)) return fail("token", file + " does not exist; run 'raftkv certs init' first");
      String token = Tokens.newToken();
      try {
        Tokens.append(file, new TokenEntry(name, role, Tokens.sha256Hex(token)));
      } catch (IllegalArgumentException e) {
        return fail("token", e.getMessage());
      } catch (IOException e) {
        return fail("token", "cannot write " + file + ": " + e);
      }
      System.out.println(token);
      System.err.println("token " + name + " (" + role + ") added to " + file + "; it is printed above only."
          + " Nodes read " + file.getFileName() + " when they start: restart them for it to count.");
      return ExitCodes.OK;
    }
  }

  /** {@code --role}: by the names tokens.conf uses. */
  static final class RoleConverter implements CommandLine.ITypeConverter<Role> {
    @Override
    public Role convert(String value) {
      return Role.parse(value).orElseThrow(() -> new CommandLine.TypeConversionException(
          "unknown role '" + value + "' (one of " + Role.names() + ")"));
    }
  }

  private static int fail(String command, String message) {
    System.err.println("raftkv certs " + command + ": " + message);
    return ExitCodes.USAGE;
  }
}
