package io.pushcomponent.core.xml.stanza;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.core.xml.Namespaces;
import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.core.xml.stanza.StanzaError.Condition;
import io.pushcomponent.core.xml.stanza.StanzaError.Type;
import javax.xml.namespace.QName;
import org.junit.jupiter.api.Test;

/**
 * Rule: stanza errors are built in one place, as RFC 6120 §8.3 defines them (a type, a defined condition, an
 * optional text, optional application-specific conditions), and answered only where §8.3.1 allows.
 */
class StanzaErrorTest {
    private final StanzaCodec codec = StanzaCodec.create();

    @Test
    void anErrorWithAnApplicationConditionIsWrittenAsRfc6120Example() throws Exception {
        StanzaError error = StanzaError.builder(Condition.BAD_REQUEST).text("unknown command session")
                .applicationCondition(Namespaces.COMMANDS, "bad-sessionid").build();
        Iq request = new Iq().id("c1").type(Iq.SET).from("juliet@capulet.example/balcony").to("push.example.net");

        String xml = codec.write(request.errorReply(error));

        assertThat(xml).as("defined condition, then the application-specific one, then the text (RFC 6120 §8.3.2)")
                .isEqualTo("<iq id='c1' from='push.example.net' to='juliet@capulet.example/balcony' type='error'>"
                        + "<error type='modify'><bad-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
                        + "<bad-sessionid xmlns='http://jabber.org/protocol/commands'/>"
                        + "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>unknown command session</text></error></iq>");
        StanzaError read = codec.read(xml).error().orElseThrow();
        assertThat(read.type()).as("the condition's default type").isEqualTo(Type.MODIFY);
        assertThat(read.condition()).isEqualTo(Condition.BAD_REQUEST);
        assertThat(read.text()).contains("unknown command session");
        assertThat(read.applicationConditions()).containsExactly(new QName(Namespaces.COMMANDS, "bad-sessionid"));
    }

    @Test
    void theTypeCanDifferFromTheConditionsDefault() {
        StanzaError error = StanzaError.of(Type.WAIT, Condition.NOT_ACCEPTABLE, null);

        assertThat(error.type()).isEqualTo(Type.WAIT);
        assertThat(error.text()).as("no text unless given").isEmpty();
    }

    @Test
    void anApplicationConditionIsOutsideTheStanzasNamespace() {
        assertThatThrownBy(() -> StanzaError.builder(Condition.BAD_REQUEST)
                .applicationCondition(Namespaces.STANZAS, "gone"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void requestsMessagesAndPresencesAreAnsweredSwappingAddresses() {
        StanzaError error = StanzaError.of(Condition.POLICY_VIOLATION, "too large");

        Stanza iq = error.replyTo("iq", "i1", "get", "a@example.com/r", "push.example.net").orElseThrow();
        Stanza message = error.replyTo("message", "m1", "chat", "a@example.com/r", "b@example.com").orElseThrow();
        Stanza presence = error.replyTo("presence", null, null, "a@example.com/r", "b@example.com").orElseThrow();

        assertThat(iq).isInstanceOf(Iq.class);
        assertThat(message).isInstanceOf(Message.class);
        assertThat(presence).isInstanceOf(Presence.class);
        for (Stanza reply : new Stanza[] {iq, message, presence}) {
            assertThat(reply.type()).isEqualTo("error");
            assertThat(reply.from()).as("from the addressee").isIn("push.example.net", "b@example.com");
            assertThat(reply.to()).as("to the sender").isEqualTo("a@example.com/r");
            assertThat(reply.error()).contains(error);
        }
        assertThat(iq.id()).isEqualTo("i1");
        assertThat(message.id()).isEqualTo("m1");
    }

    @Test
    void errorsAndIqResponsesAreNeverAnswered() {
        StanzaError error = StanzaError.of(Condition.BAD_REQUEST, null);

        assertThat(error.replyTo("iq", "i1", "result", "a@example.com", "b@example.com")).as("an IQ result").isEmpty();
        assertThat(error.replyTo("iq", "i1", "error", "a@example.com", "b@example.com")).as("an IQ error").isEmpty();
        assertThat(error.replyTo("iq", null, "set", "a@example.com", "b@example.com")).as("an IQ without id")
                .isEmpty();
        assertThat(error.replyTo("message", "m1", "error", "a@example.com", "b@example.com")).as("a message error")
                .isEmpty();
        assertThat(error.replyTo("presence", null, "error", "a@example.com", "b@example.com"))
                .as("a presence error").isEmpty();
        assertThat(error.replyTo("stream", null, null, null, null)).as("not a stanza").isEmpty();
    }
}
