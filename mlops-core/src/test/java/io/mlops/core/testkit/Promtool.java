package io.mlops.core.testkit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Prometheus's own linter over a scrape, when Debian's {@code prometheus} package is installed. */
public final class Promtool {

    private Promtool() {
    }

    /** Runs {@code promtool check metrics} on the text; says SKIPPED when promtool is missing. */
    /**
     * Checks only the families whose names start with a prefix (an application's scrape also holds
     * other libraries' meters, which are theirs to lint).
     *
     * @param scrape the Prometheus text exposition
     * @param prefix the families' name prefix, e.g. {@code mlops_}
     * @throws Exception when promtool cannot be run
     */
    public static void check(String scrape, String prefix) throws Exception {
        StringBuilder ours = new StringBuilder();
        for (String line : scrape.split("\n")) {
            String name = line.startsWith("# HELP ") || line.startsWith("# TYPE ") ? line.substring(7) : line;
            if (name.startsWith(prefix)) {
                ours.append(line).append('\n');
            }
        }
        check(ours.toString());
    }

    /**
     * @param scrape the Prometheus text exposition
     * @throws Exception when promtool cannot be run
     */
    public static void check(String scrape) throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        if (!Files.isExecutable(promtool)) {
            System.out.println("SKIPPED: promtool check metrics (install Debian's prometheus package to run it)");
            return;
        }
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(scrape.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("promtool check metrics: %s", out).isZero();
    }
}
