package io.mlops.monitor.internal;

import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;

/**
 * One hour's {@link LiveProfiles.Profile} as bytes for the monitor store: a magic number and
 * format version, the row count, then each sketch in DataSketches' own serial form behind its
 * feature name and length, then (format 2) the sampled rows of a multivariate method, if any;
 * format 1, without them, still reads. Reading checks every count and length against the bytes that remain and
 * the limits below, so a damaged or hostile row fails alone with an {@link IOException}.
 */
final class ProfileCodec {

    private static final int MAGIC_1 = 0x4D4C5031; // "MLP1"
    private static final int MAGIC = 0x4D4C5032; // "MLP2": with the row sample
    private static final int MAX_FEATURES = 10_000;
    private static final ArrayOfStringsSerDe STRINGS = new ArrayOfStringsSerDe();

    private ProfileCodec() {
    }

    static byte[] write(LiveProfiles.Profile p) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeLong(p.rows);
            out.writeInt(p.numeric.size());
            for (Map.Entry<String, KllDoublesSketch> e : p.numeric.entrySet()) {
                out.writeUTF(e.getKey());
                block(out, e.getValue().toByteArray());
            }
            out.writeInt(p.categorical.size());
            for (Map.Entry<String, ItemsSketch<String>> e : p.categorical.entrySet()) {
                out.writeUTF(e.getKey());
                block(out, e.getValue().toByteArray(STRINGS));
            }
            out.writeBoolean(p.numericOutput != null);
            if (p.numericOutput != null) {
                block(out, p.numericOutput.toByteArray());
            }
            out.writeBoolean(p.categoricalOutput != null);
            if (p.categoricalOutput != null) {
                block(out, p.categoricalOutput.toByteArray(STRINGS));
            }
            out.writeBoolean(p.sample != null);
            if (p.sample != null) {
                p.sample.write(out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    private static void block(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    /**
     * Reads a profile.
     *
     * @throws IOException when the bytes are not a profile this version wrote, or are damaged
     */
    static LiveProfiles.Profile read(byte[] bytes) throws IOException {
        if (bytes.length > io.mlops.monitor.spi.MonitorStore.MAX_PROFILE_BYTES) {
            throw new IOException("a profile of " + bytes.length + " bytes is over the limit");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int magic = in.readInt();
            if (magic != MAGIC && magic != MAGIC_1) {
                throw new IOException("not an input profile (bad magic number)");
            }
            LiveProfiles.Profile p = new LiveProfiles.Profile();
            p.rows = in.readLong();
            if (p.rows < 0) {
                throw new IOException("negative row count " + p.rows);
            }
            int numeric = count(in);
            for (int i = 0; i < numeric; i++) {
                p.numeric.put(in.readUTF(), KllDoublesSketch.heapify(Memory.wrap(block(in))));
            }
            int categorical = count(in);
            for (int i = 0; i < categorical; i++) {
                p.categorical.put(in.readUTF(), ItemsSketch.getInstance(Memory.wrap(block(in)), STRINGS));
            }
            if (in.readBoolean()) {
                p.numericOutput = KllDoublesSketch.heapify(Memory.wrap(block(in)));
            }
            if (in.readBoolean()) {
                p.categoricalOutput = ItemsSketch.getInstance(Memory.wrap(block(in)), STRINGS);
            }
            if (magic == MAGIC && in.readBoolean()) {
                p.sample = RowSample.read(in, p.rows);
            }
            if (in.available() > 0) {
                throw new IOException(in.available() + " bytes after the profile");
            }
            return p;
        } catch (RuntimeException e) { // the sketches' own checks of their serial form
            throw new IOException("damaged sketch: " + e.getMessage(), e);
        }
    }

    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_FEATURES) {
            throw new IOException("feature count " + n + " outside 0.." + MAX_FEATURES);
        }
        return n;
    }

    private static byte[] block(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("sketch length " + n + " beyond the " + in.available() + " bytes left");
        }
        return in.readNBytes(n);
    }
}
