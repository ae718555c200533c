package io.mlops.drift.internal;

import io.mlops.core.ColumnType;
import io.mlops.drift.DriftReport;
import io.mlops.drift.DriftSummary;
import io.mlops.drift.FeatureDrift;
import io.mlops.drift.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link DriftReport} as one self-contained HTML page: inline SVG charts and a table, no
 * script, no external resource. Every name from the data is HTML-escaped.
 */
public final class HtmlReport {


    private HtmlReport() {
    }

    /**
     * @param report the report
     * @return the page
     */
    public static String render(DriftReport report) {
        DriftSummary s = report.summary();
        List<FeatureDrift> present = new ArrayList<>();
        for (FeatureDrift f : report.features().values()) {
            if (f.status() != FeatureDrift.Status.MISSING) {
                present.add(f);
            }
        }
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>Data drift report</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:24px;color:#222}")
                .append("h1{margin-bottom:4px}.meta{color:#666;margin-bottom:16px}")
                .append(".banner{padding:10px 14px;border-radius:6px;color:#fff;font-weight:600;display:inline-block}")
                .append(".charts{display:flex;flex-wrap:wrap;gap:24px;margin:20px 0}")
                .append(".chart{border:1px solid #ddd;border-radius:6px;padding:8px}")
                .append("table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}")
                .append("td:first-child,th:first-child{text-align:left}tr.drift td{background:#fbeaea}")
                .append("</style></head><body>\n");
        h.append("<h1>Data drift report</h1><div class=\"meta\">").append(esc(report.timestamp().toString()))
                .append(" &middot; reference ").append(report.referenceRows()).append(" rows, current ")
                .append(report.currentRows()).append(" rows &middot; significance ").append(num(report.significance()))
                .append(" &middot; correction ").append(esc(report.correction().name())).append("</div>\n");
        h.append("<div class=\"banner\" style=\"background:").append(report.driftDetected() ? HtmlCharts.DRIFT : HtmlCharts.OK).append("\">")
                .append(report.driftDetected() ? "Drift detected" : "No drift detected").append(": ")
                .append(s.driftedFeatures()).append(" of ").append(s.totalFeatures()).append(" features (")
                .append(String.format(Locale.ROOT, "%.1f", s.driftPercentage())).append("%)</div>\n");
        if (!s.missingColumns().isEmpty() || !s.newColumns().isEmpty()) {
            h.append("<p>Missing columns: ").append(esc(String.valueOf(s.missingColumns()))).append("; new columns: ")
                    .append(esc(String.valueOf(s.newColumns()))).append("</p>\n");
        }
        if (!report.referenceRankErrors().isEmpty()) {
            double worst = java.util.Collections.max(report.referenceRankErrors().values());
            h.append("<p>Reference quantiles estimated by a sketch (normalised rank error at most ").append(num(worst))
                    .append(") for ").append(esc(String.join(", ", report.referenceRankErrors().keySet())))
                    .append(": their KS statistics and Wasserstein distances are approximate to that degree.</p>\n");
        }
        if (!report.currentRankErrors().isEmpty()) {
            double worst = java.util.Collections.max(report.currentRankErrors().values());
            h.append("<p>Current quantiles estimated by a sketch (normalised rank error at most ").append(num(worst))
                    .append(") for ").append(esc(String.join(", ", report.currentRankErrors().keySet()))).append(".</p>\n");
        }
        h.append("<div class=\"charts\">\n");
        h.append(HtmlCharts.shareChart(s)).append(HtmlCharts.severityChart(present)).append(HtmlCharts.psiChart(present)).append(HtmlCharts.pValueChart(present, report.significance()));
        h.append("</div>\n");
        h.append(table(report));
        List<String> drifted = new ArrayList<>();
        for (Map.Entry<String, Histogram> e : report.histograms().entrySet()) {
            FeatureDrift f = report.features().get(e.getKey());
            if (f != null && f.driftDetected() && f.type() == ColumnType.NUMERIC) {
                drifted.add(e.getKey());
            }
        }
        if (!drifted.isEmpty()) {
            h.append("<h2>Reference vs current, drifted numeric features</h2><div class=\"charts\">\n");
            for (String name : drifted) {
                h.append(HtmlCharts.histogramChart(name, report.histograms().get(name)));
            }
            h.append("</div>\n");
        }
        List<String> categorical = new ArrayList<>();
        for (Map.Entry<String, io.mlops.drift.CategoryShares> e : report.categoryShares().entrySet()) {
            FeatureDrift f = report.features().get(e.getKey());
            if (f != null && f.driftDetected()) {
                categorical.add(e.getKey());
            }
        }
        if (!categorical.isEmpty()) {
            h.append("<h2>Reference vs current, drifted categorical features</h2><div class=\"charts\">\n");
            for (String name : categorical) {
                h.append(HtmlCharts.categoryChart(name, report.categoryShares().get(name)));
            }
            h.append("</div>\n");
        }
        h.append("</body></html>\n");
        return h.toString();
    }





