package io.mlops.cli.internal;

import io.mlops.cli.MlopsCli;
import io.mlops.core.Problem;
import io.mlops.data.Commit;
import io.mlops.data.DataVersioning;
import io.mlops.data.DatasetVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code mlops data ...}: data versioning under {@code ROOT/data}. */
@Command(name = "data", description = "Data versioning under ROOT/data.")
public final class DataCommand {

    @picocli.CommandLine.Mixin
    HelpOption helpOption = new HelpOption();

    @ParentCommand
    MlopsCli cli;

    @Spec
    CommandSpec spec;

    /** Used by picocli. */
    public DataCommand() {
    }

    /** The data store for a command that only reads: it is never created by one. */
    private DataVersioning data() {
        return new Stores(cli).data(false);
    }

    private Output output() {
        return new Output(spec.commandLine().getOut(), cli.json());
    }

    @Command(name = "commit", description = {"Commits a file (streamed, stored once by content) as a new version,",
        "or a folder of Parquet part files (a Spark or Hive output) as one version."})
    int commit(@picocli.CommandLine.Mixin HelpOption help, @Parameters(paramLabel = "NAME") String name,
               @Parameters(paramLabel = "FILE|FOLDER") Path file,
               @Option(names = "--parent", paramLabel = "ID", description = "A version it derives from (repeatable)") List<String> parents,
               @Option(names = "--description", paramLabel = "TEXT") String description,
               @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "A tag (repeatable)") Map<String, String> tags,
               @Option(names = "--as-table", description = {"Read the file as a CSV table and commit the table (an id by"
                       + " content, rows and columns known, diffable); a file that is not a table is then an error"}) boolean asTable)
            throws java.io.IOException {
        if (!Files.isRegularFile(file) && !Files.isDirectory(file)) {
            throw new NoSuchFileException(file.toString());
        }
        String note = "";
        Commit c;
        if (Files.isDirectory(file)) {
            if (asTable) {
                throw new io.mlops.core.ValidationException("--as-table reads one CSV file; " + file + " is a folder");
            }
            long total;
            try (var walk = Files.walk(file)) {
                total = walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            }
            c = new Stores(cli).data(true).commit(name, file).progress(ProgressBar.forWork(cli.progress(),
                    spec.commandLine().getErr(), "storing " + file.getFileName(), total));
            note = "; a folder of Parquet files";
        } else if (asTable) {
            io.mlops.core.Dataset table = io.mlops.core.Dataset.readCsv(file, ProgressBar.forWork(cli.progress(),
                    spec.commandLine().getErr(), "reading " + file.getFileName(), Files.size(file)));
            if (table.rowCount() == 0) {
                throw new io.mlops.core.ValidationException(file + " holds no rows: an empty table is not committed");
            }
            c = new Stores(cli).data(true).commit(name, table);
            note = "; a table of " + table.rowCount() + " rows and " + table.columnNames().size() + " columns";
        } else {
            note = tableNote(file);
            c = new Stores(cli).data(true).commit(name, file).progress(ProgressBar.forWork(cli.progress(),
                    spec.commandLine().getErr(), "storing " + file.getFileName(), Files.size(file)));
        }
        if (parents != null) {
            c.parents(parents.toArray(String[]::new));
        }
        if (description != null) {
            c.description(description);
        }
        if (tags != null) {
            tags.forEach(c::tag);
        }
        DatasetVersion v = c.save();
        if (Files.isDirectory(file)) {
            note += " of " + v.rowCount().orElse(0) + " rows";
        }
        output().say("Committed " + v.name() + " " + v.id() + " (" + v.sizeBytes() + " bytes" + note + ")");
        if (cli.json()) {
            output().object(fields(v));
        }
        return ExitCodes.OK;
    }

    /** Files up to this size are read once to say whether they are a table (a CSV over it is not checked). */
    private static final long TABLE_CHECK_BYTES = 64L << 20;

    /**
     * What a committed file is, for the commit's line: a CSV that reads as a table says so; one that
     * does not says why, so that a malformed, ragged or empty CSV is not stored without a word.
     */
    private static String tableNote(Path file) throws java.io.IOException {
        if (!file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv")) {
            return "; stored as a file";
        }
        if (Files.size(file) > TABLE_CHECK_BYTES) {
            return "; stored as a file, not checked as a table (over 64 MB; --as-table reads it as one)";
        }
        try {
            io.mlops.core.Dataset d = io.mlops.core.Dataset.readCsv(file);
            return d.rowCount() == 0 ? "; stored as a file: a CSV with no rows, not a table"
                    : "; stored as a file, readable as a table of " + d.rowCount() + " rows and " + d.columnNames().size()
                    + " columns";
        } catch (io.mlops.core.MlopsException notATable) {
            return "; stored as a file: NOT readable as a table (" + notATable.getMessage().replace(file.toString(), file
                    .getFileName().toString()) + "); --as-table insists on one";
        }
    }

    @Command(name = "log", description = "Lists a dataset's versions, oldest first.")
    int log(@picocli.CommandLine.Mixin HelpOption help, @Parameters(paramLabel = "NAME") String name) {
        List<List<Object>> rows = new ArrayList<>();
        List<DatasetVersion> all = data().versions(name);
        if (all.isEmpty()) {
            throw new io.mlops.core.NotFoundException("No dataset '" + name + "' in the data store");
        }
        for (DatasetVersion v : all) {
            rows.add(Arrays.asList(v.id(), v.createdAt(), v.sizeBytes(), v.rowCount().isPresent() ? v.rowCount().getAsLong() : null,
                    v.parents(), v.description()));
        }
        output().table(List.of("id", "created_at", "size_bytes", "rows", "parents", "description"), rows);
        return ExitCodes.OK;
    }

    @Command(name = "show", description = "Shows one version.")
    int show(@picocli.CommandLine.Mixin HelpOption help, @Parameters(paramLabel = "ID") String id) {
        output().object(fields(data().get(id)));
        return ExitCodes.OK;
    }

    @Command(name = "lineage", description = "Lists the versions a version derives from, nearest first.")
    int lineage(@picocli.CommandLine.Mixin HelpOption help, @Parameters(paramLabel = "ID") String id) {
        List<List<Object>> rows = new ArrayList<>();
        for (DatasetVersion v : data().lineage(id)) {
            rows.add(Arrays.asList(v.id(), v.name(), v.createdAt(), v.description()));
        }
        output().table(List.of("id", "name", "created_at", "description"), rows);
        return ExitCodes.OK;
    }

    @Command(name = "diff", description = {"Compares two dataset versions: rows, columns, statistics;",
        "with --key, row by row: rows added, removed and changed, per column, with examples."})
    int diff(@picocli.CommandLine.Mixin HelpOption help, @Parameters(paramLabel = "ID_A") String a, @Parameters(paramLabel = "ID_B") String b,
             @Option(names = "--key", paramLabel = "COLUMN", description = "A key column to match rows on (repeatable)")
             List<String> keys) {
        if (keys != null && !keys.isEmpty()) {
            DataVersioning data = data();
            long size = data.get(a).sizeBytes() + data.get(b).sizeBytes();
            io.mlops.data.RowDiff rows = data.compareRows(a, b, keys, ProgressBar.forSteps(cli.progress(), spec.commandLine().getErr(),
                    "comparing rows", size));
            if (cli.json()) {
                spec.commandLine().getOut().println(rows.toJson());
                spec.commandLine().getOut().flush();
            } else {
                output().say(rows.summary());
            }
            return ExitCodes.OK;
        }
        io.mlops.data.DatasetDiff diff = data().compare(a, b);
        if (cli.json()) {
            spec.commandLine().getOut().println(diff.toJson());
            spec.commandLine().getOut().flush();
        } else {
            output().say(diff.summary());
        }
        return ExitCodes.OK;
    }

    @Command(name = "checkout", description = "Writes the files of a folder version into an empty folder, verified.")
    int checkout(@picocli.CommandLine.Mixin HelpOption help, @Parameters(paramLabel = "ID") String id,
                 @Parameters(paramLabel = "FOLDER") Path folder) {
        data().checkout(id, folder);
        output().say("Checked out " + id + " into " + folder);
        return ExitCodes.OK;
    }

    @Command(name = "verify",
            description = "Checks every record and stored file; exit code 5 when something is damaged.")
    int verify(@picocli.CommandLine.Mixin HelpOption help) {
        List<List<Object>> rows = new ArrayList<>();
        for (Problem p : data().verify()) {
            rows.add(List.of(p.subject(), p.location(), p.description()));
        }
        output().table(List.of("subject", "location", "problem"), rows);
        output().say(rows.isEmpty() ? "All versions verified." : rows.size() + " problem(s) found.");
        return rows.isEmpty() ? ExitCodes.OK : ExitCodes.STORAGE;
    }

    private static Map<String, Object> fields(DatasetVersion v) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("id", v.id());
        f.put("name", v.name());
        f.put("sha256", v.sha256());
        f.put("created_at", v.createdAt());
        f.put("size_bytes", v.sizeBytes());
        f.put("rows", v.rowCount().isPresent() ? v.rowCount().getAsLong() : null);
        f.put("parents", v.parents());
        f.put("description", v.description());
        f.put("tags", v.tags());
        return f;
    }
}
