package io.pushcomponent.core.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.stanza.StanzaError;
import io.pushcomponent.testkit.CapturedStanza;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.stream.XMLStreamReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 6120 §11.1 and the caps: hostile input is refused with a clear reason, never reads a file, never expands
 * entities, and the next stanza is still read.
 */
class HostileXmlTest {
    private static final String SECRET_FILE_CONTENT = "root-password-from-a-local-file";

    private final StanzaCodec codec = StanzaCodec.create();

    @TempDir
    Path dir;

    @AfterEach
    void nextStanzaIsStillServed() throws Exception {
        Stanza next = codec.read(CapturedStanza.PROSODY_OFFLINE.xml());
        assertThat(next.id()).as("after a refused stanza the next one is read normally")
                .isEqualTo("8c3a9a75b7b4f9d001f2aa74921d0a28dc99b3a8b8f4cf02674bb4270ff3b0a5");
    }

    private XmlRejectedException rejected(String xml) {
        XmlRejectedException e = catchThrowableOfType(() -> codec.read(xml), XmlRejectedException.class);
        assertThat(e).as("hostile input is refused with XmlRejectedException").isNotNull();
        return e;
    }

    @Test
    void externalEntityIsRefusedAndTheFileIsNeverRead() throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, SECRET_FILE_CONTENT, StandardCharsets.UTF_8);
        String xml = "<?xml version='1.0'?><!DOCTYPE iq [<!ENTITY xxe SYSTEM '" + secret.toUri() + "'>]>"
                + "<iq type='set' id='x1' from='evil.example'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                + "<publish node='&xxe;'/></pubsub></iq>";

        XmlRejectedException e = rejected(xml);

        assertThat(e.reason()).as("a DTD is restricted XML").isEqualTo(XmlRejectedException.Reason.RESTRICTED_XML);
        assertThat(e.getMessage()).contains("DTD").doesNotContain(SECRET_FILE_CONTENT);
        assertThat(e.errorReply()).as("the IQ still gets an error answer").isPresent();
        assertThat(codec.write(e.errorReply().orElseThrow())).contains("id='x1'").contains("to='evil.example'")
                .contains("bad-request").doesNotContain(SECRET_FILE_CONTENT);
    }

    @Test
    void entityReferenceWithoutDtdIsRefused() {
        XmlRejectedException e = rejected("<message id='m1'><body>&xxe;</body></message>");

        assertThat(e.reason()).isIn(XmlRejectedException.Reason.RESTRICTED_XML,
                XmlRejectedException.Reason.NOT_WELL_FORMED);
        assertThat(e.getMessage()).containsIgnoringCase("entity");
        assertThat(e.errorReply()).as("messages get no error answer from the codec").isEmpty();
    }

    @Test
    void billionLaughsIsRefusedBeforeAnyExpansion() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE lolz [<!ENTITY lol0 'lol'>");
        for (int i = 1; i < 10; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" '");
            dtd.append(("&lol" + (i - 1) + ";").repeat(10)).append("'>");
        }
        dtd.append("]>");
        String xml = dtd + "<iq type='get' id='b1'><query xmlns='urn:x'>&lol9;</query></iq>";

        XmlRejectedException e = rejected(xml);

        assertThat(e.reason()).isEqualTo(XmlRejectedException.Reason.RESTRICTED_XML);
        assertThat(e.head().map(XmlRejectedException.StanzaHead::id)).as("id recovered without expanding")
                .contains("b1");
    }

    @Test
    void tenMegabyteStanzaIsRefusedAsPolicyViolationWithItsIdRecovered() {
        String xml = "<iq type='set' id='big' from='example.com' to='push.example.net'><pubsub xmlns='"
                + Namespaces.PUBSUB + "'><publish node='n'><item><notification xmlns='urn:xmpp:push:0'>"
                + "<x xmlns='jabber:x:data'><field var='last-message-body'><value>" + "A".repeat(10 * 1024 * 1024)
                + "</value></field></x></notification></item></publish></pubsub></iq>";

        XmlRejectedException e = rejected(xml);

        assertThat(e.reason()).isEqualTo(XmlRejectedException.Reason.POLICY_VIOLATION);
        assertThat(e.getMessage()).contains("larger than " + codec.limits().maxStanzaChars());
        Iq reply = e.errorReply().orElseThrow();
        assertThat(reply.id()).isEqualTo("big");
        assertThat(reply.to()).isEqualTo("example.com");
        assertThat(reply.error().orElseThrow().condition()).isEqualTo(StanzaError.Condition.POLICY_VIOLATION);
    }

    @Test
    void tenMegabyteStanzaOnAStreamIsRefusedWithoutBufferingIt() throws Exception {
        String stream = "<stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams'>"
                + "<message id='m'><body>" + "B".repeat(10 * 1024 * 1024) + "</body></message>";
        XMLStreamReader reader = XmppXml.inputFactory().createXMLStreamReader(new StringReader(stream));
        reader.nextTag();
        reader.nextTag();

        XmlRejectedException e = catchThrowableOfType(() -> codec.read(reader), XmlRejectedException.class);

        assertThat(e.reason()).isEqualTo(XmlRejectedException.Reason.POLICY_VIOLATION);
        assertThat(e.streamUsable()).as("the stream cannot be resynchronised after an oversized stanza").isFalse();
        assertThat(e.head().map(XmlRejectedException.StanzaHead::id)).contains("m");
    }

    @Test
    void tenThousandNestedElementsAreRefusedAsTooDeep() {
        String xml = "<iq type='get' id='deep'>" + "<a>".repeat(10_000) + "</a>".repeat(10_000) + "</iq>";
        StanzaCodec roomy = StanzaCodec.create(new XmlLimits(1024 * 1024, 32));

        XmlRejectedException e = catchThrowableOfType(() -> roomy.read(xml), XmlRejectedException.class);

        assertThat(e.reason()).isEqualTo(XmlRejectedException.Reason.POLICY_VIOLATION);
        assertThat(e.getMessage()).contains("deeper than 32");
        assertThat(e.errorReply().orElseThrow().id()).isEqualTo("deep");
    }

    @Test
    void processingInstructionIsRefused() {
        XmlRejectedException e = rejected("<iq type='get' id='pi'><?evil x?></iq>");

        assertThat(e.reason()).isEqualTo(XmlRejectedException.Reason.RESTRICTED_XML);
        assertThat(e.getMessage()).contains("processing instruction");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "<iq type='get' id='c1' from='a@b'><!-- a comment --><query xmlns='jabber:iq:version'/></iq>",
            "<iq type='get' id='c1' from='a@b'><query xmlns='jabber:iq:version'><!-- nested --></query></iq>",
            "<message id='c1'><body>text<!-- in text -->more</body></message>",
            "<!-- before --><iq type='get' id='c1' from='a@b'/>",
            "<iq type='get' id='c1' from='a@b'/><!-- after -->"})
    void commentAnywhereInAStanzaIsRefusedAsRestrictedXml(String xml) {
        XmlRejectedException e = rejected(xml);

        assertThat(e.reason()).as("RFC 6120 §11.1: a comment is restricted XML wherever it appears")
                .isEqualTo(XmlRejectedException.Reason.RESTRICTED_XML);
        assertThat(e.getMessage()).contains("comment");
        assertThat(e.head().map(XmlRejectedException.StanzaHead::id)).as("the refused stanza's id is recovered")
                .contains("c1");
    }

    @Test
    void commentInsideAStanzaOnAStreamIsRefusedAndTheStreamIsNotUsable() throws Exception {
        String stream = "<stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams'>"
                + "<iq type='get' id='c2' from='localhost'><query xmlns='jabber:iq:version'><!-- x --></query></iq>";
        XMLStreamReader reader = XmppXml.inputFactory().createXMLStreamReader(new StringReader(stream));
        reader.nextTag();
        reader.nextTag();

        XmlRejectedException e = catchThrowableOfType(() -> codec.read(reader), XmlRejectedException.class);

        assertThat(e).as("a comment inside a stanza read from a stream is refused").isNotNull();
        assertThat(e.reason()).as("RFC 6120 §11.1: a comment is restricted XML")
                .isEqualTo(XmlRejectedException.Reason.RESTRICTED_XML);
        assertThat(e.streamUsable()).as("restricted XML ends the stream").isFalse();
        assertThat(e.head().map(XmlRejectedException.StanzaHead::id)).contains("c2");
    }

    @Test
    void notWellFormedInputIsRefusedWithItsIdWhenTheStartTagIsReadable() {
        XmlRejectedException e = rejected("<iq type='get' id='nwf' from='a@b'><query xmlns='urn:x'></iq>");

        assertThat(e.reason()).isEqualTo(XmlRejectedException.Reason.NOT_WELL_FORMED);
        assertThat(e.head().map(XmlRejectedException.StanzaHead::id)).contains("nwf");
    }

    @Test
    void wellFormedNonStanzaIsABadRequest() {
        XmlRejectedException e = rejected("<handshake>abc</handshake>");

        assertThat(e.reason()).isEqualTo(XmlRejectedException.Reason.BAD_REQUEST);
        assertThat(e.getMessage()).contains("not a stanza");
    }
}
