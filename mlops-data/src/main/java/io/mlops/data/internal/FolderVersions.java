package io.mlops.data.internal;

import io.mlops.core.Dataset;
import io.mlops.core.ProgressListener;
import io.mlops.core.StorageException;
import io.mlops.core.ValidationException;
import io.mlops.core.internal.io.AtomicFiles;
import io.mlops.core.internal.io.JsonRecords;
import io.mlops.core.internal.io.ProgressInputStream;
import io.mlops.core.internal.io.Sha256;
import io.mlops.core.spi.BlobRef;
import io.mlops.core.spi.DatasetFileFormat;
import io.mlops.data.DatasetIds;
import io.mlops.data.DatasetVersion;
import io.mlops.data.spi.StoredVersion;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Folder versions: a table's Parquet part files (a Spark or Hive output folder, partition folders
 * included) committed as one version, each file streamed into its own blob (so a part shared by
 * two versions is stored once), and checked out again file by file, verified.
 *
 * <p><b>Identity</b>: SHA-256 over {@code mlops.files.v1} and the sorted lines
 * {@code <partition folders>\t<sha256 of the file>}, where the partition folders are the
 * {@code key=value} folders on the file's path. Part-file names and their order do not count
 * (Spark names parts by task and attempt); partition folders do, since they hold values of the
 * table.
 */
final class FolderVersions {

    private FolderVersions() {
    }

