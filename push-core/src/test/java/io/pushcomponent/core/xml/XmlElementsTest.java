package io.pushcomponent.core.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.core.xml.TestElements.Flag;
import io.pushcomponent.core.xml.pubsub.PubSub;
import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.core.xml.stanza.Stanza;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * Rule: the XML model is open. Element classes a module contributes through {@link XmlElements} are read as those
 * types wherever the model keeps extension elements and written back as they came; elements nobody contributed are
 * kept as DOM elements and survive a read and write unchanged; two claims on one element are refused.
 */
class XmlElementsTest {
    private static final String FLAGGED_MESSAGE = "<message id='m1' from='juliet@capulet.example/balcony'"
            + " to='romeo@montague.example'><flag xmlns='urn:example:test:flag' level='3'/></message>";

    @Test
    void aDiscoveredContributionIsBoundTyped() throws Exception {
        StanzaCodec codec = StanzaCodec.create();

        Stanza message = codec.read(FLAGGED_MESSAGE);

        assertThat(message.extension(Flag.class)).as("the contributed element is read as its class, not as DOM")
                .get().extracting(Flag::level).isEqualTo(3);
        assertThat(codec.write(message)).as("and written back as it came").isEqualTo(FLAGGED_MESSAGE);
    }

    @Test
    void aContributedElementIsBoundTypedInsideANotificationToo() throws Exception {
        StanzaCodec codec = StanzaCodec.create();
        String publish = "<iq type='set' id='p1' from='localhost' to='push.localhost'>"
                + "<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='n'><item>"
                + "<notification xmlns='urn:xmpp:push:0'><flag xmlns='urn:example:test:flag' level='1'/></notification>"
                + "</item></publish></pubsub></iq>";

        Notification notification = codec.read(publish).extension(PubSub.class).orElseThrow().publish().orElseThrow()
                .items().get(0).payload(Notification.class).orElseThrow();

        assertThat(notification.other()).as("a notification's extension children are bound like a stanza's")
                .singleElement().isInstanceOf(Flag.class);
    }

    @Test
    void anExplicitContributionIsBoundOnlyByItsCodec() throws Exception {
        XmlElements flags = () -> List.of(Flag.class);

        Stanza typed = StanzaCodec.create(XmlLimits.DEFAULT, List.of(flags)).read(FLAGGED_MESSAGE);
        Stanza untyped = StanzaCodec.create(XmlLimits.DEFAULT, List.of()).read(FLAGGED_MESSAGE);

        assertThat(typed.extension(Flag.class)).as("bound by the codec it was handed to").isPresent();
        assertThat(untyped.extensions()).as("a codec without the contribution keeps the element as DOM")
                .singleElement().isInstanceOf(Element.class);
    }

    @Test
    void anUnknownElementSurvivesAReadAndWriteUnchanged() throws Exception {
        StanzaCodec codec = StanzaCodec.create();
        String xml = "<message id='m2' from='juliet@capulet.example/balcony' to='romeo@montague.example'>"
                + "<x-unknown xmlns='urn:example:unknown' a='1'><child b='2'>text &amp; more</child>"
                + "<other xmlns='urn:example:other'/></x-unknown></message>";

        Stanza message = codec.read(xml);

        assertThat(message.extensions()).as("an element nobody contributed is kept as DOM")
                .singleElement().isInstanceOfSatisfying(Element.class,
                        e -> assertThat(e.getNamespaceURI()).isEqualTo("urn:example:unknown"));
        assertThat(codec.write(message)).as("and written back unchanged").isEqualTo(xml);
        assertThat(codec.write(codec.read(codec.write(message)))).as("any number of times").isEqualTo(xml);
    }

    @Test
    void twoClaimsOnOneElementAreRefusedNamingBoth() {
        XmlElements impostor = () -> List.of(FakeNotification.class);

        assertThatThrownBy(() -> StanzaCodec.create(XmlLimits.DEFAULT, List.of(impostor)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{urn:xmpp:push:0}notification")
                .hasMessageContaining(Notification.class.getName())
                .hasMessageContaining(FakeNotification.class.getName());
    }

    @Test
    void aClassThatNamesNoElementIsRefused() {
        XmlElements wrong = () -> List.of(NotAnElement.class);

        assertThatThrownBy(() -> StanzaCodec.create(XmlLimits.DEFAULT, List.of(wrong)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no @XmlRootElement");
    }

    @XmlRootElement(name = "notification", namespace = Namespaces.PUSH)
    static final class FakeNotification {
    }

    static final class NotAnElement {
    }
}
