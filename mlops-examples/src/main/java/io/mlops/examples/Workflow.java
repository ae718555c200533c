package io.mlops.examples;

import io.mlops.core.Dataset;
import io.mlops.core.MlopsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The end-to-end workflow: configuration, then data.
 *
 * <p>Run it with the README's run command, or {@code Workflow [config.json] [--out DIR]}: it loads
 * the configuration (the defaults, merged with the file when one is given, then with
 * {@code MLOPS_*} environment variables), prints it, generates the seeded synthetic customer
 * dataset, writes it as CSV, reads it back and prints its content hash, which is the same for the
 * written and the re-read data.
 */
public final class Workflow {

    private static final Logger LOG = LoggerFactory.getLogger(Workflow.class);

    private Workflow() {
    }

    /**
     * Runs the workflow.
     *
     * @param args an optional configuration file, and {@code --out DIR} for the output folder
     *     (default {@code target/mlops-workflow})
     */
    public static void main(String[] args) {
        Path configFile = null;
        Path out = Path.of("target", "mlops-workflow");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--out") && i + 1 < args.length) {
                out = Path.of(args[++i]);
            } else if (args[i].startsWith("--")) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; usage: Workflow [config.json] [--out DIR]");
            } else {
                configFile = Path.of(args[i]);
            }
        }
        run(configFile, out);
    }

    /**
     * Runs the workflow.
     *
     * @param configFile a configuration file to merge into the defaults, or {@code null}
     * @param out the folder for everything the workflow writes
     * @return what the workflow produced
     */
    public static Result run(Path configFile, Path out) {
        // 1. Configuration: defaults, deep-merged with the file, then the environment.
        MlopsConfig config = (configFile == null ? MlopsConfig.defaults() : MlopsConfig.load(configFile))
                .withEnvironment(System.getenv());
        LOG.info("Configuration ({}):\n{}", configFile == null ? "defaults" : configFile, config.toJson());
        config.save(out.resolve("config.json"));

        // 2. Data: a seeded synthetic customer dataset, written as CSV and identified by content.
        int seed = config.getInt("model.hyperparameters.random_state");
        Dataset customers = CustomerData.generate(1_000, seed);
        Path csv = out.resolve(config.getString("data.train_path"));
        customers.writeCsv(csv);
        Dataset reread = Dataset.readCsv(csv);
        LOG.info("Customer data: {}", customers);
        LOG.info("Churn rate: {}", String.format("%.3f", Arrays.stream(customers.numeric("churn")).average().orElse(0)));
        LOG.info("Wrote {} ({} rows)", csv, reread.rowCount());
        LOG.info("Content hash: {} (re-read from CSV: {})", customers.contentHash(), reread.contentHash());
        if (!reread.contentHash().equals(customers.contentHash())) {
            throw new IllegalStateException("CSV round trip changed the data");
        }
        System.out.println("dataset " + customers.contentHash());
        return new Result(config, customers, csv);
    }

    /**
     * What the workflow produced.
     *
     * @param config the configuration in force
     * @param customers the generated dataset
     * @param csv where it was written
     */
    public record Result(MlopsConfig config, Dataset customers, Path csv) {
    }
}
