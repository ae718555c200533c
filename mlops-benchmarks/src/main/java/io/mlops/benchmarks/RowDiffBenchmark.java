package io.mlops.benchmarks;

import io.mlops.data.DataVersioning;
import io.mlops.data.RowDiff;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code compareRows} of two folder versions of a table of {@code rows} rows (an integer key and
 * 8 columns: 6 doubles, 2 strings), the second with 1% of its rows changed, 0.5% removed and 0.5%
 * added: the keyed diff at {@code -Xmx1g}. The tables are written by DuckDB in the setup as 4 part
 * files each and committed once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class RowDiffBenchmark {

    @Param({"10000000"})
    public long rows;

    Path dir;
    DataVersioning data;
    String a;
    String b;

    @Setup
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("mlops-rowdiff-bench");
        Path before = dir.resolve("before");
        Path after = dir.resolve("after");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            String columns = "i AS id, hash(i) % 1000 / 7.0 AS f1, hash(i + 1) % 997 / 3.0 AS f2, i * 0.5 AS f3, (i % 77)::DOUBLE AS f4,"
                    + " hash(i * 3) % 10007 / 11.0 AS f5, sqrt(i) AS f6, 'c' || (i % 13) AS s1, 'city' || (i % 101) AS s2";
            for (int part = 0; part < 4; part++) {
                long from = rows / 4 * part;
                long to = part == 3 ? rows : rows / 4 * (part + 1);
                Files.createDirectories(before);
                Files.createDirectories(after);
                s.execute("COPY (SELECT " + columns + " FROM range(" + from + ", " + to + ") t(i)) TO '" + before.resolve("part-" + part
                        + ".parquet") + "' (FORMAT parquet)");
                // 0.5% removed (i % 200 = 0), 1% changed (i % 100 = 1), 0.5% added beyond the last key
                s.execute("COPY (SELECT id, CASE WHEN id % 100 = 1 THEN f1 + 1 ELSE f1 END AS f1, f2, f3, f4, f5, f6, s1, s2 FROM (SELECT "
                        + columns + " FROM range(" + from + ", " + to + ") t(i)) WHERE id % 200 <> 0 UNION ALL SELECT " + columns
                        + " FROM range(" + (rows + from / 200) + ", " + (rows + to / 200) + ") t(i)) TO '"
                        + after.resolve("part-" + part + ".parquet") + "' (FORMAT parquet)");
            }
        }
        data = DataVersioning.fileSystem(dir.resolve("repo"));
        a = data.commit("events", before).save().id();
        b = data.commit("events", after).save().id();
    }

    @TearDown
    public void tearDown() throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Benchmark
    public RowDiff compareRows() {
        RowDiff d = data.compareRows(a, b, "id");
        if (d.changed() != rows / 100) {
            throw new IllegalStateException("expected " + rows / 100 + " changed rows, got " + d.summary());
        }
        return d;
    }
}
