package io.pushcomponent.core.xml;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.core.xml.stanza.Iq;
import org.junit.jupiter.api.Test;

/** IQ answers that are only addressing are written without JAXB, exactly as JAXB writes them. */
class ResultReplyWriteTest {
    private final StanzaCodec codec = StanzaCodec.create();

    @Test
    void resultToACapturedEjabberdPublishKeepsItsIdVerbatim() throws Exception {
        Iq publish = (Iq) codec.read("<iq to='push.localhost' from='localhost' type='set' "
                + "id='rr-1795543856351-522153942817382452-wyUutsQM7odXva3K6byjya1LyKc=-115216820'>"
                + "<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='n'/></pubsub></iq>");

        assertThat(codec.write(publish.resultReply()))
                .as("attributes in JAXB's order id, from, to, type; the stanza takes the stream's namespace")
                .isEqualTo("<iq id='rr-1795543856351-522153942817382452-wyUutsQM7odXva3K6byjya1LyKc=-115216820'"
                        + " from='push.localhost' to='localhost' type='result'/>");
    }

    @Test
    void attributeValuesAreEscapedAndMissingOnesLeftOut() {
        Iq iq = new Iq().id("a'b&c<d\"").type(Iq.RESULT).to("x@y/z");

        assertThat(codec.write(iq)).as("markup characters in attribute values are escaped")
                .isEqualTo("<iq id='a&apos;b&amp;c&lt;d&quot;' to='x@y/z' type='result'/>");
    }

    @Test
    void anIqWithMoreThanAddressingStillGoesThroughJaxb() {
        Iq iq = new Iq().id("1").type(Iq.RESULT);
        iq.otherAttributes().put(new javax.xml.namespace.QName("x-custom"), "1");

        assertThat(codec.write(iq)).as("other attributes are kept").isEqualTo("<iq id='1' type='result' x-custom='1'/>");
    }
}
