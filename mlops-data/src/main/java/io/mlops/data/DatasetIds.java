package io.mlops.data;

import io.mlops.core.Names;
import io.mlops.core.ValidationException;

import java.util.Objects;

/**
 * Dataset names and version ids. A dataset name is a valid {@link Names name} of at most 111
 * characters, so that its ids ({@code name + "_" + 16 hex digits}) stay within 128 characters.
 * This class is stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class DatasetIds {

    /** The longest dataset name. */
    public static final int MAX_NAME_LENGTH = 111;

    private DatasetIds() {
    }

    /**
     * @param name a dataset name
     * @param sha256 a content hash
     * @return the version id for that name and content
     */
    public static String id(String name, String sha256) {
        return name + "_" + sha256.substring(0, 16);
    }

    /**
     * @param name a candidate dataset name
     * @return it, unchanged
     * @throws ValidationException when it is not a valid name or is longer than {@value #MAX_NAME_LENGTH}
     */
    public static String requireValidName(String name) {
        Names.validate("dataset name", name);
        if (name.length() > MAX_NAME_LENGTH) {
            throw new ValidationException("Invalid dataset name '" + name + "': at most " + MAX_NAME_LENGTH
                    + " characters, so that version ids fit in 128");
        }
        return name;
    }

    /**
     * @param id a candidate version id
     * @return it, unchanged
     * @throws ValidationException when it is not {@code name_} followed by 16 lower-case hex digits
     */
    public static String requireValidId(String id) {
        Objects.requireNonNull(id, "id");
        int sep = id.length() - 17;
        boolean ok = sep > 0 && id.charAt(sep) == '_';
        for (int i = sep + 1; ok && i < id.length(); i++) {
            char c = id.charAt(i);
            ok = c >= '0' && c <= '9' || c >= 'a' && c <= 'f';
        }
        if (!ok || !Names.isValid(id.substring(0, sep)) || sep > MAX_NAME_LENGTH) {
            throw new ValidationException("Invalid dataset version id '" + (id.length() > 80 ? id.substring(0, 77) + "..." : id)
                    + "': expected a dataset name, '_' and 16 lower-case hex digits");
        }
        return id;
    }

    /**
     * @param id a valid version id
     * @return the dataset name in it
     */
    public static String nameOf(String id) {
        return requireValidId(id).substring(0, id.length() - 17);
    }
}
