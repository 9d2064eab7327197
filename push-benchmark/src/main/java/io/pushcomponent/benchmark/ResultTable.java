package io.pushcomponent.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The suite's Markdown report: one row per figure, each with its target (if the issue sets one), what was
 * measured, and whether the target is met or by how much it is missed; then the machine it ran on.
 *
 * <p>Not thread-safe: filled by the suite's thread.
 */
final class ResultTable {
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    /** One line of the table. */
    record Row(String area, String figure, String target, String measured, String verdict) {
    }

    /** A figure with a lower bound: met when {@code measured >= target}. */
    void atLeast(String area, String figure, double target, double measured, String unit, String detail) {
        String verdict = measured >= target ? "met" : "%".equals(unit)
                ? "missed by " + number(target - measured) + " percentage points"
                : String.format(Locale.ROOT, "missed by %s %s (%.0f%%)", number(target - measured), unit,
                        100 * (target - measured) / target);
        rows.add(new Row(area, figure, "≥ " + number(target) + " " + unit,
                number(measured) + " " + unit + detail(detail), verdict));
    }

    /**
     * A figure with a lower bound measured under conditions that make it no verdict either way (the rates never
     * settled): the figure is shown, the verdict says why it is none.
     */
    void atLeastInconclusive(String area, String figure, double target, double measured, String unit, String detail,
                             String why) {
        rows.add(new Row(area, figure, "≥ " + number(target) + " " + unit,
                number(measured) + " " + unit + detail(detail), "inconclusive: " + why));
    }

    /** A figure with an upper bound: met when {@code measured < target}. */
    void below(String area, String figure, double target, double measured, String unit, String detail) {
        String verdict = measured < target ? "met" : String.format(Locale.ROOT, "missed by %s %s (%.0f%% over)",
                number(measured - target), unit, 100 * (measured - target) / target);
        rows.add(new Row(area, figure, "< " + number(target) + " " + unit,
                number(measured) + " " + unit + detail(detail), verdict));
    }

    /** A yes/no target: met when {@code met}. */
    void check(String area, String figure, String target, boolean met, String measured) {
        rows.add(new Row(area, figure, target, measured, met ? "met" : "missed"));
    }

    /** Text for a table cell: one line, no pipes, at most 300 characters. */
    static String code(String text) {
        String line = text.replaceAll("\\s+", " ").replace("|", "\\|");
        return "`" + (line.length() > 300 ? line.substring(0, 300) + "…" : line) + "`";
    }

    /** A figure without a target of its own. */
    void info(String area, String figure, String measured) {
        rows.add(new Row(area, figure, "—", measured, "—"));
    }

    /** A row whose measurement did not run; the verdict says why. */
    void notRun(String area, String figure, String target, String why) {
        rows.add(new Row(area, figure, target, "not measured", why));
    }

    /** Rows so far. */
    int size() {
        return rows.size();
    }

    /** Appends {@code text} to the measured figure of every row from {@code firstRow} on. */
    void annotate(int firstRow, String text) {
        for (int i = firstRow; i < rows.size(); i++) {
            Row r = rows.get(i);
            rows.set(i, new Row(r.area(), r.figure(), r.target(), r.measured() + " [" + text + "]", r.verdict()));
        }
    }

    /** A line printed under the table. */
    void note(String note) {
        notes.add(note);
    }

    String markdown(String machine, Instant started, Instant finished) {
        StringBuilder md = new StringBuilder();
        md.append("| area | figure | target | measured | verdict |\n");
        md.append("| --- | --- | --- | --- | --- |\n");
        for (Row r : rows) {
            md.append("| ").append(r.area()).append(" | ").append(r.figure()).append(" | ").append(r.target())
                    .append(" | ").append(r.measured()).append(" | ").append(r.verdict()).append(" |\n");
        }
        md.append('\n').append("Machine: ").append(machine).append('\n');
        md.append("Run: ").append(started.truncatedTo(ChronoUnit.SECONDS)).append(" – ")
                .append(finished.truncatedTo(ChronoUnit.SECONDS)).append(" (")
                .append(started.until(finished, ChronoUnit.SECONDS)).append(" s)\n");
        for (String note : notes) {
            md.append('\n').append("- ").append(note);
        }
        if (!notes.isEmpty()) {
            md.append('\n');
        }
        return md.toString();
    }

    void write(Path file, String markdown) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, markdown);
    }

    /** A number the way the table shows it: thousands separated, at most three significant decimals. */
    static String number(double value) {
        double abs = Math.abs(value);
        if (abs >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (abs >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String detail(String detail) {
        return detail == null || detail.isEmpty() ? "" : " (" + detail + ")";
    }
}
