package io.mlops.parquet;

import io.mlops.core.Dataset;
import io.mlops.core.ValidationException;
import io.mlops.data.DataVersioning;
import io.mlops.data.DatasetVersion;
import io.mlops.data.RowDiff;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code compareRows} against a brute-force comparison in the heap, on seeded random tables with
 * inserts, deletes, updates, duplicate keys, missing values (NaN in numeric columns, null in
 * categorical ones, each changing to and from values), a column that changed kind and columns of
 * one side only; and its refusals.
 */
class RowDiffTest {

    @TempDir
    Path dir;

    /** Two versions of a table keyed on {@code id}, derived from one seed. */
    private static Dataset[] versions(long seed, int rows) {
        Random r = new Random(seed);
        List<double[]> a = new ArrayList<>();
        List<String> aS = new ArrayList<>();
        List<double[]> b = new ArrayList<>();
        List<String> bS = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            double id = i * 3;
            double x = r.nextInt(10) == 0 ? Double.NaN : Math.round(r.nextGaussian() * 100) / 10.0;
            String s = r.nextInt(10) == 0 ? null : "c" + r.nextInt(6);
            double t = r.nextInt(100);
            a.add(new double[] {id, x, t});
            aS.add(s);
            int fate = r.nextInt(20);
            if (fate == 0) {
                continue; // deleted
            }
            double bx = x;
            String bs = s;
            if (fate == 1) {
                bx = Double.isNaN(x) ? 1.5 : x + r.nextInt(5) - 2; // possibly the same value: unchanged
            } else if (fate == 2) {
                bs = s == null ? "new" : r.nextBoolean() ? null : s + "'";
            } else if (fate == 3) {
                bx = Double.NaN;
            }
            b.add(new double[] {id, bx, t});
            bS.add(bs);
            if (fate == 4) {
                b.add(new double[] {id, bx + 1, t}); // a duplicate key in the second version
                bS.add(bs);
            }
        }
        for (int i = 0; i < rows / 25; i++) {
            b.add(new double[] {rows * 3 + i * 7 + 1, r.nextGaussian(), 1}); // inserted
            bS.add(r.nextBoolean() ? null : "ins");
        }
        a.add(new double[] {1, 1, 1}); // a duplicate key in the first version
        aS.add("dup");
        a.add(new double[] {1, 2, 1});
        aS.add("dup");
        return new Dataset[] {table(a, aS, "old", true), table(b, bS, "new", false)};
    }

    private static Dataset table(List<double[]> rows, List<String> s, String extra, boolean tNumeric) {
        int n = rows.size();
        double[] id = new double[n];
        double[] x = new double[n];
        double[] t = new double[n];
        String[] tText = new String[n];
        for (int i = 0; i < n; i++) {
            id[i] = rows.get(i)[0];
            x[i] = rows.get(i)[1];
            t[i] = rows.get(i)[2];
            tText[i] = String.valueOf((int) t[i]);
        }
        Dataset.Builder b = Dataset.builder().numeric("id", id).numeric("x", x).categorical("s", s.toArray(new String[0]));
        b = tNumeric ? b.numeric("t", t) : b.categorical("t", tText);
        return b.numeric(extra, new double[n]).build();
    }

    /** The comparison done by hand, in the heap. */
    private record Expected(long added, long removed, long changed, long unchanged, long duplicates, long xChanged, double xMean,
                            double xMax, long sChanged, List<Double> firstAdded, List<Double> firstRemoved, List<Double> firstChanged) {
    }

    private static Expected bruteForce(Dataset a, Dataset b) {
        Map<Double, Integer> countA = counts(a);
        Map<Double, Integer> countB = counts(b);
        TreeSet<Double> dups = new TreeSet<>();
        countA.forEach((k, c) -> { if (c > 1) dups.add(k); });
        countB.forEach((k, c) -> { if (c > 1) dups.add(k); });
        TreeMap<Double, Integer> rowA = rowsByKey(a, dups);
        TreeMap<Double, Integer> rowB = rowsByKey(b, dups);
        List<Double> added = rowB.keySet().stream().filter(k -> !rowA.containsKey(k)).toList();
        List<Double> removed = rowA.keySet().stream().filter(k -> !rowB.containsKey(k)).toList();
        List<Double> changed = new ArrayList<>();
        long unchanged = 0;
        long xChanged = 0;
        long sChanged = 0;
        double sum = 0;
        long both = 0;
        double max = Double.NaN;
        for (Map.Entry<Double, Integer> e : rowA.entrySet()) {
            Integer j = rowB.get(e.getKey());
            if (j == null) {
                continue;
            }
            double xa = a.numeric("x")[e.getValue()];
            double xb = b.numeric("x")[j];
            boolean xDiff = !(Double.isNaN(xa) && Double.isNaN(xb)) && !(xa == xb);
            boolean sDiff = !java.util.Objects.equals(a.categorical("s")[e.getValue()], b.categorical("s")[j]);
            if (xDiff) {
                xChanged++;
                if (!Double.isNaN(xa) && !Double.isNaN(xb)) {
                    sum += Math.abs(xb - xa);
                    both++;
                    max = Double.isNaN(max) ? Math.abs(xb - xa) : Math.max(max, Math.abs(xb - xa));
                }
            }
            if (sDiff) {
                sChanged++;
            }
            if (xDiff || sDiff) {
                changed.add(e.getKey());
            } else {
                unchanged++;
            }
        }
        return new Expected(added.size(), removed.size(), changed.size(), unchanged, dups.size(), xChanged,
                both == 0 ? Double.NaN : sum / both, max, sChanged, first(added), first(removed), first(changed));
    }

    private static List<Double> first(List<Double> keys) {
        return keys.subList(0, Math.min(10, keys.size()));
    }

    private static Map<Double, Integer> counts(Dataset d) {
        Map<Double, Integer> out = new HashMap<>();
        for (double k : d.numeric("id")) {
            out.merge(k, 1, Integer::sum);
        }
        return out;
    }

    private static TreeMap<Double, Integer> rowsByKey(Dataset d, TreeSet<Double> dups) {
        TreeMap<Double, Integer> out = new TreeMap<>();
        double[] ids = d.numeric("id");
        for (int i = 0; i < ids.length; i++) {
            if (!dups.contains(ids[i])) {
                out.put(ids[i], i);
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void agreesWithABruteForceComparison(long seed) {
        Dataset[] v = versions(seed, 3_000 + (int) seed * 500);
        DataVersioning data = DataVersioning.fileSystem(dir.resolve("repo"));
        DatasetVersion a = data.commit("customers", v[0]).save();
        DatasetVersion b = data.commit("customers", v[1]).save();

        RowDiff diff = data.compareRows(a.id(), b.id(), "id");
        Expected e = bruteForce(v[0], v[1]);

        assertThat(diff.rowsBefore()).isEqualTo(v[0].rowCount());
        assertThat(diff.rowsAfter()).isEqualTo(v[1].rowCount());
        assertThat(diff.added()).isEqualTo(e.added());
        assertThat(diff.removed()).isEqualTo(e.removed());
        assertThat(diff.changed()).isEqualTo(e.changed());
        assertThat(diff.unchanged()).isEqualTo(e.unchanged());
        assertThat(diff.duplicateKeys()).isEqualTo(e.duplicates()).isPositive();
        assertThat(diff.columns()).extracting(RowDiff.ColumnChange::column).containsExactly("x", "s");
        RowDiff.ColumnChange x = diff.columns().get(0);
        assertThat(x.rowsChanged()).isEqualTo(e.xChanged());
        assertThat(x.meanAbsoluteChange()).isCloseTo(e.xMean(), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(x.maxAbsoluteChange()).isEqualTo(e.xMax());
        assertThat(diff.columns().get(1).rowsChanged()).isEqualTo(e.sChanged());
        assertThat(diff.columnsOnlyBefore()).containsExactly("old");
        assertThat(diff.columnsOnlyAfter()).containsExactly("new");
        assertThat(diff.columnsOfOtherKind()).containsExactly("t");
        assertThat(diff.addedExamples()).extracting(m -> (Double) m.get("id")).containsExactlyElementsOf(e.firstAdded());
        assertThat(diff.removedExamples()).extracting(m -> (Double) m.get("id")).containsExactlyElementsOf(e.firstRemoved());
        assertThat(diff.changedExamples()).extracting(c -> (Double) c.key().get("id")).containsExactlyElementsOf(e.firstChanged());
        for (RowDiff.ChangedRow c : diff.changedExamples()) {
            assertThat(c.changes()).isNotEmpty();
        }
        assertThat(diff.same()).isFalse();
        assertThat(data.compareRows(a.id(), a.id(), "id").changed()).isZero();
    }

    @Test
    void progressClimbsToItsTotal() {
        Dataset[] v = versions(9, 2_000);
        DataVersioning data = DataVersioning.fileSystem(dir.resolve("repo"));
        String a = data.commit("t", v[0]).save().id();
        String b = data.commit("t", v[1]).save().id();
        List<long[]> heard = new ArrayList<>();
        RowDiff diff = data.compareRows(a, b, List.of("id"), (done, total) -> heard.add(new long[] {done, total}));
        assertThat(diff.changed()).isPositive();
        assertThat(heard).hasSizeGreaterThanOrEqualTo(4);
        for (int i = 1; i < heard.size(); i++) {
            assertThat(heard.get(i)[0]).isGreaterThanOrEqualTo(heard.get(i - 1)[0]);
        }
        assertThat(heard.get(heard.size() - 1)).containsExactly(100, 100);
    }

    @Test
    void foldersAndDatasetsCompareAlikeOnCompositeKeys() throws Exception {
        Dataset one = Dataset.builder().categorical("country", new String[] {"PT", "PT", "DE", "DE"})
                .numeric("store", new double[] {1, 2, 1, 2}).numeric("sales", new double[] {10, 20, 30, 40}).build();
        Dataset two = Dataset.builder().categorical("country", new String[] {"PT", "DE", "DE", "FR"})
                .numeric("store", new double[] {1, 1, 2, 1}).numeric("sales", new double[] {10, 33, 40, 5}).build();
        DataVersioning data = DataVersioning.fileSystem(dir.resolve("repo"));
        Path folder = dir.resolve("two");
        two.writeParquet(folder.resolve("part-0.parquet"));
        DatasetVersion a = data.commit("sales", one).save();
        DatasetVersion b = data.commit("sales", folder).save();

        RowDiff diff = data.compareRows(a.id(), b.id(), "country", "store");

        assertThat(diff.added()).isEqualTo(1);
        assertThat(diff.removed()).isEqualTo(1);
        assertThat(diff.changed()).isEqualTo(1);
        assertThat(diff.unchanged()).isEqualTo(2);
        assertThat(diff.addedExamples()).containsExactly(Map.of("country", "FR", "store", 1.0, "sales", 5.0));
        assertThat(diff.removedExamples()).containsExactly(Map.of("country", "PT", "store", 2.0, "sales", 20.0));
        assertThat(diff.changedExamples()).singleElement().satisfies(c -> {
            assertThat(c.key()).isEqualTo(Map.of("country", "DE", "store", 1.0));
            assertThat(c.changes()).isEqualTo(Map.of("sales", new RowDiff.Change(30.0, 33.0)));
        });
        assertThat(diff.columns().get(0).meanAbsoluteChange()).isEqualTo(3.0);
    }

    /** Interrupting the caller stops a long comparison in the engine, with its temporary files removed. */
    @Test
    void aComparisonStopsWhenItsThreadIsInterrupted() throws Exception {
        Path one = dir.resolve("one");
        Path two = dir.resolve("two");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:"); java.sql.Statement s = c.createStatement()) {
            java.nio.file.Files.createDirectories(one);
            java.nio.file.Files.createDirectories(two);
            s.execute("COPY (SELECT i AS id, random() AS x, random() AS y FROM range(4000000) r(i)) TO '" + one.resolve("p.parquet")
                    + "' (FORMAT parquet)");
            s.execute("COPY (SELECT i AS id, random() AS x, random() AS y FROM range(4000000) r(i)) TO '" + two.resolve("p.parquet")
                    + "' (FORMAT parquet)");
        }
        DataVersioning data = DataVersioning.fileSystem(dir.resolve("repo"));
        String a = data.commit("t", one).save().id();
        String b = data.commit("t", two).save().id();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean stillInterrupted = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        Thread worker = new Thread(() -> {
            started.countDown();
            try {
                data.compareRows(a, b, "id");
            } catch (Throwable e) {
                failure.set(e);
            }
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        worker.start();
        started.await();
        Thread.sleep(300);
        worker.interrupt();
        worker.join(120_000);
        assertThat(worker.isAlive()).isFalse();
        assertThat(failure.get()).as("the comparison of 4M rows ran to its end before the interrupt: make it larger")
                .isInstanceOf(io.mlops.core.MlopsException.class)
                .hasMessageContaining("interrupted");
        assertThat(stillInterrupted).isTrue();

        // and inside the engine itself, on the files directly (no writing out to interrupt)
        failure.set(null);
        Thread engine = new Thread(() -> {
            try {
                io.mlops.data.spi.RowDiffer.find().orElseThrow().diff(new io.mlops.data.spi.RowDiffer.Side("one", one),
                        new io.mlops.data.spi.RowDiffer.Side("two", two), java.util.List.of("id"), 10);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        engine.start();
        Thread.sleep(300);
        engine.interrupt();
        engine.join(120_000);
        assertThat(engine.isAlive()).isFalse();
        assertThat(failure.get()).as("the engine compared 4M rows before the interrupt: make it larger")
                .isInstanceOf(io.mlops.core.MlopsException.class)
                .hasMessageContaining("Comparing 'one' with 'two' was interrupted");
    }

    @Test
    void aKeyThatIsAbsentMissingOrOfAnotherKindIsRefusedNamingIt() {
        DataVersioning data = DataVersioning.fileSystem(dir.resolve("repo"));
        DatasetVersion a = data.commit("t", Dataset.builder().numeric("id", new double[] {1, Double.NaN}).numeric("x", new double[] {1, 2})
                .build()).save();
        DatasetVersion b = data.commit("t", Dataset.builder().categorical("id", new String[] {"1", "2"}).numeric("x", new double[] {1, 2})
                .build()).save();
        DatasetVersion c = data.commit("t", Dataset.builder().numeric("id", new double[] {1, 2}).numeric("x", new double[] {1, 3})
                .build()).save();
        assertThatThrownBy(() -> data.compareRows(a.id(), c.id(), "customer_id"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("'customer_id'");
        assertThatThrownBy(() -> data.compareRows(a.id(), c.id(), "id"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("'id'").hasMessageContaining("1 missing");
        assertThatThrownBy(() -> data.compareRows(b.id(), c.id(), "id"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("'id'").hasMessageContaining("one kind");
    }
}
