package io.pushcomponent.core.xml.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.core.xml.stanza.Iq;
import org.glassfish.jaxb.runtime.v2.runtime.Coordinator;
import org.junit.jupiter.api.Test;

class CoordinatorHoldTest {

    @Test
    void holdIsActiveOnlyWhileEnteredAndNestedUseIsCounted() {
        assertThat(Coordinator._getInstance()).as("no coordinator is active before").isNull();

        CoordinatorHold outer = CoordinatorHold.enter();
        CoordinatorHold inner = CoordinatorHold.enter();
        assertThat(inner).as("one hold per thread").isSameAs(outer);
        inner.exit();
        assertThat(Coordinator._getInstance()).as("still held after a nested exit").isSameAs(outer);
        outer.exit();

        assertThat(Coordinator._getInstance()).as("the thread's slot is left as it was found").isNull();
    }

    @Test
    void readingAndWritingLeaveNoCoordinatorBehind() throws Exception {
        StanzaCodec codec = StanzaCodec.create();
        Iq iq = (Iq) codec.read("<iq type='get' id='1' to='push.localhost'>"
                + "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        codec.write(iq.resultReply());

        assertThat(Coordinator._getInstance()).as("a codec call leaves the thread's JAXB state as it found it")
                .isNull();
    }
}
