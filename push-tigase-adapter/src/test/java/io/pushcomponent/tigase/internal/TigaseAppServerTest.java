package io.pushcomponent.tigase.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.api.Device;
import io.pushcomponent.api.EncryptedPayload;
import io.pushcomponent.api.PushKind;
import io.pushcomponent.api.PushPriority;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.Summary;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Element;

class TigaseAppServerTest {
    private static final Device DEVICE = new Device("apns", "token-0123456789", "voip-token-0123456789",
            "org.tigase.messenger.mobile", false);

    /** The captured Tigase publish, reduced to its notification. */
    private static final String TIGASE_NOTIFICATION = "<notification xmlns='urn:xmpp:push:0'>"
            + "<x xmlns='jabber:x:data'><field var='FORM_TYPE'><value>urn:xmpp:push:0:summary</value></field>"
            + "<field var='message-count'><value>1</value></field>"
            + "<field var='last-message-sender'><value>juliet@example.com/balcony</value></field>"
            + "<field var='last-message-body'><value>Wherefore art thou?</value></field></x>"
            + "<priority xmlns='tigase:push:priority:0'>high</priority></notification>";

    private static List<Object> children(String notification) {
        return Xml.notificationChildren(notification);
    }

    private static PushRequest base(Summary summary) {
        return PushRequest.message(DEVICE, "romeo@example.net", summary);
    }

    static Stream<Arguments> table() {
        Summary withBody = new Summary(1, "juliet@example.com/balcony", "Wherefore art thou?", null, null);
        return Stream.of(
                Arguments.of("Tigase's sample: priority high on a message", TIGASE_NOTIFICATION, withBody,
                        PushKind.MESSAGE, PushPriority.HIGH, null),
                Arguments.of("priority low makes a message normal priority",
                        "<notification xmlns='urn:xmpp:push:0'><priority xmlns='tigase:push:priority:0'>low</priority>"
                                + "</notification>", withBody, PushKind.MESSAGE, PushPriority.NORMAL, null),
                Arguments.of("an unknown priority value is ignored",
                        "<notification xmlns='urn:xmpp:push:0'><priority xmlns='tigase:push:priority:0'>urgent"
                                + "</priority></notification>", withBody, PushKind.MESSAGE, PushPriority.HIGH, null),
                Arguments.of("encrypted message: passed through, visible, high priority",
                        "<notification xmlns='urn:xmpp:push:0'><encrypted xmlns='tigase:push:encrypt:0' iv='aXY='>"
                                + "Y2lwaGVy</encrypted></notification>", Summary.EMPTY, PushKind.MESSAGE,
                        PushPriority.HIGH, new EncryptedPayload("aXY=", "Y2lwaGVy", null)),
                Arguments.of("encrypted voip: a call",
                        "<notification xmlns='urn:xmpp:push:0'><encrypted xmlns='tigase:push:encrypt:0' iv='aXY='"
                                + " type='voip'>Y2lwaGVy</encrypted></notification>", Summary.EMPTY, PushKind.CALL,
                        PushPriority.HIGH, new EncryptedPayload("aXY=", "Y2lwaGVy", "voip")),
                Arguments.of("jingle with media: a call proposal rings",
                        "<notification xmlns='urn:xmpp:push:0'><jingle xmlns='tigase:push:jingle:0' sid='s1'>"
                                + "<media>audio</media></jingle></notification>", Summary.EMPTY, PushKind.CALL,
                        PushPriority.HIGH, null),
                Arguments.of("jingle without media: a retraction ends the call",
                        "<notification xmlns='urn:xmpp:push:0'><jingle xmlns='tigase:push:jingle:0' sid='s1'/>"
                                + "</notification>", Summary.EMPTY, PushKind.CALL_ENDED, PushPriority.NORMAL, null),
                Arguments.of("jingle retraction with encrypted payload stays a retraction",
                        "<notification xmlns='urn:xmpp:push:0'><jingle xmlns='tigase:push:jingle:0' sid='s1'/>"
                                + "<encrypted xmlns='tigase:push:encrypt:0' iv='aXY='>Y2lwaGVy</encrypted>"
                                + "</notification>", Summary.EMPTY, PushKind.CALL_ENDED, PushPriority.NORMAL,
                        new EncryptedPayload("aXY=", "Y2lwaGVy", null)),
                Arguments.of("an empty notification stays a wake-up", "<notification xmlns='urn:xmpp:push:0'/>",
                        Summary.EMPTY, PushKind.BACKGROUND, PushPriority.NORMAL, null),
                Arguments.of("unknown children are ignored",
                        "<notification xmlns='urn:xmpp:push:0'><foo xmlns='urn:example'>bar</foo></notification>",
                        withBody, PushKind.MESSAGE, PushPriority.HIGH, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void mapsTigasesChildrenOntoThePushRequest(String rule, String notification, Summary summary, PushKind kind,
                                               PushPriority priority, EncryptedPayload encrypted) {
        PushRequest request = TigaseAppServer.apply(base(summary), children(notification));

        assertThat(request.kind()).as(rule + ": kind").isEqualTo(kind);
        assertThat(request.priority()).as(rule + ": priority").isEqualTo(priority);
        assertThat(request.encrypted()).as(rule + ": encrypted payload").isEqualTo(encrypted);
        assertThat(request.device()).as("the device is untouched").isEqualTo(DEVICE);
        assertThat(request.summary()).as("the summary is untouched").isEqualTo(summary);
    }

    @Test
    void anEncryptedElementWithoutIvIsABadRequest() {
        assertThatThrownBy(() -> TigaseAppServer.apply(base(Summary.EMPTY), children(
                "<notification xmlns='urn:xmpp:push:0'><encrypted xmlns='tigase:push:encrypt:0'>Y2lwaGVy</encrypted>"
                        + "</notification>")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs an iv attribute");
    }

    @Test
    void tigasesElementsAreReadTypedAndAnUnknownOneNextToThemIsKept() {
        List<Object> children = Xml.notificationChildren("<notification xmlns='urn:xmpp:push:0'>"
                + "<encrypted xmlns='tigase:push:encrypt:0' iv='aXY='>Y2lwaGVy</encrypted>"
                + "<foo xmlns='urn:example' a='1'>bar</foo></notification>");

        assertThat(children.get(0)).as("Tigase's element is read typed").isInstanceOf(Encrypted.class);
        assertThat(children.get(1)).as("an element nobody registered stays as it came").isInstanceOf(Element.class);
        List<Element> written = Xml.wire(children);
        assertThat(written).extracting(Element::getLocalName).containsExactly("encrypted", "foo");
        assertThat(written.get(0).getAttribute("iv")).isEqualTo("aXY=");
        assertThat(written.get(0).getTextContent()).isEqualTo("Y2lwaGVy");
        assertThat(written.get(1).getAttribute("a")).as("the unknown element is written back unchanged").isEqualTo("1");
        assertThat(written.get(1).getTextContent()).isEqualTo("bar");
    }
}
