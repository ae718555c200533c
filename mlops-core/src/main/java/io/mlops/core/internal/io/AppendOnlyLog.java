package io.mlops.core.internal.io;

import io.mlops.core.spi.CorruptFileException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A durable, append-only file of UTF-8 text lines: an audit trail, or an index that readers
 * follow incrementally.
 *
 * <p>A line is committed once it and its {@code \n} are on disk: {@link #append} writes the line
 * in one write and fsyncs before returning ({@link #appendUnsynced} leaves the fsync to a later
 * {@link #force}). A writer killed mid-append can leave an incomplete last
 * line; readers ignore it, and the next {@link #append} cuts it off before writing. Lines must not
 * contain {@code \n} or {@code \r}.
 *
 * <p>Appends must be serialised by the caller (one writer at a time, across processes: hold a
 * {@link LockFile}); reads need no lock and may run while another process appends.
 *
 * @since 0.1.0
 */
public final class AppendOnlyLog {

    private AppendOnlyLog() {
    }

    /**
     * The complete lines from a byte offset on.
     *
     * @param lines the lines read, in order
     * @param end the offset just past the last complete line; pass it to the next
     *     {@link #readFrom} to read only what was appended since
     */
    public record Lines(List<String> lines, long end) {

        /**
         * Copies the lines.
         *
         * @param lines the lines read, in order
         * @param end the offset just past the last complete line
         */
        public Lines {
            lines = List.copyOf(lines);
        }
    }

    /**
     * Appends lines durably.
     *
     * @param file the log; created with its folders when missing
     * @param lines the lines, without line terminators
     * @return the byte offset at which the first line starts
     * @throws IOException when the log cannot be written
     * @throws IllegalArgumentException when a line contains a line terminator
     */
    public static long append(Path file, List<String> lines) throws IOException {
        return write(file, lines, true);
    }

    /**
     * Appends one line durably.
     *
     * @param file the log; created with its folders when missing
     * @param line the line, without a line terminator
     * @return the byte offset at which the line starts
     * @throws IOException when the log cannot be written
     */
    public static long append(Path file, String line) throws IOException {
        return write(file, List.of(line), true);
    }

    /**
     * Appends one line without waiting for the disk: for a log whose lines can be recovered from
     * another, durable record after a crash, and which is made durable later with {@link #force}.
     * After a power loss the line may be missing or cut short (readers ignore an incomplete line).
     *
     * @param file the log; created with its folders when missing
     * @param line the line, without a line terminator
     * @return the byte offset at which the line starts
     * @throws IOException when the log cannot be written
     */
    public static long appendUnsynced(Path file, String line) throws IOException {
        return write(file, List.of(line), false);
    }

    /**
     * Makes everything appended so far durable (fsync); a missing file is left missing.
     *
     * @param file the log
     * @throws IOException when the log cannot be synced
     */
    public static void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(false);
        } catch (NoSuchFileException e) {
            // nothing to make durable
        }
    }

    private static long write(Path file, List<String> lines, boolean durable) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            Objects.requireNonNull(line, "line");
            if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("a log line must not contain a line terminator");
            }
            sb.append(line).append('\n');
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        boolean created = false;
        Path parent = file.toAbsolutePath().getParent();
        if (!java.nio.file.Files.exists(file)) {
            AtomicFiles.createDirectories(parent);
            created = true;
        }
        long start;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            start = completeLength(channel);
            if (start != channel.size()) {
                channel.truncate(start); // an append that was cut short by a crash
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            long position = start;
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
            if (durable) {
                channel.force(false);
            }
        }
        if (created && durable) {
            AtomicFiles.fsyncDirectory(parent);
        }
        return start;
    }

    /** Receives the lines of a log with the byte offset each starts at. */
    @FunctionalInterface
    public interface LineVisitor {
        /**
         * Receives one complete line.
         *
         * @param offset the byte offset the line starts at
         * @param line the line, without its terminator
         * @throws IOException when the visitor fails
         */
        void line(long offset, String line) throws IOException;
    }

    /**
     * Visits the complete lines that start at or after {@code offset}, with their offsets.
     *
     * @param file the log; a missing file has no lines
     * @param offset where to start: 0, or an offset a line starts at
     * @param visitor receives each line
     * @return the offset just past the last complete line; when the file is shorter than
     *     {@code offset} (it was cut), the file's complete length
     * @throws IOException when the log cannot be read, or the visitor fails
     */
    public static long visitFrom(Path file, long offset, LineVisitor visitor) throws IOException {
        Objects.requireNonNull(visitor, "visitor");
        byte[] bytes;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size <= offset) {
                return size < offset ? completeLength(channel) : offset;
            }
            long length = size - offset;
            if (length > Integer.MAX_VALUE - 16) {
                throw new IOException("log " + file + " has more than 2 GB to read from offset " + offset);
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) length);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    break;
                }
            }
            bytes = java.util.Arrays.copyOf(buffer.array(), buffer.position());
        } catch (NoSuchFileException e) {
            return 0;
        }
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                visitor.line(offset + start, new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return offset + start;
    }

    /**
     * Reads the complete line that starts at a byte offset, such as one {@link #append} returned.
     *
     * @param file the log
     * @param offset the offset the line starts at
     * @param maxBytes the longest line accepted
     * @return the line, without its terminator
     * @throws CorruptFileException when no complete line of at most {@code maxBytes} starts there
     * @throws IOException when the log cannot be read
     */
    public static String lineAt(Path file, long offset, int maxBytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer block = ByteBuffer.allocate(Math.min(maxBytes + 1, 8192));
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            long position = offset;
            while (true) {
                block.clear();
                int n = channel.read(block, position);
                if (n <= 0) {
                    throw new CorruptFileException(file, "no complete line starts at byte offset " + offset, null);
                }
                byte[] b = block.array();
                for (int i = 0; i < n; i++) {
                    if (b[i] == '\n') {
                        line.write(b, 0, i);
                        return line.toString(StandardCharsets.UTF_8);
                    }
                }
                line.write(b, 0, n);
                position += n;
                if (line.size() > maxBytes) {
                    throw new CorruptFileException(file, "the line at byte offset " + offset + " is longer than "
                            + maxBytes + " bytes", null);
                }
            }
        }
    }

    /**
     * Reads every complete line.
     *
     * @param file the log; a missing file has no lines
     * @return the lines and the offset after them
     * @throws IOException when the log cannot be read
     */
    public static Lines read(Path file) throws IOException {
        return readFrom(file, 0);
    }

    /**
     * Reads the complete lines that start at or after {@code offset}.
     *
     * @param file the log; a missing file has no lines
     * @param offset where to start: 0, or the {@link Lines#end()} of an earlier read
     * @return the lines and the offset after them; when the file is shorter than {@code offset}
     *     (it was cut), no lines and the file's complete length
     * @throws IOException when the log cannot be read
     */
    public static Lines readFrom(Path file, long offset) throws IOException {
        List<String> lines = new ArrayList<>();
        long end = visitFrom(file, offset, (start, line) -> lines.add(line));
        return new Lines(lines, end);
    }

    /**
     * Reads the last complete line, without reading the rest of the log.
     *
     * @param file the log; a missing file has none
     * @return the last complete line, or empty when there is none
     * @throws IOException when the log cannot be read
     */
    public static java.util.Optional<String> lastLine(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long end = completeLength(channel);
            if (end == 0) {
                return java.util.Optional.empty();
            }
            long start = lastNewlineBefore(channel, end - 1) + 1;
            ByteBuffer line = ByteBuffer.allocate(Math.toIntExact(end - 1 - start));
            while (line.hasRemaining()) {
                if (channel.read(line, start + line.position()) < 0) {
                    break;
                }
            }
            return java.util.Optional.of(new String(line.array(), 0, line.position(), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return java.util.Optional.empty();
        }
    }

    /** The length of the file up to and including its last {@code \n}. */
    private static long completeLength(FileChannel channel) throws IOException {
        return lastNewlineBefore(channel, channel.size()) + 1;
    }

    /** The position of the last {@code \n} before {@code end}, or -1; reads backwards 8 KiB at a time. */
    private static long lastNewlineBefore(FileChannel channel, long end) throws IOException {
        ByteBuffer block = ByteBuffer.allocate(8192);
        while (end > 0) {
            long start = Math.max(0, end - block.capacity());
            block.clear().limit((int) (end - start));
            while (block.hasRemaining()) {
                if (channel.read(block, start + block.position()) < 0) {
                    break;
                }
            }
            for (int i = block.position() - 1; i >= 0; i--) {
                if (block.get(i) == '\n') {
                    return start + i;
                }
            }
            end = start;
        }
        return -1;
    }
}
