package io.mlops.core.internal.text;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads the instants the library writes ({@link Instant#toString()}: {@code 2026-12-08T01:29:25.452540424Z})
 * without {@code DateTimeFormatter}, whose first use loads about fifty classes and whose parse runs
 * some tens of microseconds in a fresh process's interpreter: a version's record on a scoring
 * service's first load. Any other text goes to {@link Instant#parse}, so the result and the errors
 * are {@code Instant.parse}'s. Stateless and thread-safe.
 */
public final class InstantText {

    private InstantText() {
    }

    /**
     * @param text an instant in ISO-8601 form
     * @return the instant, as {@link Instant#parse} gives it
     * @throws java.time.format.DateTimeParseException as {@link Instant#parse} throws it
     */
    public static Instant parse(CharSequence text) {
        Instant fast = canonical(text);
        return fast != null ? fast : Instant.parse(text);
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} with a four-digit year, else null. */
    private static Instant canonical(CharSequence t) {
        int n = t.length();
        if (n < 20 || n > 30 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
                || t.charAt(16) != ':' || t.charAt(n - 1) != 'Z') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            int fraction = n - 21;
            if (t.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            nanos = digits(t, 20, fraction);
            if (nanos < 0) {
                return null;
            }
            for (int i = fraction; i < 9; i++) {
                nanos *= 10;
            }
        }
        long days;
        try {
            days = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null; // Instant.parse says what is wrong
        }
        return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The value of {@code count} decimal digits from {@code from}, or -1 when one is not a digit. */
    private static int digits(CharSequence t, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
