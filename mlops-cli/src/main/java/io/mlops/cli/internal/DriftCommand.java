package io.mlops.cli.internal;

import io.mlops.cli.MlopsCli;
import io.mlops.core.Dataset;
import io.mlops.drift.DriftDetector;
import io.mlops.drift.DriftReport;
import io.mlops.drift.FeatureDrift;
import io.mlops.drift.ReferenceProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code mlops drift REFERENCE CURRENT}: compares two CSV files (or a reference profile and a CSV) and
 * exits with code 1 when drift is detected, so that it can gate a CI pipeline.
 */
@Command(name = "drift", subcommands = DriftCommand.Profile.class,
        description = {"Compares CURRENT with REFERENCE (a CSV, or a profile written by 'mlops drift profile') column by column;",
            "exit code 1 when drift is detected, 0 when not."})
public final class DriftCommand implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    HelpOption helpOption = new HelpOption();

    @ParentCommand
    MlopsCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "REFERENCE", arity = "0..1", // optional only so that 'drift profile' parses
            description = "The reference: a CSV file, or a profile (.json)")
    Path reference;

    @Parameters(index = "1", paramLabel = "CURRENT", arity = "0..1", description = "The current data, a CSV file")
    Path current;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write the self-contained HTML report")
    Path html;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the JSON report")
    Path jsonReport;

    @Option(names = "--write-profile", paramLabel = "FILE",
            description = "Write the reference's profile (ship it instead of the training data: it holds no values); CURRENT may then be left out")
    Path writeProfile;

    @Option(names = "--significance", defaultValue = "0.05", description = "The p-value threshold (default ${DEFAULT-VALUE})")
    double significance;

    @Option(names = "--min-rows", defaultValue = "1", paramLabel = "N",
            description = {"The fewest rows each side must have for a decision (default ${DEFAULT-VALUE});",
                "fewer is exit code 6, never a pass (an empty batch must not pass a CI gate)."})
    int minRows;

    @picocli.CommandLine.Mixin
    Roles roles = new Roles();

    /** Column roles, shared by {@code drift} and {@code drift profile}. */
    static final class Roles {
        @Option(names = "--target", paramLabel = "COLUMN", description = "The label column: reported apart, not in the drift share")
        String target;

        @Option(names = "--prediction", paramLabel = "COLUMN", description = "The model's output column: reported apart")
        String prediction;

        @Option(names = "--ignore", paramLabel = "COLUMN", split = ",", description = "Columns left out (ids, timestamps)")
        List<String> ignore = new ArrayList<>();

        DriftDetector.Builder apply(DriftDetector.Builder b) {
            if (target != null) {
                b.target(target);
            }
            if (prediction != null) {
                b.prediction(prediction);
            }
            return b.ignore(ignore.toArray(String[]::new));
        }
    }

    /** {@code mlops drift profile DATA.csv --out profile.json}: the profile to ship instead of the training data. */
    @Command(name = "profile",
            description = {"Writes the profile of training data: compare later data with it instead of shipping the data.",
                "A Parquet file or folder (or a CSV with --outside-heap) is profiled outside the heap, exactly up to",
                "10 million rows, with sketches beyond."})
    static final class Profile implements Callable<Integer> {

        @picocli.CommandLine.Mixin
        HelpOption helpOption = new HelpOption();

        @ParentCommand
        DriftCommand drift;

        @Parameters(index = "0", paramLabel = "DATA", description = "The reference data: a CSV file, a Parquet file or a folder of them")
        Path data;

        @Option(names = "--outside-heap", description = "Profile a CSV outside the heap too (Parquet always is)")
        boolean outsideHeap;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The profile to write (JSON)")
        Path out;

        @Option(names = "--ignore", paramLabel = "COLUMN", split = ",", description = "Columns left out (ids, timestamps)")
        List<String> ignore = new ArrayList<>();

        @Option(names = "--with-values", description = {"Write every numeric value exactly (reports identical to the data's);",
            "by default a profile holds no values: quantile summaries, counts, means, PSI bins"})
        boolean withValues;

        @Override
        public Integer call() throws IOException {
            String name = data.getFileName() == null ? "" : data.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            if (Files.isDirectory(data) || name.endsWith(".parquet") || outsideHeap) {
                return outsideHeap();
            }
            require(data);
            Dataset d = drift.read(data);
            ReferenceProfile p = DriftDetector.builder(d).ignore(ignore.toArray(String[]::new)).build().profile();
            io.mlops.core.internal.io.AtomicFiles.write(out, p.toJson(withValues).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            new Output(drift.spec.commandLine().getOut(), drift.cli.json()).say("Wrote the profile of " + data + " ("
                    + d.rowCount() + " rows, " + p.columns().size() + " columns; " + (withValues ? "every value exact"
                    : "no values: quantile summaries") + ") to " + out);
            return ExitCodes.OK;
        }

        private Integer outsideHeap() throws IOException {
            if (!Files.exists(data)) {
                throw new NoSuchFileException(data.toString());
            }
            if (withValues) {
                throw new picocli.CommandLine.ParameterException(drift.spec.commandLine(),
                        "--with-values needs the data in the heap: a profile made outside it holds quantile summaries");
            }
            ReferenceProfile whole = io.mlops.parquet.ParquetProfiles.profile(data, 10);
            ReferenceProfile p = ignore.isEmpty() ? whole : without(whole, ignore);
            boolean sketched = p.columns().stream().anyMatch(c -> p.rankError(c) > 0);
            io.mlops.core.internal.io.AtomicFiles.write(out, p.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            new Output(drift.spec.commandLine().getOut(), drift.cli.json()).say("Wrote the profile of " + data + " ("
                    + p.rowCount() + " rows, " + p.columns().size() + " columns; outside the heap, " + (sketched
                    ? "quantiles from sketches, rank error " + p.columns().stream().mapToDouble(p::rankError).max().orElse(0)
                    : "exact") + ") to " + out);
            return ExitCodes.OK;
        }

        /** The profile without some columns (each must exist). */
        private static ReferenceProfile without(ReferenceProfile p, List<String> columns) throws IOException {
            for (String c : columns) {
                if (!p.columns().contains(c)) {
                    throw new io.mlops.core.ValidationException("Cannot ignore column '" + c + "': the data has " + p.columns());
                }
            }
            com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode)
                    io.mlops.core.Json.mapper().readTree(p.toJson());
            java.util.Iterator<com.fasterxml.jackson.databind.JsonNode> it = root.get("columns").elements();
            while (it.hasNext()) {
                if (columns.contains(it.next().get("name").asText())) {
                    it.remove();
                }
            }
            return ReferenceProfile.fromJson(io.mlops.core.Json.writer().writeValueAsString(root));
        }
    }

    /** Used by picocli. */
    public DriftCommand() {
    }

    @Override
    public Integer call() throws IOException {
        if (reference == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required parameter: 'REFERENCE'");
        }
        require(reference);
        DriftDetector.Builder builder = reference.getFileName().toString().endsWith(".json")
                ? DriftDetector.builder(ReferenceProfile.fromJson(Files.readString(reference)))
                : DriftDetector.builder(read(reference));
        DriftDetector detector = roles.apply(builder.significance(significance)).build();
        Output out = new Output(spec.commandLine().getOut(), cli.json());
        if (writeProfile != null) {
            io.mlops.core.internal.io.AtomicFiles.write(writeProfile, detector.profile().toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.say("Wrote the reference profile to " + writeProfile);
        }
        if (current == null) {
            if (writeProfile == null) {
                throw new IllegalArgumentException("give CURRENT, the data to compare with the reference");
            }
            return ExitCodes.OK;
        }
        require(current);
        if (minRows < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--min-rows must be >= 1 but was " + minRows);
        }
        Dataset currentData = read(current);
        long referenceRows = detector.profile().rowCount();
        if (referenceRows < minRows) {
            throw new ExitCodes.TooLittleData("the reference " + reference + " has " + referenceRows + " row(s), fewer than"
                    + " --min-rows " + minRows + ": no drift decision can be made");
        }
        if (currentData.rowCount() < minRows) {
            throw new ExitCodes.TooLittleData("the current data " + current + " has " + currentData.rowCount() + " row(s), fewer"
                    + " than --min-rows " + minRows + ": no drift decision can be made (an empty batch is not a pass)");
        }
        DriftReport report = detector.detect(currentData);
        if (html != null) {
            io.mlops.core.internal.io.AtomicFiles.write(html, report.toHtml().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (jsonReport != null) {
            io.mlops.core.internal.io.AtomicFiles.write(jsonReport, report.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (cli.json()) {
            spec.commandLine().getOut().println(report.toJson());
            spec.commandLine().getOut().flush();
        } else {
            List<List<Object>> rows = new ArrayList<>();
            for (FeatureDrift f : report.features().values()) {
                FeatureDrift.Decision d = f.decision();
                rows.add(Arrays.asList(f.feature() + (report.role(f.feature()) == io.mlops.drift.ColumnRole.FEATURE ? ""
                                : " (" + report.role(f.feature()).name().toLowerCase(java.util.Locale.ROOT) + ")"), f.type().name().toLowerCase(java.util.Locale.ROOT),
                        d == null ? null : d.test(), d == null ? null : round(d.statistic()),
                        d == null || d.pValue() == null ? null : round(d.pValue()), d == null ? null : round(d.psi()),
                        f.status() == FeatureDrift.Status.EVALUATED ? (f.driftDetected() ? "DRIFT" : "ok") : f.status()));
            }
            out.table(List.of("feature", "type", "test", "statistic", "p_value", "psi", "verdict"), rows);
            out.say(String.format(java.util.Locale.ROOT, "%s: %d of %d features drifted (share %.2f)",
                    report.driftDetected() ? "DRIFT DETECTED" : "no drift", report.driftedFeatures().size(),
                    report.summary().totalFeatures(), report.driftShare()));
            report.targetDrift().ifPresent(t -> out.say("target " + t.feature() + ": " + (t.driftDetected() ? "DRIFT" : "ok")));
            report.predictionDrift().ifPresent(t -> out.say("prediction " + t.feature() + ": " + (t.driftDetected() ? "DRIFT" : "ok")));
        }
        return report.driftDetected() ? ExitCodes.DRIFT : ExitCodes.OK;
    }

    /** Reads a CSV, with a progress bar for a large one (see {@link ProgressBar#forWork}). */
    private Dataset read(Path csv) throws IOException {
        return Dataset.readCsv(csv, ProgressBar.forWork(cli.progress(), spec.commandLine().getErr(), "reading " + csv.getFileName(),
                Files.size(csv)));
    }

    private static void require(Path file) throws NoSuchFileException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
    }

    private static Object round(double v) {
        return Double.isFinite(v) ? Double.parseDouble(String.format(java.util.Locale.ROOT, "%.6g", v)) : v;
    }
}