    /**
     * The files of a folder that make its table: every regular file not hidden ({@code _SUCCESS},
     * {@code .crc} files and any folder starting with {@code _} or {@code .} are left out), sorted by
     * relative path; each must be a {@code .parquet} file.
     */
    static List<Path> files(Path folder) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(p -> Files.isRegularFile(p) && !io.mlops.core.internal.io.TableFolders.hidden(folder.relativize(p)))
                    .sorted((a, b) -> relative(folder, a).compareTo(relative(folder, b)))
                    .toList();
        }
        for (Path f : files) {
            if (!f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet")) {
                throw new ValidationException("Cannot commit the folder " + folder + ": " + relative(folder, f) + " is not a"
                        + " .parquet file (a folder version is a table's Parquet part files; hidden and _ files are skipped)");
            }
        }
        if (files.isEmpty()) {
            throw new ValidationException("Cannot commit the folder " + folder + ": it holds no .parquet file");
        }
        return files;
    }

    static String relative(Path folder, Path file) {
        return folder.relativize(file).toString().replace(java.io.File.separatorChar, '/');
    }

    /**
     * Stores every part file and the list of parts; returns the version to record.
     */
    static StoredVersion store(DefaultDataVersioning data, String name, Path folder, DatasetMeta meta,
                               ProgressListener progress) {
        try {
            List<Path> files = files(folder);
            DatasetFileFormat parquet = DatasetFileFormat.require("parquet", "io.mlops:mlops-parquet");
            long rows = 0;
            long total = 0;
            DatasetFileFormat.Summary first = null;
            Path firstFile = null;
            for (Path f : files) {
                DatasetFileFormat.Summary s = parquet.summarize(f);
                if (first == null) {
                    first = s;
                    firstFile = f;
                } else if (!s.schema().equals(first.schema())) {
                    throw new ValidationException("Cannot commit the folder " + folder + ": its files differ in columns, "
                            + relative(folder, firstFile) + " has " + first.schema() + " and " + relative(folder, f) + " has "
                            + s.schema());
                }
                rows = Math.addExact(rows, s.rows());
                total += Files.size(f);
            }
            List<StoredVersion.Part> parts = new ArrayList<>();
            long[] done = {0};
            for (Path f : files) {
                BasicFileAttributes before = Files.readAttributes(f, BasicFileAttributes.class);
                long offset = done[0];
                BlobRef ref;
                try (InputStream in = new ProgressInputStream(Files.newInputStream(f), total,
                        (n, t) -> progress.progress(offset + n, t))) {
                    ref = data.blobs.put(in);
                }
                BasicFileAttributes after = Files.readAttributes(f, BasicFileAttributes.class);
                if (ref.size() != before.size() || after.size() != before.size()
                        || !after.lastModifiedTime().equals(before.lastModifiedTime())) {
                    throw new StorageException("The file " + f + " changed while it was being committed as '" + name + "'");
                }
                done[0] += ref.size();
                parts.add(new StoredVersion.Part(relative(folder, f), ref.sha256(), ref.size()));
            }
            String identity = identity(parts);
            BlobRef list = data.blobs.put(new ByteArrayInputStream(partsBytes(parts)));
            DatasetVersion v = new DatasetVersion(DatasetIds.id(name, identity), name, identity, data.clock.instant(),
                    meta.description(), meta.parents(), done[0], OptionalLong.of(rows), meta.tags());
            String folderName = folder.toAbsolutePath().normalize().getFileName() == null ? "/"
                    : folder.toAbsolutePath().normalize().getFileName().toString();
            return new StoredVersion(v, list.sha256(), null, StoredVersion.FILES, folderName, parts);
        } catch (IOException e) {
            throw new StorageException("Cannot commit the folder " + folder + " as '" + name + "': " + e.getMessage(), e);
        }
    }

    /** What a commit carries besides the bytes. */
    record DatasetMeta(String description, List<String> parents, Map<String, String> tags) {
    }

    /** The identity of a folder's content: partition folders and file contents, not file names or order. */
    static String identity(List<StoredVersion.Part> parts) {
        List<String> lines = new ArrayList<>();
        for (StoredVersion.Part p : parts) {
            StringBuilder partition = new StringBuilder();
            String[] names = p.path().split("/");
            for (int i = 0; i < names.length - 1; i++) {
                if (names[i].contains("=")) {
                    partition.append(partition.length() == 0 ? "" : "/").append(names[i]);
                }
            }
            lines.add(partition + "\t" + p.sha256() + "\n");
        }
        lines.sort(null);
        MessageDigest d = Sha256.newDigest();
        d.update("mlops.files.v1\n".getBytes(StandardCharsets.US_ASCII));
        for (String line : lines) {
            d.update(line.getBytes(StandardCharsets.UTF_8));
        }
        return Sha256.hex(d);
    }

    private static byte[] partsBytes(List<StoredVersion.Part> parts) throws IOException {
        var n = JsonRecords.object();
        n.put("format", 1);
        var array = n.putArray("parts");
        for (StoredVersion.Part p : parts) {
            array.addObject().put("path", p.path()).put("sha256", p.sha256()).put("size", p.size());
        }
        return JsonRecords.fileBytes(n);
    }

    /**
     * Writes a folder version's files under a folder, each verified against its digest as it is
     * read and written atomically; a damaged part fails the checkout naming it.
     */
    static void checkout(DefaultDataVersioning data, StoredVersion s, Path target) throws IOException {
        if (Files.exists(target)) {
            try (Stream<Path> inside = Files.list(target)) {
                if (inside.findAny().isPresent()) {
                    throw new ValidationException("Cannot check out '" + s.version().id() + "' into " + target
                            + ": the folder is not empty");
                }
            }
        }
        Path root = target.toAbsolutePath().normalize();
        for (StoredVersion.Part p : s.parts()) {
            Path file = root.resolve(p.path()).normalize();
            if (!file.startsWith(root)) {
                throw new ValidationException("Version '" + s.version().id() + "' names a part outside its folder: " + p.path());
            }
            AtomicFiles.createDirectories(file.getParent());
            try (InputStream in = data.blobs.open(p.sha256())) {
                AtomicFiles.write(file, in::transferTo);
            } catch (io.mlops.core.IntegrityException | io.mlops.core.NotFoundException e) {
                throw new StorageException("Part " + p.path() + " of dataset version '" + s.version().id() + "' (blob "
                        + p.sha256() + "): " + e.getMessage() + "; commit the same files again to restore it", e);
            }
        }
    }

    /** Reads a folder version into the heap: checked out into a temporary folder, read as Parquet, removed. */
    static Dataset load(DefaultDataVersioning data, StoredVersion s) throws IOException {
        Path temp = Files.createTempDirectory("mlops-checkout-");
        try {
            checkout(data, s, temp);
            return Dataset.readParquet(temp);
        } finally {
            io.mlops.core.internal.io.TempFolders.deleteQuietly(temp);
        }
    }
}
