package io.pushcomponent.benchmark.remote;

import java.util.List;

/**
 * When a warm-up is over: the last {@code windows} measurements (rates of consecutive windows) lie within
 * {@code tolerance} of each other (the largest at most {@code 1 + tolerance} times the smallest), so the rate has
 * stopped climbing (or falling) by more than the noise; at most {@code maxWindows} windows are run, settled or not.
 *
 * @param tolerance  the largest relative spread of the last windows, e.g. 0.03 for 3 %
 * @param windows    how many of the last windows must agree (at least 2)
 * @param maxWindows the bound on the warm-up, in windows
 */
record Settling(double tolerance, int windows, int maxWindows) {
    Settling {
        if (tolerance < 0 || windows < 2 || maxWindows < windows) {
            throw new IllegalArgumentException("tolerance >= 0, windows >= 2, maxWindows >= windows");
        }
    }

    /** Whether the rates measured so far, in order, end in {@link #windows} that agree. */
    boolean settled(List<Double> rates) {
        if (rates.size() < windows) {
            return false;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (double r : rates.subList(rates.size() - windows, rates.size())) {
            if (!(r > 0)) {
                return false;
            }
            min = Math.min(min, r);
            max = Math.max(max, r);
        }
        return max <= min * (1 + tolerance);
    }
}
