package io.mlops.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH's JSON results ({@code -rf json}) into the Markdown table the README shows: benchmark,
 * parameters, score with its 99.9% error, units, and the JVM options of the run. Used by
 * {@code bin/benchmarks}.
 */
public final class BenchmarkTable {

    private BenchmarkTable() {
    }

    /**
     * Prints the table.
     *
     * @param args the JMH JSON result file
     * @throws IOException when it cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: BenchmarkTable JMH-RESULT.json");
            System.exit(2);
        }
        System.out.print(markdown(new ObjectMapper().readTree(Path.of(args[0]).toFile())));
    }

    /**
     * @param results JMH's JSON array of results
     * @return the Markdown table
     */
    static String markdown(JsonNode results) {
        StringBuilder out = new StringBuilder("| benchmark | parameters | score | error (99.9%) | units | JVM options |\n"
                + "|---|---|---|---|---|---|\n");
        for (JsonNode r : results) {
            String name = r.path("benchmark").asText().replace("io.mlops.benchmarks.", "");
            StringBuilder params = new StringBuilder();
            for (Iterator<Map.Entry<String, JsonNode>> it = r.path("params").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                params.append(params.length() == 0 ? "" : ", ").append(p.getKey()).append('=').append(p.getValue().asText());
            }
            JsonNode metric = r.path("primaryMetric");
            out.append("| `").append(name).append("` | ").append(params).append(" | ")
                    .append(number(metric.path("score").asDouble())).append(" | ± ")
                    .append(number(metric.path("scoreError").asDouble())).append(" | ")
                    .append(metric.path("scoreUnit").asText()).append(" | `")
                    .append(String.join(" ", new ObjectMapper().convertValue(r.path("jvmArgs"), String[].class)))
                    .append("` |\n");
        }
        return out.toString();
    }

    private static String number(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }
}