    static Double pValue(FeatureDrift f) {
        FeatureDrift.Decision d = f.decision();
        return d == null ? null : d.adjustedPValue() != null ? d.adjustedPValue() : d.pValue();
    }

    static Double psi(FeatureDrift f) {
        return f.decision() == null ? null : f.decision().psi();
    }

    private static List<String> categories(FeatureDrift f, boolean added) {
        if (f.stats() instanceof FeatureDrift.CategoricalStats c) {
            return added ? c.newCategories() : c.missingCategories();
        }
        return List.of();
    }

    static double minusLog10(double p) {
        return -Math.log10(Math.max(p, 1e-300));
    }






    private static String table(DriftReport report) {
        StringBuilder t = new StringBuilder("<h2>Features</h2><table><tr><th>feature</th><th>verdict</th><th>type</th><th>test</th>"
                + "<th>statistic</th><th>p-value</th><th>PSI</th><th title=\"from PSI alone; informational\">PSI level</th>"
                + "<th>missing ref</th><th>missing cur</th><th>new categories</th><th>vanished categories</th></tr>\n");
        for (FeatureDrift f : report.features().values()) {
            FeatureDrift.Decision d = f.decision();
            io.mlops.drift.ColumnRole role = report.role(f.feature());
            t.append("<tr").append(f.driftDetected() ? " class=\"drift\"" : "").append("><td>").append(esc(f.feature()))
                    .append(role == io.mlops.drift.ColumnRole.FEATURE ? ""
                            : " <em>(" + role.name().toLowerCase(Locale.ROOT) + ", not in the drift share)</em>")
                    .append("</td><td class=\"verdict\">").append(verdict(f))
                    .append("</td><td>").append(f.type() == null ? "" : f.type().name().toLowerCase(Locale.ROOT))
                    .append("</td><td>").append(d == null ? "" : d.test().name().toLowerCase(Locale.ROOT))
                    .append("</td><td>").append(num(d == null ? null : d.statistic())).append("</td><td>")
                    .append(num(pValue(f))).append("</td><td>").append(num(psi(f)))
                    .append("</td><td>").append(d == null ? "" : d.severity().name().toLowerCase(Locale.ROOT))
                    .append("</td><td>").append(num(f.missing().referenceShare())).append("</td><td>").append(num(f.missing().currentShare()))
                    .append("</td><td>").append(esc(String.join(", ", categories(f, true)))).append("</td><td>")
                    .append(esc(String.join(", ", categories(f, false)))).append("</td></tr>\n");
        }
        return t.append("</table>\n").toString();
    }

    /** The row's one verdict: the test's decision, or why there is none. */
    static String verdict(FeatureDrift f) {
        if (f.driftDetected()) {
            return "DRIFT";
        }
        return f.status() == FeatureDrift.Status.EVALUATED ? "no drift" : f.status().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }




    static String num(Double v) {
        if (v == null) {
            return "";
        }
        if (v == 0 || Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6) {
            return String.format(Locale.ROOT, "%.4g", v);
        }
        return String.format(Locale.ROOT, "%.3e", v);
    }

    static String esc(String s) {
        return io.mlops.core.internal.text.HtmlText.escape(s);
    }
}
