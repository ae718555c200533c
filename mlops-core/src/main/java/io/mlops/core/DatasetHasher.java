package io.mlops.core;

import io.mlops.core.internal.io.Sha256;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Computes {@link Dataset#contentHash()}; the encoding is specified there. Values are encoded into
 * a reused 64 KiB buffer that is digested whenever it fills, so hashing allocates nothing per row.
 */
final class DatasetHasher {

    private static final byte[] MAGIC = "mlops.dataset.v1".getBytes(StandardCharsets.US_ASCII);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int BUFFER = 64 * 1024;

    private final MessageDigest digest = Sha256.newDigest();
    private final byte[] buf = new byte[BUFFER];
    private int pos;

    private DatasetHasher() {
    }

    static String hash(Dataset dataset) {
        DatasetHasher h = new DatasetHasher();
        h.bytes(MAGIC);
        h.int64(dataset.rowCount());
        h.int32(dataset.columnCount());
        for (DatasetColumn c : dataset.columns()) {
            h.room(1);
            h.buf[h.pos++] = (byte) (c.type() == ColumnType.NUMERIC ? 1 : 2);
            h.string(c.name.getBytes(StandardCharsets.UTF_8));
        }
        for (DatasetColumn c : dataset.columns()) {
            if (c instanceof DatasetColumn.Numeric) {
                h.doubles(((DatasetColumn.Numeric) c).values);
            } else {
                h.categorical((DatasetColumn.Categorical) c);
            }
        }
        h.flush();
        return Sha256.hex(h.digest);
    }

    private void doubles(double[] values) {
        int i = 0;
        while (i < values.length) {
            room(8);
            int n = Math.min(values.length - i, (BUFFER - pos) >>> 3);
            byte[] b = buf;
            int p = pos;
            for (int end = i + n; i < end; i++, p += 8) {
                LONGS.set(b, p, Double.doubleToLongBits(values[i]));
            }
            pos = p;
        }
    }

    private void categorical(DatasetColumn.Categorical c) {
        byte[][] encoded = new byte[c.dictionary.length][];
        for (int k = 0; k < encoded.length; k++) {
            encoded[k] = c.dictionary[k].getBytes(StandardCharsets.UTF_8);
        }
        for (int code : c.codes) {
            if (code < 0) {
                int32(-1);
            } else {
                string(encoded[code]);
            }
        }
    }

    private void string(byte[] utf8) {
        int32(utf8.length);
        bytes(utf8);
    }

    private void int32(int v) {
        room(4);
        INTS.set(buf, pos, v);
        pos += 4;
    }

    private void int64(long v) {
        room(8);
        LONGS.set(buf, pos, v);
        pos += 8;
    }

    private void bytes(byte[] b) {
        if (b.length > BUFFER - pos) {
            flush();
            if (b.length > BUFFER) {
                digest.update(b);
                return;
            }
        }
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    private void room(int n) {
        if (BUFFER - pos < n) {
            flush();
        }
    }

    private void flush() {
        digest.update(buf, 0, pos);
        pos = 0;
    }
}
