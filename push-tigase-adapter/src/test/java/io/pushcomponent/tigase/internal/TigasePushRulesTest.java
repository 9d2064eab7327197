package io.pushcomponent.tigase.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.api.PushKind;
import io.pushcomponent.api.PushPriority;
import io.pushcomponent.tigase.RosterView;
import io.pushcomponent.tigase.internal.PushVerdict.SkipReason;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TigasePushRulesTest {
    private static final String ACCOUNT = "romeo@example.net";
    private static final Set<String> ROSTER = Set.of("juliet@example.com");
    private static final RosterView ROSTER_VIEW = (account, contact) -> account.equals(ACCOUNT)
            && ROSTER.contains(contact);

    private static final String MUTED = "<muted xmlns='tigase:push:filter:muted:0'>"
            + "<item jid='Tybalt@Example.com'/><item jid='verona@muc.example.com'/></muted>";
    private static final String ROOMS = "<groupchat xmlns='tigase:push:filter:groupchat:0'>"
            + "<room jid='always@muc.example.com' allow='always'/>"
            + "<room jid='mentioned@muc.example.com' allow='mentioned' nick='Romeo'/>"
            + "<room jid='nonick@muc.example.com' allow='mentioned'/>"
            + "<room jid='never@muc.example.com' allow='never'/></groupchat>";
    private static final String IGNORE_UNKNOWN = "<ignore-unknown xmlns='tigase:push:filter:ignore-unknown:0'/>";
    private static final String JINGLE = "<jingle xmlns='tigase:push:jingle:0'/>";
    private static final String PROPOSE = "<propose xmlns='urn:xmpp:jingle-message:0' id='ca3cf894'>"
            + "<description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'/>"
            + "<description xmlns='urn:xmpp:jingle:apps:rtp:1' media='video'/></propose>";
    private static final String RETRACT = "<retract xmlns='urn:xmpp:jingle-message:0' id='ca3cf894'/>";

    private static PushVerdict push(PushKind kind, PushPriority priority) {
        return new PushVerdict.Push(kind, priority, null);
    }

    private static PushVerdict skip(SkipReason reason) {
        return new PushVerdict.Skip(reason);
    }

    private static String chat(String from, String body) {
        return "<message xmlns='jabber:client' type='chat' from='" + from + "' to='" + ACCOUNT + "'><body>" + body
                + "</body></message>";
    }

    private static String groupchat(String from, String body) {
        return "<message xmlns='jabber:client' type='groupchat' from='" + from + "' to='" + ACCOUNT + "/phone'><body>"
                + body + "</body></message>";
    }

    static Stream<Arguments> table() {
        PushVerdict message = push(PushKind.MESSAGE, PushPriority.HIGH);
        return Stream.of(
                // rule, enable children, message, expected
                Arguments.of("no extensions: a chat message pushes with high priority", "",
                        chat("juliet@example.com/balcony", "hi"), message),
                Arguments.of("no extensions: a message without body pushes with normal priority", "",
                        "<message xmlns='jabber:client' from='juliet@example.com/balcony'>"
                                + "<encrypted xmlns='eu.siacs.conversations.axolotl'/></message>",
                        push(PushKind.MESSAGE, PushPriority.NORMAL)),
                Arguments.of("muted: a muted contact does not push (bare JID, any case)", MUTED,
                        chat("tybalt@example.com/sword", "draw"), skip(SkipReason.MUTED)),
                Arguments.of("muted: a muted room does not push", MUTED,
                        groupchat("verona@muc.example.com/nurse", "Romeo!"), skip(SkipReason.MUTED)),
                Arguments.of("muted: others still push", MUTED, chat("juliet@example.com/balcony", "hi"), message),
                Arguments.of("groupchat off: every room pushes", "",
                        groupchat("any@muc.example.com/nurse", "hello"), message),
                Arguments.of("groupchat always: pushes", ROOMS,
                        groupchat("always@muc.example.com/nurse", "hello all"), message),
                Arguments.of("groupchat mentioned: pushes when the body has the nick (any case)", ROOMS,
                        groupchat("mentioned@muc.example.com/nurse", "where art thou, romeo?"), message),
                Arguments.of("groupchat mentioned: no push without the nick", ROOMS,
                        groupchat("mentioned@muc.example.com/nurse", "where art thou?"),
                        skip(SkipReason.NOT_MENTIONED)),
                Arguments.of("groupchat mentioned without nick: never mentioned", ROOMS,
                        groupchat("nonick@muc.example.com/nurse", "Romeo"), skip(SkipReason.NOT_MENTIONED)),
                Arguments.of("groupchat never: no push", ROOMS,
                        groupchat("never@muc.example.com/nurse", "Romeo"), skip(SkipReason.ROOM_NOT_ALLOWED)),
                Arguments.of("groupchat on: an unlisted room does not push", ROOMS,
                        groupchat("other@muc.example.com/nurse", "Romeo"), skip(SkipReason.ROOM_NOT_ALLOWED)),
                Arguments.of("groupchat on without rooms: no room pushes",
                        "<groupchat xmlns='tigase:push:filter:groupchat:0'/>",
                        groupchat("always@muc.example.com/nurse", "hi"), skip(SkipReason.ROOM_NOT_ALLOWED)),
                Arguments.of("groupchat filter leaves chat messages alone", ROOMS,
                        chat("stranger@example.org/x", "hi"), message),
                Arguments.of("ignore-unknown: a contact pushes", IGNORE_UNKNOWN,
                        chat("Juliet@example.com/balcony", "hi"), message),
                Arguments.of("ignore-unknown: a stranger does not push", IGNORE_UNKNOWN,
                        chat("stranger@example.org/x", "buy now"), skip(SkipReason.UNKNOWN_SENDER)),
                Arguments.of("ignore-unknown: leaves group chat alone (rooms are not roster items)", IGNORE_UNKNOWN,
                        groupchat("any@muc.example.com/nurse", "hi"), message),
                Arguments.of("jingle: a proposal is a high-priority call push", JINGLE,
                        "<message xmlns='jabber:client' from='juliet@example.com/balcony'>" + PROPOSE + "</message>",
                        new PushVerdict.Push(PushKind.CALL, PushPriority.HIGH, new JingleAction(
                                JingleAction.Kind.PROPOSE, "ca3cf894", List.of("audio", "video")))),
                Arguments.of("jingle: a retraction ends the call", JINGLE,
                        "<message xmlns='jabber:client' from='juliet@example.com/balcony'>" + RETRACT + "</message>",
                        new PushVerdict.Push(PushKind.CALL_ENDED, PushPriority.NORMAL, new JingleAction(
                                JingleAction.Kind.RETRACT, "ca3cf894", List.of()))),
                Arguments.of("jingle off: a proposal does not push", "",
                        "<message xmlns='jabber:client' from='juliet@example.com/balcony'>" + PROPOSE + "</message>",
                        skip(SkipReason.CALLS_OFF)),
                Arguments.of("jingle: the account's own proposal (another device) does not push", JINGLE,
                        "<message xmlns='jabber:client' from='romeo@example.net/laptop'>" + PROPOSE + "</message>",
                        skip(SkipReason.OWN_CALL)),
                Arguments.of("jingle: a muted caller does not ring", JINGLE + MUTED,
                        "<message xmlns='jabber:client' from='tybalt@example.com/x'>" + PROPOSE + "</message>",
                        skip(SkipReason.MUTED)),
                Arguments.of("jingle: an unknown caller does not ring with ignore-unknown", JINGLE + IGNORE_UNKNOWN,
                        "<message xmlns='jabber:client' from='stranger@example.org/x'>" + PROPOSE + "</message>",
                        skip(SkipReason.UNKNOWN_SENDER)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(String rule, String enableChildren, String message, PushVerdict expected) {
        TigasePushOptions options = Xml.options("<enable xmlns='urn:xmpp:push:0' jid='push.example.net' node='n1'>"
                + enableChildren + "</enable>");

        assertThat(Rules.decide(ACCOUNT, Xml.message(message), options, ROSTER_VIEW))
                .as(rule).isEqualTo(expected);
    }

    @Test
    void parsesEveryExtensionOfSiskinsEnable() {
        TigasePushOptions options = Xml.options(
                "<enable xmlns='urn:xmpp:push:0' jid='push.example.net' node='n1'>"
                        + "<x xmlns='jabber:x:data' type='submit'/>"
                        + "<encrypt xmlns='tigase:push:encrypt:0' alg='aes-128-gcm' max-size='3072'>"
                        + "MDEyMzQ1Njc4OWFiY2RlZg==</encrypt>"
                        + "<priority xmlns='tigase:push:priority:0'/>" + JINGLE + MUTED + ROOMS + IGNORE_UNKNOWN
                        + "<unknown xmlns='urn:example:other'/></enable>");

        assertThat(options.encryption().maxSize()).isEqualTo(3072);
        assertThat(options.priority()).as("<priority/> turns priority hints on").isTrue();
        assertThat(options.jingle()).as("<jingle/> turns call pushes on").isTrue();
        assertThat(options.ignoreUnknown()).isTrue();
        assertThat(options.muted()).as("muted JIDs are kept bare and lower-case")
                .containsExactlyInAnyOrder("tybalt@example.com", "verona@muc.example.com");
        assertThat(options.groupchat()).containsOnlyKeys("always@muc.example.com", "mentioned@muc.example.com",
                "nonick@muc.example.com", "never@muc.example.com");
        assertThat(options.groupchat().get("mentioned@muc.example.com"))
                .isEqualTo(new GroupchatRoom("mentioned@muc.example.com", GroupchatRoom.Allow.MENTIONED, "Romeo"));
        assertThat(options).as("it asks for something").isNotEqualTo(Xml.NONE);
        assertThat(Xml.options("<enable xmlns='urn:xmpp:push:0' jid='p' node='n'/>"))
                .as("a plain XEP-0357 enable asks for nothing").isEqualTo(Xml.NONE);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("<groupchat xmlns='tigase:push:filter:groupchat:0'><room jid='r@muc' allow='sometimes'/>"
                        + "</groupchat>", "allow='sometimes' is not one of always, mentioned, never"),
                Arguments.of("<groupchat xmlns='tigase:push:filter:groupchat:0'><room jid='r@muc'/></groupchat>",
                        "needs allow="),
                Arguments.of("<groupchat xmlns='tigase:push:filter:groupchat:0'><room allow='always'/></groupchat>",
                        "needs a jid"),
                Arguments.of("<muted xmlns='tigase:push:filter:muted:0'><item/></muted>", "muted <item/> needs a jid"),
                Arguments.of("<encrypt xmlns='tigase:push:encrypt:0' alg='rot13'>a2V5</encrypt>",
                        "only aes-128-gcm is supported"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("malformed")
    void malformedExtensionsAreRefusedWithWhatIsWrong(String child, String expected) {
        assertThatThrownBy(() -> Xml.options("<enable xmlns='urn:xmpp:push:0' jid='p' node='n'>" + child
                + "</enable>"))
                .as("a malformed extension is a bad request naming the problem")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(expected);
    }
}
