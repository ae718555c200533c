package io.mlops.cli.internal;

import picocli.CommandLine.Option;

/**
 * The {@code -h}/{@code --help} option of every subcommand. Subcommands have no {@code --version}
 * flag of their own ({@code mlops --version} prints the version): an option of that name then means
 * what a user means by it, such as the version to register, instead of printing the program's
 * version and exiting 0 with nothing done.
 */
final class HelpOption {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    /** Used by picocli. */
    public HelpOption() {
    }
}
