package io.mlops.core;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** The immutable storage of one dataset column. Not API. */
abstract class DatasetColumn {

    final String name;

    DatasetColumn(String name) {
        this.name = name;
    }

    abstract ColumnType type();

    abstract int size();

    abstract boolean sameValues(DatasetColumn other);

    /** Numeric values; NaN is missing. */
    static final class Numeric extends DatasetColumn {
        final double[] values; // owned, never mutated

        Numeric(String name, double[] values) {
            super(name);
            this.values = values;
        }

        @Override
        ColumnType type() {
            return ColumnType.NUMERIC;
        }

        @Override
        int size() {
            return values.length;
        }

        @Override
        boolean sameValues(DatasetColumn other) {
            if (!(other instanceof Numeric)) {
                return false;
            }
            double[] o = ((Numeric) other).values;
            if (o.length != values.length) {
                return false;
            }
            for (int i = 0; i < values.length; i++) {
                // doubleToLongBits makes every NaN one NaN and keeps -0.0 apart from 0.0, as the hash does
                if (Double.doubleToLongBits(values[i]) != Double.doubleToLongBits(o[i])) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Dictionary-encoded strings: code -1 is missing, otherwise an index into the dictionary. */
    static final class Categorical extends DatasetColumn {
        final int[] codes;          // owned, never mutated
        final String[] dictionary;  // distinct non-null values in order of first appearance

        Categorical(String name, int[] codes, String[] dictionary) {
            super(name);
            this.codes = codes;
            this.dictionary = dictionary;
        }

        static Categorical encode(String name, String[] values) {
            int[] codes = new int[values.length];
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < values.length; i++) {
                String v = values[i];
                codes[i] = v == null ? -1 : index.computeIfAbsent(v, k -> index.size());
            }
            String[] dictionary = new String[index.size()];
            index.forEach((v, code) -> dictionary[code] = v);
            return new Categorical(name, codes, dictionary);
        }

        String[] decode() {
            String[] out = new String[codes.length];
            for (int i = 0; i < codes.length; i++) {
                int c = codes[i];
                out[i] = c < 0 ? null : dictionary[c];
            }
            return out;
        }

        @Override
        ColumnType type() {
            return ColumnType.CATEGORICAL;
        }

        @Override
        int size() {
            return codes.length;
        }

        @Override
        boolean sameValues(DatasetColumn other) {
            if (!(other instanceof Categorical)) {
                return false;
            }
            Categorical o = (Categorical) other;
            if (o.codes.length != codes.length) {
                return false;
            }
            if (Arrays.equals(dictionary, o.dictionary)) {
                return Arrays.equals(codes, o.codes);
            }
            for (int i = 0; i < codes.length; i++) {
                String a = codes[i] < 0 ? null : dictionary[codes[i]];
                String b = o.codes[i] < 0 ? null : o.dictionary[o.codes[i]];
                if (a == null ? b != null : !a.equals(b)) {
                    return false;
                }
            }
            return true;
        }
    }
}
