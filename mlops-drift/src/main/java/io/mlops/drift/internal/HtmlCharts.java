package io.mlops.drift.internal;

import io.mlops.drift.CategoryShares;
import io.mlops.drift.DriftSummary;
import io.mlops.drift.FeatureDrift;
import io.mlops.drift.Histogram;
import io.mlops.drift.Severity;

import java.util.List;

import static io.mlops.drift.internal.HtmlReport.esc;
import static io.mlops.drift.internal.HtmlReport.minusLog10;
import static io.mlops.drift.internal.HtmlReport.num;
import static io.mlops.drift.internal.HtmlReport.pValue;
import static io.mlops.drift.internal.HtmlReport.psi;

/** The drift report's inline SVG charts: no script, every name from the data escaped. */
final class HtmlCharts {

    static final String DRIFT = "#d9534f";
    static final String OK = "#5cb85c";
    private static final String REF = "#4a7bd0";
    private static final String CUR = "#f0a030";
    private static final int PLOT = 140;
    private static final int LEFT = 36;

    private HtmlCharts() {
    }

    static String shareChart(DriftSummary s) {
        int w = 320;
        double share = s.totalFeatures() == 0 ? 0 : s.driftedFeatures() / (double) s.totalFeatures();
        int driftWidth = (int) Math.round(w * share);
        StringBuilder b = svgStart("Drifted vs not drifted features", w + 40, 110);
        b.append(rect(20, 40, driftWidth, 30, DRIFT)).append(rect(20 + driftWidth, 40, w - driftWidth, 30, OK));
        b.append(text(20, 90, "drifted " + s.driftedFeatures() + "  /  not drifted " + (s.totalFeatures() - s.driftedFeatures()), 12));
        return b.append("</svg></div>\n").toString();
    }

    static String severityChart(List<FeatureDrift> features) {
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

    static String psiChart(List<FeatureDrift> features) {
        double max = 0.3;
        for (FeatureDrift f : features) {
            if (f.decision() != null) {
                max = Math.max(max, f.decision().psi());
            }
        }
        return barChart("PSI per feature (lines at 0.1 and 0.25)", features, max * 1.05, new double[] {0.1, 0.25}, true);
    }

    /** P-values on a -log10 scale: taller bars are smaller p-values; the line is the significance level. */
    static String pValueChart(List<FeatureDrift> features, double significance) {
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

    /**
     * Draws reference (blue) and current (orange) bars side by side per slot, {@code step} apart,
     * scaled to the larger share, with the share axis; returns the scale's maximum.
     */
    private static double pairedBars(StringBuilder b, double[] ref, double[] cur, int w, int step) {
        double max = 0;
        for (int i = 0; i < ref.length; i++) {
            max = Math.max(max, Math.max(ref[i], cur[i]));
        }
        max = max == 0 ? 1 : max;
        for (int i = 0; i < ref.length; i++) {
            int x = LEFT + i * step;
            int hr = (int) Math.round(PLOT * ref[i] / max);
            int hc = (int) Math.round(PLOT * cur[i] / max);
            b.append(rect(x, 30 + PLOT - hr, w, hr, REF)).append(rect(x + w, 30 + PLOT - hc, w, hc, CUR));
        }
        b.append("<line x1=\"").append(LEFT - 4).append("\" x2=\"").append(LEFT - 4).append("\" y1=\"30\" y2=\"")
                .append(30 + PLOT).append("\" stroke=\"#999\"/>");
        b.append(text(LEFT - 2, 40, num(max), 9)).append(yLabel(30 + PLOT / 2, "share of rows"));
        return max;
    }

    static String histogramChart(String name, Histogram hist) {
        double[] ref = hist.reference();
        double[] edges = hist.edges();
        int plot = PLOT;
        int w = 12;
        int left = LEFT;
        int width = left + 20 + ref.length * (2 * w + 4);
        StringBuilder b = svgStart(name, Math.max(width, 300), plot + 90);
        pairedBars(b, ref, hist.current(), w, 2 * w + 4);
        // the value axis, ticks at the first, middle and last edge
        b.append("<line x1=\"").append(left - 4).append("\" x2=\"").append(width - 16).append("\" y1=\"").append(30 + plot)
                .append("\" y2=\"").append(30 + plot).append("\" stroke=\"#999\"/>");
        int span = ref.length * (2 * w + 4);
        b.append(text(left, 30 + plot + 14, num(edges[0]), 9))
                .append(text(left + span / 2 - 10, 30 + plot + 14, num(edges[edges.length / 2]), 9))
                .append(text(left + span - 30, 30 + plot + 14, num(edges[edges.length - 1]), 9));
        b.append(text(left, plot + 62, name + " (value)", 10));
        b.append(text(left, plot + 78, "reference (blue) vs current (orange)", 11));
        return b.append("</svg></div>\n").toString();
    }

    /** Grouped bars per category (largest first): reference blue, current orange, with labelled axes. */
    static String categoryChart(String name, CategoryShares shares) {
        double[] ref = shares.reference();
        int plot = PLOT;
        int w = 14;
        int left = LEFT;
        int step = 2 * w + 10;
        StringBuilder b = svgStart(name, Math.max(300, left + 20 + ref.length * step), plot + 120);
        pairedBars(b, ref, shares.current(), w, step);
        for (int i = 0; i < ref.length; i++) {
            int x = left + i * step;
            b.append("<text x=\"").append(x + w).append("\" y=\"").append(30 + plot + 12)
                    .append("\" font-size=\"10\" transform=\"rotate(45 ").append(x + w).append(' ').append(30 + plot + 12)
                    .append(")\">").append(esc(shares.categories().get(i))).append("</text>");
        }
        b.append(text(left, plot + 108, "reference (blue) vs current (orange), by category", 11));
        return b.append("</svg></div>\n").toString();
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
}
