package io.mlops.drift.internal;

import io.mlops.core.ColumnType;
import io.mlops.drift.DriftReport;
import io.mlops.drift.DriftSummary;
import io.mlops.drift.FeatureDrift;
import io.mlops.drift.Histogram;
import io.mlops.drift.Severity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link DriftReport} as one self-contained HTML page: inline SVG charts and a table, no
 * script, no external resource. Every name from the data is HTML-escaped.
 */
public final class HtmlReport {

    private static final String DRIFT = "#d9534f";
    private static final String OK = "#5cb85c";
    private static final String REF = "#4a7bd0";
    private static final String CUR = "#f0a030";

    private HtmlReport() {
    }

    /**
     * Returns the page.
     *
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
        h.append("<div class=\"banner\" style=\"background:").append(report.driftDetected() ? DRIFT : OK).append("\">")
                .append(report.driftDetected() ? "Drift detected" : "No drift detected").append(": ")
                .append(s.driftedFeatures()).append(" of ").append(s.totalFeatures()).append(" features (")
                .append(String.format(Locale.ROOT, "%.1f", s.driftPercentage())).append("%)</div>\n");
        if (!s.missingColumns().isEmpty() || !s.newColumns().isEmpty()) {
            h.append("<p>Missing columns: ").append(esc(String.valueOf(s.missingColumns()))).append("; new columns: ")
                    .append(esc(String.valueOf(s.newColumns()))).append("</p>\n");
        }
        h.append("<div class=\"charts\">\n");
        h.append(shareChart(s)).append(severityChart(present)).append(psiChart(present)).append(pValueChart(present, report.significance()));
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
                h.append(histogramChart(name, report.histograms().get(name)));
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
                h.append(categoryChart(name, report.categoryShares().get(name)));
            }
            h.append("</div>\n");
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    private static String shareChart(DriftSummary s) {
        int w = 320;
        double share = s.totalFeatures() == 0 ? 0 : s.driftedFeatures() / (double) s.totalFeatures();
        int driftWidth = (int) Math.round(w * share);
        StringBuilder b = svgStart("Drifted vs not drifted features", w + 40, 110);
        b.append(rect(20, 40, driftWidth, 30, DRIFT)).append(rect(20 + driftWidth, 40, w - driftWidth, 30, OK));
        b.append(text(20, 90, "drifted " + s.driftedFeatures() + "  /  not drifted " + (s.totalFeatures() - s.driftedFeatures()), 12));
        return b.append("</svg></div>\n").toString();
    }

    private static String severityChart(List<FeatureDrift> features) {
        int[] counts = new int[3];
        for (FeatureDrift f : features) {
            if (f.decision() != null) {
                counts[f.decision().severity().ordinal()]++;
            }
        }
        int max = Math.max(1, Math.max(counts[0], Math.max(counts[1], counts[2])));
        String[] colors = {OK, CUR, DRIFT};
        StringBuilder b = svgStart("PSI level per feature (informational)", 330, 200);
        for (int i = 0; i < 3; i++) {
            int height = (int) Math.round(120.0 * counts[i] / max);
            int x = 30 + i * 90;
            b.append(rect(x, 160 - height, 60, height, colors[i]));
            b.append(text(x, 178, Severity.values()[i].name(), 12)).append(text(x + 24, 155 - height, String.valueOf(counts[i]), 12));
        }
        return b.append("</svg></div>\n").toString();
    }

    private static String psiChart(List<FeatureDrift> features) {
        double max = 0.3;
        for (FeatureDrift f : features) {
            if (f.decision() != null) {
                max = Math.max(max, f.decision().psi());
            }
        }
        return barChart("PSI per feature (lines at 0.1 and 0.25)", features, max * 1.05, new double[] {0.1, 0.25}, true);
    }

    /** P-values on a -log10 scale: taller bars are smaller p-values; the line is the significance level. */
    private static String pValueChart(List<FeatureDrift> features, double significance) {
        double max = -Math.log10(significance) * 1.5;
        for (FeatureDrift f : features) {
            Double p = pValue(f);
            if (p != null) {
                max = Math.max(max, minusLog10(p));
            }
        }
        return barChart("p-value per feature, -log10 scale (line at p = " + num(significance) + ")", features, max * 1.05,
                new double[] {-Math.log10(significance)}, false);
    }

