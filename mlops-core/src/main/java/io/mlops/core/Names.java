package io.mlops.core;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Validation of the names users give to models, datasets, aliases, tags and columns stored on disk.
 *
 * <p>A valid name matches {@code [A-Za-z0-9][A-Za-z0-9._-]{0,127}} and does not contain {@code ..}:
 * it starts with a letter or digit, is 1 to 128 characters long, and is made of ASCII letters,
 * digits, {@code .}, {@code _} and {@code -}. Such a name is safe as a single path segment on every
 * common file system: it cannot be empty, absolute, {@code .} or {@code ..}, nor contain a separator,
 * so it can never escape the folder it is placed in.
 *
 * <p>Names are case-sensitive. On a case-insensitive file system (the macOS and Windows defaults)
 * two names that differ only in case would share a folder; the file-system stores refuse to create
 * a name whose folder already exists under another case.
 *
 * <p>This class is stateless and thread-safe.
 *
 * @since 0.1.0
 */
public final class Names {

    /** The pattern every name must match, as a regular expression. */
    public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";

    private static final Pattern COMPILED = Pattern.compile(PATTERN);

    private Names() {
    }

    /**
     * Tells whether {@code name} is a valid name.
     *
     * @param name the candidate, may be {@code null}
     * @return {@code true} when it matches {@link #PATTERN} and does not contain {@code ..}
     */
    public static boolean isValid(String name) {
        return name != null && COMPILED.matcher(name).matches() && !name.contains("..");
    }

    /**
     * Checks a name and returns it.
     *
     * @param kind what the name is for, used in the message ("model name", "alias")
     * @param name the candidate
     * @return {@code name}, unchanged
     * @throws NullPointerException when {@code kind} or {@code name} is {@code null}
     * @throws ValidationException when the name is not valid; the message quotes it and says why
     */
    public static String validate(String kind, String name) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, kind);
        if (isValid(name)) {
            return name;
        }
        String why;
        if (name.isEmpty()) {
            why = "it is empty";
        } else if (name.length() > 128) {
            why = "it is " + name.length() + " characters long (at most 128)";
        } else if (name.contains("..")) {
            why = "it contains '..'";
        } else if (!Character.isLetterOrDigit(name.charAt(0)) || name.charAt(0) > 127) {
            why = "it must start with an ASCII letter or digit";
        } else {
            why = "it may contain only ASCII letters, digits, '.', '_' and '-'";
        }
        throw new ValidationException("Invalid " + kind + " '" + abbreviate(name) + "': " + why
                + " (pattern " + PATTERN + ", no '..')");
    }

    private static String abbreviate(String name) {
        return name.length() <= 64 ? name : name.substring(0, 61) + "...";
    }
}
