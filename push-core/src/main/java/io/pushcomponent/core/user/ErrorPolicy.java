package io.pushcomponent.core.user;

import java.util.Locale;

/**
 * What an app server's answer to a publish does to the registration (XEP-0357 §7 and §8): a {@code cancel},
 * {@code auth} or {@code modify} error removes it at once; a {@code wait} error or no answer counts towards a limit
 * of consecutive errors; a result resets the count. Pure.
 */
final class ErrorPolicy {
    private ErrorPolicy() {
    }

    /** How a publish ended. */
    enum Outcome {
        /** {@code type='result'}. */
        RESULT,
        /** No answer within the publish timeout. */
        TIMEOUT,
        /** An error of type {@code wait}: try again later (overload, provider down). */
        WAIT,
        /** An error of type {@code cancel}, e.g. {@code item-not-found}: the node is gone. */
        CANCEL,
        /** An error of type {@code auth}, e.g. {@code forbidden}: we may not publish there. */
        AUTH,
        /** An error of type {@code modify}, e.g. {@code bad-request}. */
        MODIFY;

        /**
         * The outcome of an error reply of the given RFC 6120 error type; {@code continue} (a warning), an absent
         * or an unknown type count as {@link #WAIT}, which never removes a registration by itself.
         */
        static Outcome ofErrorType(String type) {
            if (type == null) {
                return WAIT;
            }
            return switch (type.toLowerCase(Locale.ROOT)) {
                case "cancel" -> CANCEL;
                case "auth" -> AUTH;
                case "modify" -> MODIFY;
                default -> WAIT;
            };
        }
    }

    /** What to do to the registration. */
    enum Action {
        /** Success: the consecutive error count goes back to zero. */
        RESET_ERRORS,
        /** A transient failure: count it; the registration goes when the count reaches the limit. */
        COUNT_ERROR,
        /** A permanent failure: remove the registration now. */
        REMOVE
    }

    static Action actionFor(Outcome outcome) {
        return switch (outcome) {
            case RESULT -> Action.RESET_ERRORS;
            case TIMEOUT, WAIT -> Action.COUNT_ERROR;
            case CANCEL, AUTH, MODIFY -> Action.REMOVE;
        };
    }

    /** {@code true} when {@code consecutiveErrors} transient errors in a row are enough to give up. */
    static boolean exhausted(int consecutiveErrors, int maxConsecutiveErrors) {
        return consecutiveErrors >= maxConsecutiveErrors;
    }
}
