package io.mlops.console.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The console's HTML: escaping (every string that comes from data goes through {@link #esc}),
 * links whose path segments are percent-encoded, tables, and the page layout with its inline style.
 */
final class Html {

    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:0;color:#1d2733;background:#f6f8fa}
            header{background:#1d2733;color:#fff;padding:.6rem 1.2rem;display:flex;gap:1.4rem;align-items:center}
            header a{color:#cfe3ff;text-decoration:none}header strong{margin-right:1rem}
            main{padding:1rem 1.4rem;max-width:1200px}
            table{border-collapse:collapse;background:#fff;margin:.6rem 0 1.2rem}
            th,td{border:1px solid #d9dee3;padding:.3rem .6rem;text-align:left;vertical-align:top;font-size:.92rem}
            th{background:#eef2f6}code,pre{font-family:ui-monospace,monospace;font-size:.85rem}
            pre{background:#fff;border:1px solid #d9dee3;padding:.6rem;overflow:auto;max-width:1100px}
            .charts{display:flex;flex-wrap:wrap;gap:1rem}.chart{background:#fff;border:1px solid #d9dee3;padding:.4rem}
            .bad{color:#b3261e;font-weight:600}.good{color:#1e7b34}.muted{color:#66707a}
            form{background:#fff;border:1px solid #d9dee3;padding:.6rem;margin:.6rem 0;display:flex;gap:.6rem;flex-wrap:wrap;align-items:end}
            label{display:flex;flex-direction:column;font-size:.85rem}
            """;

    /** Times on the pages: UTC, to the minute. */
    static final java.time.format.DateTimeFormatter TIME = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(java.time.ZoneOffset.UTC);

    private Html() {
    }

    /** Escapes text for HTML content and attribute values. */
    static String esc(Object value) {
        return io.mlops.core.internal.text.HtmlText.escape(value);
    }

    /** A path from segments, each percent-encoded (a model name cannot break out of its segment). */
    static String path(String... segments) {
        StringBuilder b = new StringBuilder();
        for (String s : segments) {
            b.append('/').append(URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return b.toString();
    }

    /** A link; href and text are escaped. */
    static String a(String href, Object text) {
        return "<a href=\"" + esc(href) + "\">" + esc(text) + "</a>";
    }

    /** A table; header cells are escaped, body cells are HTML the caller built (escaped already). */
    static String table(List<String> headers, List<List<String>> rows) {
        StringBuilder b = new StringBuilder("<table><tr>");
        for (String h : headers) {
            b.append("<th>").append(esc(h)).append("</th>");
        }
        b.append("</tr>\n");
        for (List<String> row : rows) {
            b.append("<tr>");
            for (String cell : row) {
                b.append("<td>").append(cell).append("</td>");
            }
            b.append("</tr>\n");
        }
        return b.append("</table>\n").toString();
    }

    static String number(Double v, String format) {
        return v == null || v.isNaN() ? "&ndash;" : String.format(Locale.ROOT, format, v);
    }

    /** The whole page: the title (escaped), the navigation, and the body (HTML). */
    static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(title)
                + " &middot; mlops console</title><style>" + STYLE + "</style></head><body>\n"
                + "<header><strong>mlops</strong><a href=\"/\">Overview</a><a href=\"/models\">Models</a>"
                + "<a href=\"/datasets\">Datasets</a><a href=\"/monitor\">Monitor</a><a href=\"/alerts\">Alerts</a>"
                + "<a href=\"/drift\">Drift</a></header>\n<main><h1>" + esc(title) + "</h1>\n" + body + "</main></body></html>\n";
    }
}
