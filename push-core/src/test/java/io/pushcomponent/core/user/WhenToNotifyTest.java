package io.pushcomponent.core.user;

import static io.pushcomponent.core.user.AccountSession.Presence.AWAY;
import static io.pushcomponent.core.user.AccountSession.Presence.CHAT;
import static io.pushcomponent.core.user.AccountSession.Presence.DND;
import static io.pushcomponent.core.user.AccountSession.Presence.NONE;
import static io.pushcomponent.core.user.AccountSession.Presence.ONLINE;
import static io.pushcomponent.core.user.AccountSession.Presence.XA;
import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.store.AccountPushRegistration;
import io.pushcomponent.core.user.WhenToNotify.Decision;
import io.pushcomponent.core.user.WhenToNotify.MessageFacts;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WhenToNotifyTest {
    private static final MessageFacts CHAT_BODY = new MessageFacts("chat", true, false, false, false);
    private static final MessageFacts CHAT_STATE = new MessageFacts("chat", false, false, false, false);
    private static final MessageFacts OWN = new MessageFacts("chat", true, true, false, false);
    private static final MessageFacts REPLAY = new MessageFacts("chat", true, false, true, false);
    private static final MessageFacts ERROR = new MessageFacts("error", true, false, false, false);
    private static final MessageFacts GROUPCHAT = new MessageFacts("groupchat", true, false, false, false);
    private static final MessageFacts CALL = new MessageFacts("chat", false, false, false, true);

    static AccountSession s(String resource, AccountSession.Presence presence, int priority) {
        return new AccountSession(resource, presence, priority);
    }

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("offline account, message with a body", CHAT_BODY, List.of(), false, Decision.OFFLINE),
                Arguments.of("only a session without initial presence counts as offline", CHAT_BODY,
                        List.of(s("phone", NONE, 0)), false, Decision.OFFLINE),
                Arguments.of("only negative-priority sessions count as offline (RFC 6121 8.5.2.1.1)", CHAT_BODY,
                        List.of(s("bot", ONLINE, -1)), false, Decision.OFFLINE),
                Arguments.of("an online session shows the message", CHAT_BODY, List.of(s("pc", ONLINE, 0)), true,
                        Decision.ONLINE),
                Arguments.of("show=chat is online", CHAT_BODY, List.of(s("pc", CHAT, 5)), true, Decision.ONLINE),
                Arguments.of("all away without away mode: no push", CHAT_BODY,
                        List.of(s("pc", AWAY, 0), s("tab", XA, 1)), false, Decision.ONLINE),
                Arguments.of("all away/xa/dnd with away mode: push", CHAT_BODY,
                        List.of(s("pc", AWAY, 0), s("tab", XA, 1), s("desk", DND, 2)), true, Decision.ALL_AWAY),
                Arguments.of("mixed available and away account: no push", CHAT_BODY,
                        List.of(s("pc", AWAY, 0), s("phone", ONLINE, 0)), true, Decision.ONLINE),
                Arguments.of("an online negative-priority session does not stop the away push", CHAT_BODY,
                        List.of(s("pc", AWAY, 0), s("bot", ONLINE, -5)), true, Decision.ALL_AWAY),
                Arguments.of("groupchat is not pushed to away accounts", GROUPCHAT, List.of(s("pc", AWAY, 0)), true,
                        Decision.ONLINE),
                Arguments.of("groupchat to an offline account is pushed", GROUPCHAT, List.of(), true,
                        Decision.OFFLINE),
                Arguments.of("a chat state (no body) is not pushed", CHAT_STATE, List.of(), true,
                        Decision.NO_CONTENT),
                Arguments.of("a message from the account's own resource is not pushed", OWN, List.of(), true,
                        Decision.OWN_RESOURCE),
                Arguments.of("an offline message being replayed is not pushed again", REPLAY, List.of(), true,
                        Decision.OFFLINE_REPLAY),
                Arguments.of("an error message is not pushed", ERROR, List.of(), true, Decision.ERROR_MESSAGE),
                Arguments.of("an extension's trigger (a call) needs no body", CALL, List.of(), true,
                        Decision.OFFLINE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(String rule, MessageFacts message, List<AccountSession> sessions, boolean awayMode,
                 Decision expected) {
        assertThat(WhenToNotify.decide(message, sessions, awayMode)).as(rule).isEqualTo(expected);
    }

    static Stream<Arguments> audience() {
        AccountPushRegistration plain = AccountPushRegistration.of("juliet@capulet.lit", "push.example", "n1", Instant.EPOCH);
        AccountPushRegistration away = new AccountPushRegistration("juliet@capulet.lit", "push.example", "n2", Map.of(), true,
                Map.of(), 0, Instant.EPOCH);
        return Stream.of(
                Arguments.of("offline pushes reach every registration", Decision.OFFLINE, plain, true),
                Arguments.of("offline pushes reach away registrations too", Decision.OFFLINE, away, true),
                Arguments.of("away pushes need away='true'", Decision.ALL_AWAY, plain, false),
                Arguments.of("away pushes reach away='true' registrations", Decision.ALL_AWAY, away, true),
                Arguments.of("no push reaches anyone when online", Decision.ONLINE, away, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("audience")
    void decidesWhichRegistrationsArePushed(String rule, Decision decision, AccountPushRegistration registration,
                                            boolean pushed) {
        assertThat(decision.notifies() && decision.appliesTo(registration)).as(rule).isEqualTo(pushed);
    }
}
