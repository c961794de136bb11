package dev.conduit.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;

/** A table of figures, printed as aligned text on the console and as Markdown in the report. */
final class Table {

    private final List<String> headers;
    /** Names are left-aligned, figures right-aligned: the first {@code textColumns} columns and those marked. */
    private final Set<Integer> textColumns = new HashSet<>();
    private final List<List<String>> rows = new ArrayList<>();

    Table(int textColumns, String... headers) {
        this.headers = List.of(headers);
        for (int c = 0; c < textColumns; c++) {
            this.textColumns.add(c);
        }
    }

    /** Aligns the column under {@code header} left: it holds words, not figures. */
    Table text(String header) {
        int column = headers.indexOf(header);
        if (column < 0) {
            throw new IllegalArgumentException("no column " + header);
        }
        textColumns.add(column);
        return this;
    }

    Table row(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
        }
        rows.add(List.of(cells));
        return this;
    }

    String text() {
        int[] widths = new int[headers.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = headers.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, headers, widths);
        List<String> rules = new ArrayList<>();
        for (int width : widths) {
            rules.add("-".repeat(width));
        }
        line(out, rules, widths);
        rows.forEach(row -> line(out, row, widths));
        return out.toString();
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| ").append(String.join(" | ", headers.stream().map(Table::escape).toList())).append(" |\n|");
        for (int c = 0; c < headers.size(); c++) {
            out.append(textColumns.contains(c) ? "---|" : "---:|");
        }
        out.append('\n');
        rows.forEach(row -> out.append("| ").append(String.join(" | ", row.stream().map(Table::escape).toList())).append(" |\n"));
        return out.toString();
    }

    private void line(StringBuilder out, List<String> cells, int[] widths) {
        List<String> padded = new ArrayList<>();
        for (int c = 0; c < cells.size(); c++) {
            String pad = " ".repeat(widths[c] - cells.get(c).length());
            padded.add(textColumns.contains(c) ? cells.get(c) + pad : pad + cells.get(c));
        }
        out.append(String.join("  ", padded).stripTrailing()).append('\n');
    }

    private static String escape(String cell) {
        return cell.replace("|", "\\|");
    }

    /** A figure with {@code decimals} decimals, thousands grouped; "n/a" when there is none. */
    static String number(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    static String number(OptionalDouble value, int decimals) {
        return value.isPresent() ? number(value.getAsDouble(), decimals) : "n/a";
    }

    /** Enough decimals to tell small per-request figures apart: 3 below 1, 2 below 10, else 1. */
    static String small(OptionalDouble value) {
        if (value.isEmpty()) {
            return "n/a";
        }
        double v = value.getAsDouble();
        return number(v, v < 1 ? 3 : v < 10 ? 2 : 1);
    }
}
