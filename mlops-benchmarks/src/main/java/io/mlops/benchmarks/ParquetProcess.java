package io.mlops.benchmarks;

import io.mlops.core.Dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One fresh process, as a nightly job would be: writes the {@link CsvBenchmark} data (1M x 10
 * doubles) as CSV and as Parquet, then reads each back once, in the order given, printing the wall
 * time of every step — the first Parquet call of a process also loads the engine's native library
 * (DuckDB unpacks 72 MB into {@code java.io.tmpdir}). Run it with the JVM's defaults:
 * {@code java -cp mlops-benchmarks/target/benchmarks.jar io.mlops.benchmarks.ParquetProcess [parquet-first|csv-first]}.
 */
public final class ParquetProcess {

    private ParquetProcess() {
    }

    /**
     * Runs it.
     *
     * @param args optionally {@code csv-first}
     * @throws IOException when the temporary files cannot be made
     */
    public static void main(String[] args) throws IOException {
        boolean csvFirst = args.length > 0 && args[0].equals("csv-first");
        Dataset data = BenchData.numeric(1_000_000, 10, 2);
        Path dir = Files.createTempDirectory("mlops-parquet-process");
        Path csv = dir.resolve("data.csv");
        Path parquet = dir.resolve("data.parquet");
        try {
            for (String step : csvFirst ? new String[] {"csv", "parquet"} : new String[] {"parquet", "csv"}) {
                long t = System.nanoTime();
                if (step.equals("csv")) {
                    data.writeCsv(csv);
                } else {
                    data.writeParquet(parquet);
                }
                long written = System.nanoTime();
                Dataset back = step.equals("csv") ? Dataset.readCsv(csv) : Dataset.readParquet(parquet);
                long read = System.nanoTime();
                if (!back.contentHash().equals(data.contentHash())) {
                    throw new IllegalStateException(step + " read back other data");
                }
                System.out.printf("%s: first write %.0f ms, first read %.0f ms, %d bytes%n", step, (written - t) / 1e6,
                        (read - written) / 1e6, Files.size(step.equals("csv") ? csv : parquet));
            }
            System.out.printf("peak RSS %d MB%n", DriftProcess.peakRssMb());
        } finally {
            Files.deleteIfExists(csv);
            Files.deleteIfExists(parquet);
            Files.deleteIfExists(dir);
        }
    }
}
