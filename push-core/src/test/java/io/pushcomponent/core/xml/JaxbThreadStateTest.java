package io.pushcomponent.core.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.StanzaError;
import org.glassfish.jaxb.runtime.v2.runtime.Coordinator;
import org.junit.jupiter.api.Test;

/**
 * Rule: a codec call leaves the thread's JAXB state as it found it, so a pooled thread keeps nothing of a stanza
 * after the call (JAXB's per-thread coordinator slot is empty before and after).
 */
class JaxbThreadStateTest {

    @Test
    void readingAndWritingLeaveNoCoordinatorBehind() throws Exception {
        assertThat(Coordinator._getInstance()).as("no coordinator is active before").isNull();
        StanzaCodec codec = StanzaCodec.create();
        Iq iq = (Iq) codec.read("<iq type='get' id='1' to='push.localhost'>"
                + "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        codec.write(iq.resultReply());
        codec.write(iq.errorReply(StanzaError.of(StanzaError.Condition.ITEM_NOT_FOUND, "no such node")));

        assertThat(Coordinator._getInstance()).as("a codec call leaves the thread's JAXB state as it found it")
                .isNull();
    }

    @Test
    void aRefusedStanzaLeavesNoCoordinatorBehind() {
        StanzaCodec codec = StanzaCodec.create();
        XmlRejectedException refused = catchThrowableOfType(
                () -> codec.read("<iq type='set' id='2'><query xmlns='urn:example'><unclosed></query></iq>"),
                XmlRejectedException.class);

        assertThat(refused).as("the stanza is refused").isNotNull();

        assertThat(Coordinator._getInstance()).as("a failed read leaves the thread's JAXB state as it found it")
                .isNull();
    }
}
