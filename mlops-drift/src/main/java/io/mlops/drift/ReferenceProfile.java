package io.mlops.drift;

import io.mlops.core.ColumnType;
import io.mlops.core.Dataset;
import io.mlops.drift.internal.Profile;

import java.util.List;

/**
 * What a {@link DriftDetector} keeps of its reference data, computed once: per numeric column the
 * sorted finite values, mean, standard deviation and PSI bins; per categorical column the category
 * counts; per column the missing count.
 *
 * <p>The profile serialises to JSON and back ({@link #toJson()}, {@link #fromJson(String)}) with
 * every value exact (numeric samples as base64 little-endian IEEE-754), so a service can ship the
 * profile instead of the training data and get identical reports. Immutable and thread-safe.
 *
 * <p>The library's own profiles come from {@link #of} and {@link #fromJson}. Another implementation
 * (a profile kept in your own store, say) is accepted by {@link DriftDetector#builder(ReferenceProfile)}
 * as long as its {@link #toJson()} writes the documented format: the detector reads it through that
 * JSON.
 */
public interface ReferenceProfile {

    /**
     * Profiles a dataset.
     *
     * @param reference the reference data
     * @param psiBins the number of quantile bins for numeric PSI, {@code >= 2}
     * @return the profile
     */
    static ReferenceProfile of(Dataset reference, int psiBins) {
        return Profile.of(reference, psiBins);
    }

    /**
     * Reads a profile written by {@link #toJson()}.
     *
     * @param json the JSON text
     * @return the profile
     * @throws io.mlops.core.ValidationException when the text is not a profile
     */
    static ReferenceProfile fromJson(String json) {
        return Profile.fromJson(json);
    }

    /**
     * Returns the profile as JSON (format version 1).
     *
     * @return the profile as JSON (format version 1)
     */
    String toJson();

    /**
     * Returns the reference's row count.
     *
     * @return the reference's row count
     */
    long rowCount();

    /**
     * Returns the reference's columns, in order.
     *
     * @return the reference's columns, in order
     */
    List<String> columns();

    /**
     * Returns its type.
     *
     * @param column a column of the reference
     * @return its type
     * @throws IllegalArgumentException when the reference has no such column
     */
    ColumnType type(String column);

    /**
     * Returns the number of PSI bins requested for numeric columns.
     *
     * @return the number of PSI bins requested for numeric columns
     */
    int psiBins();
}
