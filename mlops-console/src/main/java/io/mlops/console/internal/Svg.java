package io.mlops.console.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.mlops.console.internal.Html.esc;

/** Inline SVG: line charts of time series, an alias's timeline, and a lineage graph. Every label is escaped. */
final class Svg {

    private static final String[] COLOURS = {"#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#bf3989"};

    private Svg() {
    }

    /**
     * A line chart, one line per series (NaN leaves a gap), with a y axis from 0 to the largest
     * value, the first and last x labels and a legend.
     */
    static String lineChart(String title, String unit, List<String> xLabels, Map<String, double[]> series) {
        int w = 380;
        int h = 190;
        int left = 48;
        int right = 10;
        int top = 24;
        int bottom = 40;
        double max = 0;
        for (double[] values : series.values()) {
            for (double v : values) {
                if (Double.isFinite(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        max = max == 0 ? 1 : max * 1.1;
        int n = xLabels.size();
        StringBuilder b = new StringBuilder();
        b.append("<svg class=\"chart-svg\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"")
                .append(h).append("\" role=\"img\" aria-label=\"").append(esc(title)).append("\">");
        b.append("<text x=\"").append(left).append("\" y=\"15\" font-size=\"12\" font-weight=\"600\">").append(esc(title))
                .append(unit.isEmpty() ? "" : " (" + esc(unit) + ")").append("</text>");
        b.append(line(left, top, left, h - bottom)).append(line(left, h - bottom, w - right, h - bottom));
        for (int i = 0; i <= 2; i++) {
            double v = max * i / 2;
            double y = h - bottom - (h - bottom - top) * i / 2.0;
            b.append("<text x=\"").append(left - 4).append("\" y=\"").append(fmt(y + 4)).append("\" font-size=\"10\" text-anchor=\"end\">")
                    .append(esc(tick(v))).append("</text>");
        }
        if (n > 0) {
            b.append(text(left, h - bottom + 14, xLabels.get(0), "start"));
            b.append(text(w - right, h - bottom + 14, xLabels.get(n - 1), "end"));
        }
        int s = 0;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            String colour = COLOURS[s % COLOURS.length];
            StringBuilder points = new StringBuilder();
            double[] values = e.getValue();
            for (int i = 0; i < values.length; i++) {
                double x = left + (n <= 1 ? 0 : (w - left - right) * i / (double) (n - 1));
                if (!Double.isFinite(values[i])) {
                    b.append(polyline(points, colour));
                    points.setLength(0);
                    continue;
                }
                double y = h - bottom - (h - bottom - top) * values[i] / max;
                points.append(fmt(x)).append(',').append(fmt(y)).append(' ');
            }
            b.append(polyline(points, colour));
            b.append("<rect x=\"").append(left + 90 * s).append("\" y=\"").append(h - 14).append("\" width=\"10\" height=\"10\" fill=\"")
                    .append(colour).append("\"/>").append(text(left + 90 * s + 14, h - 5, e.getKey(), "start"));
            s++;
        }
        return b.append("</svg>").toString();
    }

    private static String polyline(StringBuilder points, String colour) {
        if (points.isEmpty()) {
            return "";
        }
        String p = points.toString().trim();
        if (!p.contains(" ")) { // a single point: a dot
            String[] xy = p.split(",");
            return "<circle cx=\"" + xy[0] + "\" cy=\"" + xy[1] + "\" r=\"2.5\" fill=\"" + colour + "\"/>";
        }
        return "<polyline fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"2\" points=\"" + p + "\"/>";
    }

    /**
     * An alias's moves on a time line: one dot per move, labelled with the version it moved to
     * (or "removed"), oldest on the left.
     */
    static String timeline(List<String> labels, List<String> times, List<Boolean> rollbacks) {
        int n = labels.size();
        int w = Math.max(360, 120 * n + 100);
        int h = 90;
        StringBuilder b = new StringBuilder("<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w
                + "\" height=\"" + h + "\" role=\"img\" aria-label=\"alias timeline\">");
        b.append(line(20, 40, w - 20, 40));
        for (int i = 0; i < n; i++) {
            int x = 70 + 120 * i;
            String colour = rollbacks.get(i) ? "#d1242f" : "#1f6feb";
            b.append("<circle class=\"move\" cx=\"").append(x).append("\" cy=\"40\" r=\"7\" fill=\"").append(colour).append("\"/>");
            b.append(text(x, 25, labels.get(i), "middle")).append(text(x, 65, times.get(i), "middle"));
        }
        return b.append("</svg>").toString();
    }

    /** A node of the lineage graph: its id, its text, its parents, and whether it is the one shown. */
    record Node(String id, String label, List<String> parents, boolean focus) {
    }

    /**
     * The lineage graph: nodes in columns by depth (ancestors left, descendants right), an arrow
     * from each parent to its child.
     */
    static String dag(List<Node> nodes, Map<String, String> links) {
        Map<String, Node> byId = new LinkedHashMap<>();
        nodes.forEach(n -> byId.put(n.id(), n));
        Map<String, Integer> depth = new HashMap<>();
        boolean changed = true;
        nodes.forEach(n -> depth.put(n.id(), 0));
        for (int round = 0; changed && round < nodes.size() + 1; round++) { // longest path from a root
            changed = false;
            for (Node n : nodes) {
                for (String p : n.parents()) {
                    if (byId.containsKey(p) && depth.get(p) + 1 > depth.get(n.id())) {
                        depth.put(n.id(), depth.get(p) + 1);
                        changed = true;
                    }
                }
            }
        }
        Map<Integer, List<Node>> columns = new java.util.TreeMap<>();
        nodes.forEach(n -> columns.computeIfAbsent(depth.get(n.id()), k -> new ArrayList<>()).add(n));
        int bw = 190;
        int bh = 34;
        Map<String, int[]> at = new HashMap<>();
        int rows = columns.values().stream().mapToInt(List::size).max().orElse(1);
        for (Map.Entry<Integer, List<Node>> c : columns.entrySet()) {
            for (int i = 0; i < c.getValue().size(); i++) {
                at.put(c.getValue().get(i).id(), new int[] {20 + c.getKey() * (bw + 50), 20 + i * (bh + 24)});
            }
        }
        int w = 40 + columns.size() * (bw + 50);
        int h = 40 + rows * (bh + 24);
        StringBuilder b = new StringBuilder("<svg class=\"lineage\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w
                + "\" height=\"" + h + "\" role=\"img\" aria-label=\"lineage graph\">");
        b.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\""
                + " orient=\"auto\"><path d=\"M0,0L10,5L0,10z\" fill=\"#66707a\"/></marker></defs>");
        for (Node n : nodes) {
            for (String p : n.parents()) {
                int[] from = at.get(p);
                int[] to = at.get(n.id());
                if (from != null && to != null) {
                    b.append("<line class=\"edge\" x1=\"").append(from[0] + bw).append("\" y1=\"").append(from[1] + bh / 2)
                            .append("\" x2=\"").append(to[0]).append("\" y2=\"").append(to[1] + bh / 2)
                            .append("\" stroke=\"#66707a\" marker-end=\"url(#arrow)\"/>");
                }
            }
        }
        for (Node n : nodes) {
            int[] p = at.get(n.id());
            String rect = "<rect class=\"node\" x=\"" + p[0] + "\" y=\"" + p[1] + "\" width=\"" + bw + "\" height=\"" + bh
                    + "\" rx=\"5\" fill=\"" + (n.focus() ? "#ddf4ff" : "#fff") + "\" stroke=\"" + (n.focus() ? "#1f6feb" : "#8c959f")
                    + "\"/>" + text(p[0] + 8, p[1] + 21, shorten(n.label(), 28), "start");
            String href = links.get(n.id());
            b.append(href == null ? rect : "<a href=\"" + esc(href) + "\">" + rect + "</a>");
        }
        return b.append("</svg>").toString();
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
    }

    private static String line(double x1, double y1, double x2, double y2) {
        return "<line x1=\"" + fmt(x1) + "\" y1=\"" + fmt(y1) + "\" x2=\"" + fmt(x2) + "\" y2=\"" + fmt(y2) + "\" stroke=\"#8c959f\"/>";
    }

    private static String text(double x, double y, String s, String anchor) {
        return "<text x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" font-size=\"10\" text-anchor=\"" + anchor + "\">" + esc(s) + "</text>";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String tick(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : v >= 1 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.3f", v);
    }
}
