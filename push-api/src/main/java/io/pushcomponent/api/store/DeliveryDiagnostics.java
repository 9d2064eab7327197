package io.pushcomponent.api.store;

import java.time.Instant;
import java.util.Objects;

/**
 * What became of the pushes to one registration: how many were delivered and how many failed, when the last one
 * was delivered, and when and why the last one failed. The app server keeps one per registration
 * ({@link DeviceRegistrationStore#diagnostics}) so that the device's owner and an operator can see where pushes
 * stopped.
 *
 * <p>The same value serves as a change to add ({@link DeviceRegistrationStore#addDiagnostics}): counts to add and
 * the newest success and failure of the interval. {@link #plus} combines two such values.
 *
 * @param successes            pushes the provider accepted
 * @param failures             pushes answered with an error (provider rejection, provider unreachable, circuit
 *                             open, provider not configured)
 * @param lastSuccess          when the last push was accepted, or {@code null}
 * @param lastFailure          when the last push failed, or {@code null}
 * @param lastFailureReason    why it failed: the provider's {@link io.pushcomponent.api.RejectionReason} name, or
 *                             what failed on the way there ({@code timeout}, {@code unreachable},
 *                             {@code circuit-open}, {@code not-configured}); cut at {@value #MAX_TEXT} characters;
 *                             {@code null} without a failure; never a token
 * @param lastFailureCondition the XMPP error the publisher was answered with, {@code type/condition} (e.g.
 *                             {@code wait/resource-constraint}); cut at {@value #MAX_TEXT} characters; {@code null}
 *                             without a failure
 */
public record DeliveryDiagnostics(long successes, long failures, Instant lastSuccess, Instant lastFailure,
                                  String lastFailureReason, String lastFailureCondition) {
    /** The longest reason and condition kept. */
    public static final int MAX_TEXT = 64;

    /** No push yet. */
    public static final DeliveryDiagnostics NONE = new DeliveryDiagnostics(0, 0, null, null, null, null);

    /**
     * Checks and cuts the values.
     *
     * @throws IllegalArgumentException when a count is negative
     */
    public DeliveryDiagnostics {
        if (successes < 0 || failures < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
        lastFailureReason = cut(lastFailureReason);
        lastFailureCondition = cut(lastFailureCondition);
    }

    /** One push delivered at {@code at}. */
    public static DeliveryDiagnostics success(Instant at) {
        return new DeliveryDiagnostics(1, 0, Objects.requireNonNull(at, "at"), null, null, null);
    }

    /** One push failed at {@code at}, for {@code reason}, answered with {@code condition}. */
    public static DeliveryDiagnostics failure(Instant at, String reason, String condition) {
        return new DeliveryDiagnostics(0, 1, null, Objects.requireNonNull(at, "at"), reason, condition);
    }

    /**
     * This and {@code other} together: the counts added, the later last success, and the later last failure with
     * its reason and condition (this one's when both are at the same time).
     */
    public DeliveryDiagnostics plus(DeliveryDiagnostics other) {
        boolean otherFailedLater = other.lastFailure != null
                && (lastFailure == null || other.lastFailure.isAfter(lastFailure));
        return new DeliveryDiagnostics(successes + other.successes, failures + other.failures,
                later(lastSuccess, other.lastSuccess),
                otherFailedLater ? other.lastFailure : lastFailure,
                otherFailedLater ? other.lastFailureReason : lastFailureReason,
                otherFailedLater ? other.lastFailureCondition : lastFailureCondition);
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || !b.isAfter(a) ? a : b;
    }

    private static String cut(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
    }
}
