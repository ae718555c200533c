package io.mlops.core.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the README's code blocks honest: the code between {@code // README NAME: begin} and
 * {@code // README NAME: end} in a test source (which the test runs) must appear in the README line
 * by line.
 */
public final class ReadmeBlocks {

    private ReadmeBlocks() {
    }

    /**
     * Asserts that every non-blank line of a marked block of a source file is in the README.
     *
     * @param source the source file holding the markers, relative to the module
     * @param name the block's name in its markers
     * @throws IOException when a file cannot be read
     */
    public static void assertShown(Path source, String name) throws IOException {
        Matcher m = Pattern.compile("// README " + Pattern.quote(name) + ": begin\\n(.*?)\\n\\s*// README "
                + Pattern.quote(name) + ": end", Pattern.DOTALL).matcher(Files.readString(source));
        assertThat(m.find()).as("markers of the %s block in %s", name, source).isTrue();
        String readme = Files.readString(Path.of("..", "README.md"));
        for (String line : m.group(1).split("\\n")) {
            if (!line.isBlank()) {
                assertThat(readme).as("README line of the %s block", name).contains(line.strip());
            }
        }
    }
}
