package io.mlops.console.internal;

import io.mlops.data.DataVersioning;
import io.mlops.data.DatasetDiff;
import io.mlops.data.DatasetNotFoundException;
import io.mlops.data.DatasetVersion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.mlops.console.internal.Html.a;
import static io.mlops.console.internal.Html.esc;
import static io.mlops.console.internal.Html.path;

/** The dataset pages: names, a dataset's versions with a diff form, a version with its lineage graph, a diff (by rows with a key). */
final class DataPages {

    private final DataVersioning data;

    DataPages(DataVersioning data) {
        this.data = data;
    }

    String datasets() {
        List<List<String>> rows = new ArrayList<>();
        for (String name : data.names()) {
            List<DatasetVersion> versions = data.versions(name);
            DatasetVersion last = versions.isEmpty() ? null : versions.get(versions.size() - 1);
            rows.add(List.of(a(path("datasets", name), name), String.valueOf(versions.size()),
                    last == null ? "" : a(link(last), last.id()), last == null ? "" : esc(Html.TIME.format(last.createdAt()))));
        }
        return Html.page("Datasets", rows.isEmpty() ? "<p class=\"muted\">No dataset is committed.</p>"
                : Html.table(List.of("dataset", "versions", "latest", "committed (UTC)"), rows));
    }

    static String link(DatasetVersion v) {
        return path("datasets", v.name(), "versions", v.id());
    }

    String dataset(String name) {
        List<DatasetVersion> versions = data.versions(name);
        if (versions.isEmpty()) {
            throw new PageError(404, "No dataset named '" + name + "'");
        }
        List<List<String>> rows = new ArrayList<>();
        StringBuilder options = new StringBuilder();
        for (int i = versions.size() - 1; i >= 0; i--) {
            DatasetVersion v = versions.get(i);
            rows.add(List.of(a(link(v), v.id()), esc(Html.TIME.format(v.createdAt())), esc(v.rowCount().isPresent()
                    ? String.valueOf(v.rowCount().getAsLong()) : "file"), esc(v.sizeBytes()), esc(v.description()),
                    esc(v.tags())));
            options.append("<option>").append(esc(v.id())).append("</option>");
        }
        String diff = versions.size() < 2 ? "" : "<h2>Compare two versions</h2><form method=\"get\" action=\""
                + esc(path("datasets", name, "diff")) + "\"><label>from<select name=\"a\">" + options
                + "</select></label><label>to<select name=\"b\">" + options + "</select></label>"
                + "<label>key columns, for a row-by-row comparison<input name=\"key\" maxlength=\"" + RowDiffPage.MAX_KEY_CHARS
                + "\" placeholder=\"customer_id\"></label><button type=\"submit\">Compare</button></form>";
        return Html.page("Dataset " + name, Html.table(List.of("version", "committed (UTC)", "rows", "bytes", "description", "tags"),
                rows) + diff);
    }

    String version(String name, String id) {
        DatasetVersion v = find(name, id);
        List<DatasetVersion> ancestors = data.lineage(id);
        List<DatasetVersion> descendants = data.descendants(id);
        Map<String, DatasetVersion> graph = new LinkedHashMap<>();
        for (int i = ancestors.size() - 1; i >= 0; i--) {
            graph.put(ancestors.get(i).id(), ancestors.get(i));
        }
        descendants.forEach(d -> graph.put(d.id(), d));
        List<Svg.Node> nodes = new ArrayList<>();
        Map<String, String> links = new LinkedHashMap<>();
        for (DatasetVersion g : graph.values()) {
            nodes.add(new Svg.Node(g.id(), g.id(), g.parents(), g.id().equals(id)));
            links.put(g.id(), link(g));
        }
        List<String> parents = new ArrayList<>();
        for (String p : v.parents()) {
            parents.add(data.find(p).map(pv -> a(link(pv), p)).orElse(esc(p) + " <span class=\"muted\">(missing)</span>"));
        }
        String body = Html.table(List.of("field", "value"), List.of(
                List.of("dataset", a(path("datasets", name), name)),
                List.of("id", esc(v.id())),
                List.of("committed (UTC)", esc(Html.TIME.format(v.createdAt()))),
                List.of("rows", esc(v.rowCount().isPresent() ? String.valueOf(v.rowCount().getAsLong()) : "a file")),
                List.of("bytes", esc(v.sizeBytes())),
                List.of("sha256", "<code>" + esc(v.sha256()) + "</code>"),
                List.of("description", esc(v.description())),
                List.of("tags", esc(v.tags())),
                List.of("parents", String.join(", ", parents))))
                + "<h2>Lineage</h2><p class=\"muted\">Ancestors on the left, what was derived from it on the right.</p>"
                + "<div class=\"chart\">" + Svg.dag(nodes, links) + "</div>";
        return Html.page(v.id(), body);
    }

    private DatasetVersion find(String name, String id) {
        DatasetVersion v = data.find(id).orElseThrow(() -> new PageError(404, "No dataset version '" + id + "'"));
        if (!v.name().equals(name)) {
            throw new PageError(404, "Version '" + id + "' is not of dataset '" + name + "'");
        }
        return v;
    }

    String diff(String name, String idA, String idB, String key) {
        if (idA == null || idB == null) {
            throw new PageError(400, "Choose two versions to compare (a and b)");
        }
        find(name, idA);
        find(name, idB);
        if (key != null && !key.isBlank()) {
            return RowDiffPage.render(data, name, idA, idB, key);
        }
        DatasetDiff d;
        try {
            d = data.compare(idA, idB);
        } catch (DatasetNotFoundException e) {
            throw new PageError(404, e.getMessage());
        }
        List<List<String>> rows = new ArrayList<>();
        for (DatasetDiff.ColumnChange c : d.columnChanges()) {
            List<String> deltas = new ArrayList<>();
            c.deltas().forEach((k, val) -> deltas.add(esc(k) + " " + Html.number(val, "%+.4g")));
            rows.add(List.of(esc(c.column()), esc(c.before() == null ? "" : c.before().type()), String.join(", ", deltas),
                    esc(String.join(", ", c.categoriesAdded())), esc(String.join(", ", c.categoriesRemoved()))));
        }
        String body = "<p>" + a(path("datasets", name, "versions", idA), idA) + " &rarr; " + a(path("datasets", name, "versions", idB), idB)
                + ": rows " + d.rowsBefore() + " &rarr; " + d.rowsAfter() + "</p>"
                + Html.table(List.of("columns added", "columns removed", "type changes"), List.of(List.of(
                esc(String.join(", ", d.columnsAdded())), esc(String.join(", ", d.columnsRemoved())), esc(d.typeChanges()))))
                + "<h2>Kept columns</h2>" + Html.table(List.of("column", "type", "changes", "categories added", "categories removed"), rows);
        return Html.page("Diff of " + name, body);
    }
}
