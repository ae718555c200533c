package io.mlops.core.internal.text;

/** Text as HTML content or attribute value: the five characters that carry markup, escaped. */
public final class HtmlText {

    private HtmlText() {
    }

    /**
     * @param value any value (its {@code toString}), or null for ""
     * @return the text, escaped
     */
    public static String escape(Object value) {
        if (value == null) {
            return "";
        }
        String s = String.valueOf(value);
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
