package io.mlops.registry;

import io.mlops.core.Json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model card for one version ({@link ModelRegistry#card}): what the registry knows — the version's
 * digest, size, metadata and tags, the aliases that point at it and their moves to and from it, its
 * signatures, its audit events — plus the free-text sections people write (from the version's
 * metadata keys {@code card.<heading>}, or {@link #withText}) and the facts other parts of the
 * library add ({@link #withSection}: the training dataset and its lineage, live metrics and drift
 * since deployment — {@code mlops registry card} and the console add them from the stores under
 * their root). Rendered as JSON, Markdown and HTML; every text users wrote is escaped in the HTML
 * and the Markdown tables. Immutable.
 *
 * @since 0.1.0
 */
public final class ModelCard {

    /** The free-text headings a card offers, empty until someone fills them in. */
    public static final List<String> HEADINGS = List.of("Intended use", "Out of scope", "Training data", "Evaluation",
            "Limitations", "Ethical considerations", "Caveats and recommendations");

    private final ModelVersion version;
    private final Map<String, String> text; // heading -> text
    private final Map<String, Map<String, Object>> sections; // title -> facts

    ModelCard(ModelVersion version, Map<String, String> text, Map<String, Map<String, Object>> sections) {
        this.version = Objects.requireNonNull(version, "version");
        this.text = Collections.unmodifiableMap(new LinkedHashMap<>(text));
        this.sections = Collections.unmodifiableMap(new LinkedHashMap<>(sections));
    }

    /**
     * A card of the registry's facts; {@link ModelRegistry#card} builds one.
     *
     * @param version the version
     * @param facts the registry's sections, in order
     * @return the card, its free text from the version's {@code card.<heading>} metadata
     */
    public static ModelCard of(ModelVersion version, Map<String, Map<String, Object>> facts) {
        Map<String, String> text = new LinkedHashMap<>();
        for (String heading : HEADINGS) {
            Object written = version.metadata().get("card." + key(heading));
            text.put(heading, written == null ? "" : String.valueOf(written));
        }
        return new ModelCard(version, text, facts);
    }

    /** {@code Intended use} -> {@code intended_use}. */
    static String key(String heading) {
        return heading.toLowerCase(java.util.Locale.ROOT).replace(' ', '_');
    }

    /**
     * @return the version the card describes
     */
    public ModelVersion version() {
        return version;
    }

    /**
     * @return the free-text sections, heading to text (empty when not written)
     */
    public Map<String, String> text() {
        return text;
    }

    /**
     * @return the fact sections, title to facts
     */
    public Map<String, Map<String, Object>> sections() {
        return sections;
    }

    /**
     * @param heading a heading (one of {@link #HEADINGS} or another)
     * @param content its text, at most 100,000 characters
     * @return a card with it
     */
    public ModelCard withText(String heading, String content) {
        Objects.requireNonNull(heading, "heading");
        Objects.requireNonNull(content, "content");
        if (heading.isBlank() || heading.length() > 200 || content.length() > 100_000) {
            throw new IllegalArgumentException("a heading is 1 to 200 characters and its text at most 100,000");
        }
        Map<String, String> t = new LinkedHashMap<>(text);
        t.put(heading, content);
        return new ModelCard(version, t, sections);
    }

    /**
     * @param title the section's title
     * @param facts its facts, JSON-writable values
     * @return a card with the section (replacing one of the same title)
     */
    public ModelCard withSection(String title, Map<String, ?> facts) {
        Objects.requireNonNull(title, "title");
        Map<String, Map<String, Object>> s = new LinkedHashMap<>(sections);
        s.put(title, Collections.unmodifiableMap(new LinkedHashMap<>(facts)));
        return new ModelCard(version, text, s);
    }

    private Map<String, Object> tree() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("model", version.name());
        root.put("version", version.version());
        root.put("sha256", version.sha256());
        root.put("size_bytes", version.sizeBytes());
        root.put("registered_at", version.registeredAt().toString());
        root.put("metadata", version.metadata());
        root.put("tags", version.tags());
        root.put("sections", sections);
        root.put("text", text);
        return root;
    }

    /**
     * @return the card as indented JSON
     */
    public String toJson() {
        try {
            return Json.prettyWriter().writeValueAsString(Json.toTree(tree()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @return the card as Markdown: a heading, the facts as tables, the free text as written
     */
    public String toMarkdown() {
        StringBuilder b = new StringBuilder("# Model card: ").append(md(version.name())).append(' ').append(md(version.version()))
                .append("\n\n");
        table(b, "Version", versionFacts(), true);
        sections.forEach((title, facts) -> table(b, title, facts, true));
        text.forEach((heading, content) -> b.append("## ").append(md(heading)).append("\n\n")
                .append(content.isBlank() ? "_Not written yet._" : content).append("\n\n"));
        return b.toString();
    }

    /**
     * @return the card as a self-contained HTML page (no scripts, no styles, no links out); every
     *     value and text escaped
     */
    public String toHtml() {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Model card: ")
                .append(html(version.name())).append(' ').append(html(version.version())).append("</title></head><body>\n<h1>Model card: ")
                .append(html(version.name())).append(' ').append(html(version.version())).append("</h1>\n");
        table(b, "Version", versionFacts(), false);
        sections.forEach((title, facts) -> table(b, title, facts, false));
        text.forEach((heading, content) -> b.append("<h2>").append(html(heading)).append("</h2>\n<p>")
                .append(content.isBlank() ? "<em>Not written yet.</em>" : html(content).replace("\n\n", "</p><p>")).append("</p>\n"));
        return b.append("</body></html>\n").toString();
    }

    private Map<String, Object> versionFacts() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("sha256", version.sha256());
        f.put("size (bytes)", version.sizeBytes());
        f.put("registered", version.registeredAt().toString());
        version.metadata().forEach((k, v) -> {
            if (!k.startsWith("card.")) {
                f.put("metadata " + k, v);
            }
        });
        version.tags().forEach((k, v) -> f.put("tag " + k, v));
        return f;
    }

    private static void table(StringBuilder b, String title, Map<String, ?> facts, boolean markdown) {
        if (markdown) {
            b.append("## ").append(md(title)).append("\n\n| | |\n|---|---|\n");
            facts.forEach((k, v) -> b.append("| ").append(md(k)).append(" | ").append(md(value(v))).append(" |\n"));
            b.append('\n');
        } else {
            b.append("<h2>").append(html(title)).append("</h2>\n<table>\n");
            facts.forEach((k, v) -> b.append("<tr><th>").append(html(k)).append("</th><td>").append(html(value(v)))
                    .append("</td></tr>\n"));
            b.append("</table>\n");
        }
    }

    private static String value(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            l.forEach(x -> parts.add(value(x)));
            return String.join("; ", parts);
        }
        return v instanceof String s ? s : Json.write(v, 100_000, "a card value");
    }

    /** Markdown table text: pipes and line breaks escaped, markup characters backslashed. */
    private static String md(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '|', '\\', '*', '_', '`', '[', ']', '<', '>', '#' -> out.append('\\').append(c);
                case '\n', '\r' -> out.append(' ');
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String html(String s) {
        return io.mlops.core.internal.text.HtmlText.escape(s);
    }

    @Override
    public String toString() {
        return "ModelCard[" + version.coordinates() + ", " + sections.keySet() + "]";
    }
}
