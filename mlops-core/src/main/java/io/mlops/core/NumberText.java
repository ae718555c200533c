package io.mlops.core;

import com.fasterxml.jackson.core.io.NumberInput;

/**
 * Recognises and parses the number syntax of CSV cells: an optionally signed decimal with an
 * optional fraction and exponent ({@code 12}, {@code -0.5}, {@code .5}, {@code 1e-3}), or
 * {@code NaN}, {@code Inf}, {@code Infinity} in any case and with an optional sign, optionally
 * surrounded by spaces. Unlike {@link Double#parseDouble} it refuses Java-only forms such as
 * {@code 1d}, {@code 0x1p3} or {@code 1f}. Parsing uses Jackson's fast double parser, which gives
 * the correctly rounded double.
 */
final class NumberText {

    private NumberText() {
    }

    /**
     * @return the value, or NaN when the text is not a number (tell the two apart with {@link #isNaN})
     */
    static double parse(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && text.charAt(start) == ' ') {
            start++;
        }
        while (end > start && text.charAt(end - 1) == ' ') {
            end--;
        }
        if (start == end) {
            return Double.NaN;
        }
        int i = start;
        char first = text.charAt(i);
        boolean negative = first == '-';
        if (first == '-' || first == '+') {
            i++;
        }
        if (i < end && isLetter(text.charAt(i))) {
            String word = text.substring(i, end);
            if (word.equalsIgnoreCase("inf") || word.equalsIgnoreCase("infinity")) {
                return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            return Double.NaN; // "nan" as well as non-numbers; isNaN tells them apart
        }
        int digits = 0;
        while (i < end && isDigit(text.charAt(i))) {
            i++;
            digits++;
        }
        if (i < end && text.charAt(i) == '.') {
            i++;
            while (i < end && isDigit(text.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return Double.NaN;
        }
        if (i < end && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            if (i < end && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            int expDigits = 0;
            while (i < end && isDigit(text.charAt(i))) {
                i++;
                expDigits++;
            }
            if (expDigits == 0) {
                return Double.NaN;
            }
        }
        if (i != end) {
            return Double.NaN;
        }
        String number = start == 0 && end == text.length() ? text : text.substring(start, end);
        return NumberInput.parseDouble(number, true);
    }

    /**
     * Tells whether the text spells NaN (the only non-number text that parse may map to NaN).
     *
     * @return true when the text spells NaN (the only non-number text that parse may map to NaN)
     */
    static boolean isNaN(String text) {
        String t = text.strip();
        if (t.startsWith("-") || t.startsWith("+")) {
            t = t.substring(1);
        }
        return t.equalsIgnoreCase("nan");
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }
}
