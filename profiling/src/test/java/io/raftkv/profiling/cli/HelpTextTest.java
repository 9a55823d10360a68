package io.raftkv.profiling.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftkv.cli.RaftkvCli;
import java.util.ArrayList;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every command's description, header and footer is a valid format string, as picocli treats them:
 * a lone {@code %} makes picocli print a warning and the raw text in place of the help. (Option
 * descriptions reach this test already interpolated; BenchCommandTest renders those of bench.)
 */
class HelpTextTest {
  @Test
  void everyCommandsHelpFormats() {
    CommandLine cli = RaftkvCli.commandLine();
    List<String> problems = new ArrayList<>();
    List<String> checked = new ArrayList<>();
    check(cli, problems, checked);
    assertTrue(checked.containsAll(List.of("raftkv stress", "raftkv bench", "raftkv up")), checked.toString());
    assertEquals(List.of(), problems);
  }

  private static void check(CommandLine cmd, List<String> problems, List<String> checked) {
    CommandSpec spec = cmd.getCommandSpec();
    checked.add(spec.qualifiedName());
    List<String> lines = new ArrayList<>();
    lines.addAll(List.of(spec.usageMessage().description()));
    lines.addAll(List.of(spec.usageMessage().header()));
    lines.addAll(List.of(spec.usageMessage().footer()));
    for (String line : lines) {
      try {
        String.format(Locale.ROOT, line);
      } catch (IllegalFormatException e) {
        problems.add(spec.qualifiedName() + ": " + e + " in: " + line);
      }
    }
    for (CommandLine sub : cmd.getSubcommands().values()) check(sub, problems, checked);
  }
}
