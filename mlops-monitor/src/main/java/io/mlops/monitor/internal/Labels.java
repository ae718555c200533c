package io.mlops.monitor.internal;

import io.mlops.core.Json;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Label normalisation: {@code true}/{@code false} are 1/0, numbers compare by value ({@code 1},
 * {@code 1L}, {@code 1.0}, {@code "1"} and {@code "1.0"} are the label "1"), other strings are
 * themselves, anything else compares by its JSON text.
 */
final class Labels {

    private Labels() {
    }

    static String normalize(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Boolean) {
            return (Boolean) value ? "1" : "0";
        }
        if (value instanceof Number) {
            return number((Number) value);
        }
        if (value instanceof CharSequence) {
            String s = value.toString().strip();
            if (s.equalsIgnoreCase("true")) {
                return "1";
            }
            if (s.equalsIgnoreCase("false")) {
                return "0";
            }
            if (!s.isEmpty() && (Character.isDigit(s.charAt(0)) || s.charAt(0) == '-' || s.charAt(0) == '+' || s.charAt(0) == '.')) {
                try {
                    return new BigDecimal(s).stripTrailingZeros().toPlainString();
                } catch (NumberFormatException e) {
                    return s;
                }
            }
            return s;
        }
        return Json.toTree(value).toString();
    }

    private static String number(Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (!Double.isFinite(d)) {
                return Double.toString(d).toLowerCase(Locale.ROOT);
            }
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            return Long.toString(n.longValue());
        }
        return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
    }

    /**
     * @return the value as a number for regression metrics, or NaN when it is not one
     */
    static double toDouble(Object value) {
        if (value instanceof Number) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof Boolean) {
            return (Boolean) value ? 1 : 0;
        }
        if (value instanceof CharSequence) {
            try {
                return Double.parseDouble(value.toString().strip());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }
}
