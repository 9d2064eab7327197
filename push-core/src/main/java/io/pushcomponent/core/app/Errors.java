package io.pushcomponent.core.app;

import io.pushcomponent.api.DeliveryResult;
import io.pushcomponent.api.RejectionReason;
import io.pushcomponent.core.xml.Namespaces;
import io.pushcomponent.core.xml.stanza.StanzaError;
import io.pushcomponent.core.xml.stanza.StanzaError.Condition;
import io.pushcomponent.core.xml.stanza.StanzaError.Type;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Every stanza error the app server sends, in one place, because the user's server acts on them: on a
 * {@code cancel} (and, after some, on any non-{@code wait}) error Prosody and ejabberd disable push for the device.
 * So only a dead device gets {@code cancel/item-not-found}; trouble on our side or the provider's is always a
 * {@code wait} error.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html#publishing">XEP-0357 §7 Publishing Notifications</a>
 */
final class Errors {
    private Errors() {
    }

    /** No registration has this node: the user's server should disable it. */
    static StanzaError unknownNode() {
        return StanzaError.of(Type.CANCEL, Condition.ITEM_NOT_FOUND, "no such push node");
    }

    /** The provider said the device token is dead; the registration was removed. */
    static StanzaError deviceGone(RejectionReason reason) {
        return StanzaError.of(Type.CANCEL, Condition.ITEM_NOT_FOUND,
                "the push service no longer accepts this device (" + reason + "); it was unregistered");
    }

    /**
     * The provider refused the device's second (VoIP) token; the registration was kept without it. A {@code wait}
     * error: the device and its ordinary token are fine.
     */
    static StanzaError secondTokenRefused() {
        return StanzaError.of(Type.WAIT, Condition.INTERNAL_SERVER_ERROR,
                "the push service refused the device's second token; later pushes use its ordinary token");
    }

    /** The publish-options secret is wrong, or required and missing. */
    static StanzaError wrongSecret(boolean missing) {
        return StanzaError.of(Type.AUTH, Condition.FORBIDDEN,
                missing ? "this push service requires the registration's secret in publish-options"
                        : "the secret in publish-options does not match the registration's");
    }

    /** The publishing server's domain is not on the allow-list. */
    static StanzaError domainNotAllowed(String domain) {
        return StanzaError.of(Type.AUTH, Condition.FORBIDDEN,
                "servers of domain " + domain + " may not publish to this push service");
    }

    /**
     * A XEP-0060 use case this push service does not offer: {@code cancel/feature-not-implemented} with
     * {@code <unsupported feature='...'/>}, as XEP-0060 prescribes for each one a service leaves out.
     */
    static StanzaError unsupportedPubSubFeature(String feature) {
        return StanzaError.builder(Condition.FEATURE_NOT_IMPLEMENTED).type(Type.CANCEL)
                .applicationCondition(Namespaces.PUBSUB_ERRORS, "unsupported", Map.of("feature", feature))
                .text("this push service only takes publishes (XEP-0357); it does not offer the publish-subscribe "
                        + "feature '" + feature + "'").build();
    }

    /** The request is malformed; {@code text} says how. */
    static StanzaError badRequest(String text) {
        return StanzaError.of(Type.MODIFY, Condition.BAD_REQUEST, text);
    }

    /** No command, or nothing of that name, here. */
    static StanzaError itemNotFound(String text) {
        return StanzaError.of(Type.CANCEL, Condition.ITEM_NOT_FOUND, text);
    }

    /** A request this service does not serve. */
    static StanzaError serviceUnavailable(String text) {
        return StanzaError.of(Type.CANCEL, Condition.SERVICE_UNAVAILABLE, text);
    }

    /** XEP-0050 §4.6: the session id is unknown (or belongs to someone else). */
    static StanzaError badSessionId() {
        return StanzaError.builder(Condition.BAD_REQUEST).type(Type.MODIFY).text("unknown command session")
                .applicationCondition(Namespaces.COMMANDS, "bad-sessionid").build();
    }