    private static Double pValue(FeatureDrift f) {
        FeatureDrift.Decision d = f.decision();
        return d == null ? null : d.adjustedPValue() != null ? d.adjustedPValue() : d.pValue();
    }

    private static Double psi(FeatureDrift f) {
        return f.decision() == null ? null : f.decision().psi();
    }

    private static List<String> categories(FeatureDrift f, boolean added) {
        if (f.stats() instanceof FeatureDrift.CategoricalStats c) {
            return added ? c.newCategories() : c.missingCategories();
        }
        return List.of();
    }

    private static double minusLog10(double p) {
        return -Math.log10(Math.max(p, 1e-300));
    }

    private static String barChart(String title, List<FeatureDrift> features, double max, double[] lines, boolean psi) {
        int bar = 28;
        int width = Math.max(420, 60 + features.size() * (bar + 8));
        int plot = 150;
        StringBuilder b = svgStart(title, width, plot + 110);
        int x = 50;
        for (FeatureDrift f : features) {
            Double v = psi ? psi(f) : (pValue(f) == null ? null : minusLog10(pValue(f)));
            if (v != null) {
                int height = (int) Math.round(plot * Math.min(v, max) / max);
                b.append(rect(x, 30 + plot - height, bar, Math.max(height, 1), f.driftDetected() ? DRIFT : REF));
            }
            b.append("<text x=\"").append(x + bar / 2).append("\" y=\"").append(30 + plot + 12)
                    .append("\" font-size=\"10\" transform=\"rotate(45 ").append(x + bar / 2).append(' ').append(30 + plot + 12)
                    .append(")\">").append(esc(f.feature())).append("</text>");
            x += bar + 8;
        }
        for (double line : lines) {
            int y = 30 + plot - (int) Math.round(plot * line / max);
            b.append("<line x1=\"40\" x2=\"").append(width - 10).append("\" y1=\"").append(y).append("\" y2=\"").append(y)
                    .append("\" stroke=\"").append(DRIFT).append("\" stroke-dasharray=\"5,4\"/>");
            b.append(text(2, y + 4, psi ? num(line) : "p=" + num(Math.pow(10, -line)), 10));
        }
        b.append("<line x1=\"40\" x2=\"40\" y1=\"30\" y2=\"").append(30 + plot).append("\" stroke=\"#999\"/>");
        b.append(yLabel(30 + plot / 2, psi ? "PSI" : "-log10 p"));
        return b.append("</svg></div>\n").toString();
    }

    /** A vertical axis label, centred on {@code y}. */
    private static String yLabel(int y, String label) {
        return "<text x=\"12\" y=\"" + y + "\" font-size=\"10\" text-anchor=\"middle\" transform=\"rotate(-90 12 " + y
                + ")\">" + esc(label) + "</text>";
    }

    private static String histogramChart(String name, Histogram hist) {
        double[] ref = hist.reference();
        double[] cur = hist.current();
        double[] edges = hist.edges();
        double max = 0;
        for (int i = 0; i < ref.length; i++) {
            max = Math.max(max, Math.max(ref[i], cur[i]));
        }
        max = max == 0 ? 1 : max;
        int plot = 140;
        int w = 12;
        int left = 36;
        int width = left + 20 + ref.length * (2 * w + 4);
        StringBuilder b = svgStart(name, Math.max(width, 300), plot + 90);
        for (int i = 0; i < ref.length; i++) {
            int x = left + i * (2 * w + 4);
            int hr = (int) Math.round(plot * ref[i] / max);
            int hc = (int) Math.round(plot * cur[i] / max);
            b.append(rect(x, 30 + plot - hr, w, hr, REF)).append(rect(x + w, 30 + plot - hc, w, hc, CUR));
        }
        // axes: share of rows up, the feature's value along, ticks at the first, middle and last edge
        b.append("<line x1=\"").append(left - 4).append("\" x2=\"").append(left - 4).append("\" y1=\"30\" y2=\"")
                .append(30 + plot).append("\" stroke=\"#999\"/>");
        b.append("<line x1=\"").append(left - 4).append("\" x2=\"").append(width - 16).append("\" y1=\"").append(30 + plot)
                .append("\" y2=\"").append(30 + plot).append("\" stroke=\"#999\"/>");
        b.append(text(left - 2, 40, num(max), 9)).append(yLabel(30 + plot / 2, "share of rows"));
        int span = ref.length * (2 * w + 4);
        b.append(text(left, 30 + plot + 14, num(edges[0]), 9))
                .append(text(left + span / 2 - 10, 30 + plot + 14, num(edges[edges.length / 2]), 9))
                .append(text(left + span - 30, 30 + plot + 14, num(edges[edges.length - 1]), 9));
        b.append(text(left, plot + 62, name + " (value)", 10));
        b.append(text(left, plot + 78, "reference (blue) vs current (orange)", 11));
        return b.append("</svg></div>\n").toString();
    }

