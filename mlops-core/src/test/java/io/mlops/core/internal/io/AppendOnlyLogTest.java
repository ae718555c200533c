package io.mlops.core.internal.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppendOnlyLogTest {

    @TempDir
    Path dir;

    @Test
    void readsWhatWasAppendedAndFollowsIncrementally() throws Exception {
        Path log = dir.resolve("sub/log.jsonl");
        assertThat(AppendOnlyLog.read(log).lines()).isEmpty();

        AppendOnlyLog.append(log, "one");
        AppendOnlyLog.append(log, List.of("two", "drei \u00fc"));
        AppendOnlyLog.Lines all = AppendOnlyLog.read(log);
        assertThat(all.lines()).containsExactly("one", "two", "drei \u00fc");

        AppendOnlyLog.append(log, "four");
        AppendOnlyLog.Lines more = AppendOnlyLog.readFrom(log, all.end());
        assertThat(more.lines()).containsExactly("four");
        assertThat(AppendOnlyLog.readFrom(log, more.end()).lines()).isEmpty();
    }

    @Test
    void aTornLastLineIsInvisibleAndCutByTheNextAppend() throws Exception {
        Path log = dir.resolve("log");
        AppendOnlyLog.append(log, "complete");
        Files.write(log, "half a li".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

        AppendOnlyLog.Lines read = AppendOnlyLog.read(log);
        assertThat(read.lines()).containsExactly("complete");
        assertThat(read.end()).isEqualTo("complete\n".length());

        AppendOnlyLog.append(log, "next");
        assertThat(Files.readString(log)).isEqualTo("complete\nnext\n");
    }

    @Test
    void rejectsLineTerminators() {
        assertThatThrownBy(() -> AppendOnlyLog.append(dir.resolve("log"), "a\nb"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lastLineIsTheLastCompleteOne() throws java.io.IOException {
        Path log = dir.resolve("last.log");
        assertThat(AppendOnlyLog.lastLine(log)).isEmpty();
        AppendOnlyLog.append(log, "first");
        assertThat(AppendOnlyLog.lastLine(log)).contains("first");
        String longLine = "\u00e9".repeat(20_000);
        AppendOnlyLog.append(log, longLine);
        assertThat(AppendOnlyLog.lastLine(log)).contains(longLine);
        AppendOnlyLog.append(log, "");
        assertThat(AppendOnlyLog.lastLine(log)).contains("");
        java.nio.file.Files.write(log, "torn".getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
        assertThat(AppendOnlyLog.lastLine(log)).contains("");
        AppendOnlyLog.append(log, "after");
        assertThat(AppendOnlyLog.lastLine(log)).contains("after");
    }
}