    /** XEP-0050 §4.6: the session timed out. */
    static StanzaError sessionExpired() {
        return StanzaError.builder(Condition.NOT_ALLOWED).type(Type.CANCEL)
                .text("the command session has expired; start again")
                .applicationCondition(Namespaces.COMMANDS, "session-expired").build();
    }

    /** XEP-0050 §4.6: an action that is not one of XEP-0050's. */
    static StanzaError malformedAction(String action) {
        return StanzaError.builder(Condition.BAD_REQUEST).type(Type.MODIFY)
                .text("unknown command action '" + action + "'")
                .applicationCondition(Namespaces.COMMANDS, "malformed-action").build();
    }

    /** XEP-0050 §4.6: an action the command does not offer at this stage. */
    static StanzaError badAction(String action) {
        return StanzaError.builder(Condition.BAD_REQUEST).type(Type.MODIFY)
                .text("action '" + action + "' is not offered here")
                .applicationCondition(Namespaces.COMMANDS, "bad-action").build();
    }

    /**
     * The account has used up an allowance of its own (requests per minute, open sessions): RFC 6120 §8.3.3.12
     * {@code policy-violation} of type {@code wait}, since the same request succeeds later; {@code text} says
     * which limit and when.
     */
    static StanzaError accountLimit(String text) {
        return StanzaError.of(Type.WAIT, Condition.POLICY_VIOLATION, text);
    }

    /**
     * The request is understood but a value does not meet this service's criteria (a token that cannot be the
     * provider's): RFC 6120 §8.3.3.11 {@code modify/not-acceptable}.
     */
    static StanzaError notAcceptable(String text) {
        return StanzaError.of(Type.MODIFY, Condition.NOT_ACCEPTABLE, text);
    }

    /** Too many commands under way; try later. */
    static StanzaError tooManySessions() {
        return StanzaError.of(Type.WAIT, Condition.RESOURCE_CONSTRAINT, "too many command sessions; try later");
    }

    /** The registration store failed; nothing changed. */
    static StanzaError storeFailure() {
        return StanzaError.of(Type.WAIT, Condition.INTERNAL_SERVER_ERROR,
                "the registration store is unavailable; try later");
    }

    /** A registration names a provider this instance does not have configured. */
    static StanzaError providerNotConfigured(String providerId) {
        return StanzaError.of(Type.WAIT, Condition.INTERNAL_SERVER_ERROR,
                "push provider " + providerId + " is not configured here");
    }

    /** An administrator's command asked for by an account that is not one of the configured administrators. */
    static StanzaError notAdmin() {
        return StanzaError.of(Type.AUTH, Condition.FORBIDDEN, "only the push service's administrators may run this "
                + "command");
    }

    /** Anything unexpected on our side. */
    static StanzaError internal() {
        return StanzaError.of(Type.WAIT, Condition.INTERNAL_SERVER_ERROR, "internal error; try later");
    }

    /**
     * The answer to a provider's rejection that does not invalidate the device: always a {@code wait} error, so
     * that the user's server keeps the device registered.
     */
    static StanzaError rejected(DeliveryResult.Rejected rejected) {
        RejectionReason reason = rejected.reason();
        return switch (reason) {
            case QUOTA_EXCEEDED, UNAVAILABLE -> StanzaError.of(Type.WAIT, Condition.RESOURCE_CONSTRAINT,
                    "the push service is busy (" + reason + "); try later");
            case PAYLOAD_TOO_LARGE -> StanzaError.of(Type.WAIT, Condition.NOT_ACCEPTABLE,
                    "the push service refused this notification as too large");
            default -> StanzaError.of(Type.WAIT, Condition.INTERNAL_SERVER_ERROR,
                    "the push service refused this notification (" + reason + "); try later");
        };
    }

    /** The answer to a provider that failed or did not answer in time: a {@code wait} error. */
    static StanzaError failed(Throwable failure) {
        return failure instanceof TimeoutException
                ? StanzaError.of(Type.WAIT, Condition.INTERNAL_SERVER_ERROR,
                        "the push service did not answer in time; try later")
                : StanzaError.of(Type.WAIT, Condition.INTERNAL_SERVER_ERROR,
                        "the push service could not be reached; try later");
    }
}
