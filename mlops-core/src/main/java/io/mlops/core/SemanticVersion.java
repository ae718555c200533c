package io.mlops.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A version number as defined by <a href="https://semver.org/spec/v2.0.0.html">Semantic Versioning
 * 2.0.0</a>: {@code MAJOR.MINOR.PATCH}, an optional pre-release ({@code -alpha.1}) and optional
 * build metadata ({@code +build.5}).
 *
 * <p><b>Ordering.</b> {@link #PRECEDENCE} is SemVer's precedence: major, minor and patch compared
 * numerically ({@code 1.10.0 > 1.9.0}); a pre-release is lower than its release
 * ({@code 1.0.0-alpha < 1.0.0}); pre-release identifiers compared one by one, numeric ones
 * numerically and below alphanumeric ones, which compare in ASCII order, a shorter list lower when
 * all its identifiers are equal ({@code 1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-beta}); build metadata
 * ignored. The natural order ({@link #compareTo}) is precedence with build metadata as a final tie
 * break in ASCII order, so that it is consistent with {@link #equals}: two versions are equal only
 * when their strings are equal.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class SemanticVersion implements Comparable<SemanticVersion> {

    /** SemVer precedence; versions differing only in build metadata compare as equal. */
    public static final Comparator<SemanticVersion> PRECEDENCE = SemanticVersion::comparePrecedence;

    private final long major;
    private final long minor;
    private final long patch;
    private final List<String> preRelease;
    private final String build;
    private final String text;

    private SemanticVersion(long major, long minor, long patch, List<String> preRelease, String build) {
        this.major = major;
        this.minor = minor;
        this.patch = patch;
        this.preRelease = preRelease;
        this.build = build;
        StringBuilder sb = new StringBuilder().append(major).append('.').append(minor).append('.').append(patch);
        if (!preRelease.isEmpty()) {
            sb.append('-').append(String.join(".", preRelease));
        }
        if (!build.isEmpty()) {
            sb.append('+').append(build);
        }
        this.text = sb.toString();
    }

    /**
     * Creates a release version without pre-release or build metadata.
     *
     * @param major the major version, {@code >= 0}
     * @param minor the minor version, {@code >= 0}
     * @param patch the patch version, {@code >= 0}
     * @return the version {@code major.minor.patch}
     * @throws IllegalArgumentException when a number is negative
     */
    public static SemanticVersion of(long major, long minor, long patch) {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("version numbers must be >= 0 but were "
                    + major + "." + minor + "." + patch);
        }
        return new SemanticVersion(major, minor, patch, List.of(), "");
    }

    /**
     * Parses a version string strictly: no leading {@code v}, no leading zeros in numbers, no
     * missing parts, no surrounding white space.
     *
     * @param version the text, such as {@code 1.10.0-rc.1+build.7}
     * @return the parsed version; {@link #toString()} gives back the same text
     * @throws NullPointerException when {@code version} is {@code null}
     * @throws ValidationException when the text is not a SemVer 2.0.0 version; the message quotes it
     *     and says which part is wrong
     */
    public static SemanticVersion parse(String version) {
        Objects.requireNonNull(version, "version");
        String rest = version;
        String build = "";
        int plus = rest.indexOf('+');
        if (plus >= 0) {
            build = rest.substring(plus + 1);
            rest = rest.substring(0, plus);
            List<String> ids = split(version, build, "build metadata");
            for (String id : ids) {
                checkIdentifierChars(version, id, "build metadata");
            }
        }
        List<String> pre = List.of();
        int dash = rest.indexOf('-');
        if (dash >= 0) {
            String preText = rest.substring(dash + 1);
            rest = rest.substring(0, dash);
            List<String> ids = split(version, preText, "pre-release");
            for (String id : ids) {
                checkIdentifierChars(version, id, "pre-release");
                if (isNumeric(id) && id.length() > 1 && id.charAt(0) == '0') {
                    throw invalid(version, "numeric pre-release identifier '" + id + "' has a leading zero");
                }
            }
            pre = Collections.unmodifiableList(ids);
        }
        String[] core = rest.split("\\.", -1);
        if (core.length != 3) {
            throw invalid(version, "expected MAJOR.MINOR.PATCH with three numbers");
        }
        long major = number(version, core[0], "major");
        long minor = number(version, core[1], "minor");
        long patch = number(version, core[2], "patch");
        return new SemanticVersion(major, minor, patch, pre, build);
    }

    /**
     * Tells whether {@code version} is a valid SemVer 2.0.0 string.
     *
     * @param version the candidate, may be {@code null}
     * @return {@code true} when {@link #parse} would accept it
     */
    public static boolean isValid(String version) {
        if (version == null) {
            return false;
        }
        try {
            parse(version);
            return true;
        } catch (ValidationException e) {
            return false;
        }
    }

    private static List<String> split(String version, String text, String part) {
        if (text.isEmpty()) {
            throw invalid(version, part + " is empty");
        }
        List<String> ids = new ArrayList<>();
        for (String id : text.split("\\.", -1)) {
            if (id.isEmpty()) {
                throw invalid(version, part + " has an empty identifier");
            }
            ids.add(id);
        }
        return ids;
    }

    private static void checkIdentifierChars(String version, String id, String part) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-')) {
                throw invalid(version, part + " identifier '" + id + "' may contain only [0-9A-Za-z-]");
            }
        }
    }

    private static long number(String version, String text, String part) {
        if (text.isEmpty() || !isNumeric(text)) {
            throw invalid(version, part + " version '" + text + "' is not a non-negative whole number");
        }
        if (text.length() > 1 && text.charAt(0) == '0') {
            throw invalid(version, part + " version '" + text + "' has a leading zero");
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw invalid(version, part + " version '" + text + "' is larger than " + Long.MAX_VALUE);
        }
    }

    private static boolean isNumeric(String id) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static ValidationException invalid(String version, String why) {
        String shown = version.length() <= 80 ? version : version.substring(0, 77) + "...";
        return new ValidationException("Invalid semantic version '" + shown + "': " + why
                + " (see https://semver.org/spec/v2.0.0.html)");
    }

    /**
     * @return the major version
     */
    public long major() {
        return major;
    }

    /**
     * @return the minor version
     */
    public long minor() {
        return minor;
    }

    /**
     * @return the patch version
     */
    public long patch() {
        return patch;
    }

    /**
     * @return the pre-release identifiers, empty for a release; unmodifiable
     */
    public List<String> preRelease() {
        return preRelease;
    }

    /**
     * @return the build metadata without the {@code +}, empty when there is none
     */
    public String build() {
        return build;
    }

    /**
     * Tells whether this version has pre-release identifiers.
     *
     * @return {@code true} when this version has pre-release identifiers
     */
    public boolean isPreRelease() {
        return !preRelease.isEmpty();
    }

    /**
     * Returns the next patch release: {@code 1.4.2-rc.1+b} gives {@code 1.4.3}.
     *
     * @return {@code major.minor.(patch + 1)} without pre-release or build metadata
     * @throws ValidationException when the patch number would overflow
     */
    public SemanticVersion nextPatch() {
        if (patch == Long.MAX_VALUE) {
            throw new ValidationException("Cannot increment the patch number of version '" + text + "'");
        }
        return of(major, minor, patch + 1);
    }

    /**
     * Compares by SemVer precedence, ignoring build metadata.
     *
     * @param other the version to compare with
     * @return negative, zero or positive as this version has lower, equal or higher precedence
     */
    public int comparePrecedence(SemanticVersion other) {
        int c = Long.compare(major, other.major);
        if (c == 0) {
            c = Long.compare(minor, other.minor);
        }
        if (c == 0) {
            c = Long.compare(patch, other.patch);
        }
        if (c != 0) {
            return c;
        }
        if (preRelease.isEmpty() || other.preRelease.isEmpty()) {
            // a release has higher precedence than any of its pre-releases
            return Boolean.compare(preRelease.isEmpty(), other.preRelease.isEmpty());
        }
        int n = Math.min(preRelease.size(), other.preRelease.size());
        for (int i = 0; i < n; i++) {
            c = compareIdentifier(preRelease.get(i), other.preRelease.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(preRelease.size(), other.preRelease.size());
    }

    private static int compareIdentifier(String a, String b) {
        boolean an = isNumeric(a);
        boolean bn = isNumeric(b);
        if (an && bn) {
            // no leading zeros, so the longer number is the larger; equal lengths compare as text
            int c = Integer.compare(a.length(), b.length());
            return c != 0 ? c : a.compareTo(b);
        }
        if (an != bn) {
            return an ? -1 : 1;
        }
        return a.compareTo(b);
    }

    /**
     * Compares by precedence, then by build metadata in ASCII order (no build metadata first).
     *
     * @param other the version to compare with
     * @return negative, zero or positive; zero only when the versions are equal
     */
    @Override
    public int compareTo(SemanticVersion other) {
        int c = comparePrecedence(other);
        return c != 0 ? c : build.compareTo(other.build);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SemanticVersion && text.equals(((SemanticVersion) o).text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /**
     * @return the canonical text, which {@link #parse} turns back into an equal version
     */
    @Override
    public String toString() {
        return text;
    }
}