    /** Grouped bars per category (largest first): reference blue, current orange, with labelled axes. */
    private static String categoryChart(String name, io.mlops.drift.CategoryShares shares) {
        double[] ref = shares.reference();
        double[] cur = shares.current();
        double max = 0;
        for (int i = 0; i < ref.length; i++) {
            max = Math.max(max, Math.max(ref[i], cur[i]));
        }
        max = max == 0 ? 1 : max;
        int plot = 140;
        int w = 14;
        int left = 36;
        int step = 2 * w + 10;
        int width = Math.max(300, left + 20 + ref.length * step);
        StringBuilder b = svgStart(name, width, plot + 120);
        for (int i = 0; i < ref.length; i++) {
            int x = left + i * step;
            int hr = (int) Math.round(plot * ref[i] / max);
            int hc = (int) Math.round(plot * cur[i] / max);
            b.append(rect(x, 30 + plot - hr, w, hr, REF)).append(rect(x + w, 30 + plot - hc, w, hc, CUR));
            b.append("<text x=\"").append(x + w).append("\" y=\"").append(30 + plot + 12)
                    .append("\" font-size=\"10\" transform=\"rotate(45 ").append(x + w).append(' ').append(30 + plot + 12)
                    .append(")\">").append(esc(shares.categories().get(i))).append("</text>");
        }
        b.append("<line x1=\"").append(left - 4).append("\" x2=\"").append(left - 4).append("\" y1=\"30\" y2=\"")
                .append(30 + plot).append("\" stroke=\"#999\"/>");
        b.append(text(left - 2, 40, num(max), 9)).append(yLabel(30 + plot / 2, "share of rows"));
        b.append(text(left, plot + 108, "reference (blue) vs current (orange), by category", 11));
        return b.append("</svg></div>\n").toString();
    }

    private static String table(DriftReport report) {
        StringBuilder t = new StringBuilder("<h2>Features</h2><table><tr><th>feature</th><th>verdict</th><th>type</th><th>test</th>"
                + "<th>statistic</th><th>p-value</th><th>PSI</th><th title=\"from PSI alone; informational\">PSI level</th>"
                + "<th>missing ref</th><th>missing cur</th><th>new categories</th><th>vanished categories</th></tr>\n");
        for (FeatureDrift f : report.features().values()) {
            FeatureDrift.Decision d = f.decision();
            t.append("<tr").append(f.driftDetected() ? " class=\"drift\"" : "").append("><td>").append(esc(f.feature()))
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

    private static StringBuilder svgStart(String title, int width, int height) {
        StringBuilder b = new StringBuilder("<div class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(width).append("\" height=\"").append(height).append("\" role=\"img\" aria-label=\"").append(esc(title))
                .append("\">");
        return b.append(text(6, 16, title, 13));
    }

    private static String rect(int x, int y, int w, int h, String color) {
        return "<rect x=\"" + x + "\" y=\"" + y + "\" width=\"" + Math.max(w, 0) + "\" height=\"" + Math.max(h, 0)
                + "\" fill=\"" + color + "\"/>";
    }

    private static String text(int x, int y, String s, int size) {
        return "<text x=\"" + x + "\" y=\"" + y + "\" font-size=\"" + size + "\">" + esc(s) + "</text>";
    }

    private static String num(Double v) {
        if (v == null) {
            return "";
        }
        if (v == 0 || Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6) {
            return String.format(Locale.ROOT, "%.4g", v);
        }
        return String.format(Locale.ROOT, "%.3e", v);
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<':
                    b.append("&lt;");
                    break;
                case '>':
                    b.append("&gt;");
                    break;
                case '&':
                    b.append("&amp;");
                    break;
                case '"':
                    b.append("&quot;");
                    break;
                case '\'':
                    b.append("&#39;");
                    break;
                default:
                    b.append(c);
            }
        }
        return b.toString();
    }
}
