package io.mlops.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.mlops.core.Json;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Prints results as aligned text tables for people, or as JSON for programs ({@code --json}). */
final class Output {

    private static final com.fasterxml.jackson.databind.ObjectWriter JSON = Json.prettyWriter();

    /** Maps and lists in a table cell, on one line. */
    private static final com.fasterxml.jackson.databind.ObjectWriter COMPACT = Json.writer();

    private final PrintWriter out;
    private final boolean json;

    /**
     * Prints to a writer.
     *
     * @param out where to print
     * @param json JSON instead of tables
     */
    public Output(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    /**
     * Prints rows: a table with the columns as its header, or a JSON array of objects.
     *
     * @param columns the column names (the JSON keys)
     * @param rows the rows, each with one value per column
     */
    public void table(List<String> columns, List<List<Object>> rows) {
        if (json) {
            List<Map<String, Object>> objects = new ArrayList<>();
            for (List<Object> row : rows) {
                Map<String, Object> o = new java.util.LinkedHashMap<>();
                for (int i = 0; i < columns.size(); i++) {
                    o.put(columns.get(i), row.get(i));
                }
                objects.add(o);
            }
            print(objects);
            return;
        }
        int[] widths = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            widths[i] = columns.get(i).length();
        }
        for (List<Object> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], text(row.get(i)).length());
            }
        }
        line(columns.stream().map(c -> (Object) c.toUpperCase(java.util.Locale.ROOT)).toList(), widths);
        for (List<Object> row : rows) {
            line(row, widths);
        }
        out.flush();
    }

    private void line(List<Object> cells, int[] widths) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String t = text(cells.get(i));
            b.append(t);
            if (i < cells.size() - 1) {
                b.append(" ".repeat(widths[i] - t.length() + 2));
            }
        }
        out.println(b.toString().stripTrailing());
    }

    private static String text(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            try {
                return COMPACT.writeValueAsString(v);
            } catch (JsonProcessingException e) {
                return String.valueOf(v);
            }
        }
        return String.valueOf(v).replace('\n', ' ');
    }

    /**
     * Prints one object: as indented JSON, or as "key: value" lines.
     *
     * @param fields the fields, in order
     */
    public void object(Map<String, Object> fields) {
        if (json) {
            print(fields);
            return;
        }
        int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0);
        fields.forEach((k, v) -> out.println(k + ":" + " ".repeat(width - k.length() + 1) + text(v)));
        out.flush();
    }

    /**
     * Prints a message for people (nothing with {@code --json}, where {@link #object} says it).
     *
     * @param message the message
     */
    public void say(String message) {
        if (!json) {
            out.println(message);
            out.flush();
        }
    }

    private void print(Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }
}
