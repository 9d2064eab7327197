package io.pushcomponent.tigase.internal;

import io.pushcomponent.api.PushKind;
import io.pushcomponent.api.PushPriority;
import java.util.Objects;

/**
 * What Tigase's extensions and filters make of a message for one push registration.
 *
 * @see TigasePushRules#decide
 */
sealed interface PushVerdict {

    /** Why no push is sent. */
    enum SkipReason {
        /** The sender is in the {@code muted} list. */
        MUTED,
        /** The group chat filter is on and does not list the room, or lists it with {@code allow='never'}. */
        ROOM_NOT_ALLOWED,
        /** The room is listed with {@code allow='mentioned'} and the body does not mention the nickname. */
        NOT_MENTIONED,
        /** {@code ignore-unknown} is on and the sender is not a contact. */
        UNKNOWN_SENDER,
        /** A call action, but the client did not enable {@code tigase:push:jingle:0}. */
        CALLS_OFF,
        /** A call action from the account itself (another of its devices). */
        OWN_CALL
    }

    /** {@code true} when a push is sent. */
    boolean isPush();

    /**
     * Push it.
     *
     * @param kind     {@link PushKind#MESSAGE}, {@link PushKind#CALL} for a proposal or {@link PushKind#CALL_ENDED}
     *                 for a retraction
     * @param priority {@link PushPriority#HIGH} with a body or a call proposal, {@link PushPriority#NORMAL} otherwise
     * @param jingle   the call action; {@code null} for a message
     */
    record Push(PushKind kind, PushPriority priority, JingleAction jingle) implements PushVerdict {
        public Push {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(priority, "priority");
        }

        @Override
        public boolean isPush() {
            return true;
        }
    }

    /** Do not push it, for {@code reason}. */
    record Skip(SkipReason reason) implements PushVerdict {
        public Skip {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public boolean isPush() {
            return false;
        }
    }
}
