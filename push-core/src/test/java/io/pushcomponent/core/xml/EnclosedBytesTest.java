package io.pushcomponent.core.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pushcomponent.core.xml.stanza.Stanza;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link StanzaCodec#readEnclosed(byte[])}, the path a stream reader's stanzas take: bytes that are not well-formed
 * UTF-8 (RFC 3629, which RFC 6120 §11.6 makes the stream's encoding) are refused as not well-formed even where the
 * StAX parser would decode them, and a start tag over a cap is one stanza's refusal (policy-violation), not a broken
 * stream.
 */
class EnclosedBytesTest {
    private static final StanzaCodec CODEC = StanzaCodec.create();
    private static final String OPEN = "<stream:stream xmlns='jabber:component:accept'"
            + " xmlns:stream='http://etherx.jabber.org/streams'>";

    private static byte[] enclose(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(OPEN.getBytes(StandardCharsets.UTF_8));
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        out.writeBytes("</stream:stream>".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static XmlRejectedException refused(byte[] document) {
        XmlRejectedException e = catchThrowableOfType(() -> CODEC.readEnclosed(document), XmlRejectedException.class);
        assertThat(e).as("refused with XmlRejectedException").isNotNull();
        return e;
    }

    /** A message body holding {@code bytes}, the shape a user can make any server forward to the component. */
    private static byte[] messageWith(byte[] bytes) {
        return enclose(ascii("<message from='juliet@capulet.example/b' to='push.example' id='m1'><body>"), bytes,
                ascii("</body></message>"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "C0AF", // overlong '/', which Woodstox decodes
            "C1BF", // overlong two-byte form
            "E080AF", // overlong three-byte form
            "F08080AF", // overlong four-byte form
            "EDA080", // a surrogate (U+D800)
            "F4908080", // above U+10FFFF
            "80", // a continuation byte alone
            "E282" // a sequence cut short
    })
    void bytesThatAreNotWellFormedUtf8AreNotWellFormed(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);

        XmlRejectedException e = refused(messageWith(bytes));

        assertThat(e.reason()).as("RFC 3629 forbids %s; RFC 6120 §11.6: the stream is UTF-8", hex)
                .isEqualTo(XmlRejectedException.Reason.NOT_WELL_FORMED);
        assertThat(e.getMessage()).contains("UTF-8");
    }

    @Test
    void wellFormedUtf8OfEveryLengthIsRead() throws Exception {
        byte[] text = "é€😀 ascii".getBytes(StandardCharsets.UTF_8);

        Stanza stanza = CODEC.readEnclosed(messageWith(text));

        assertThat(stanza.id()).as("two-, three- and four-byte sequences are well-formed").isEqualTo("m1");
    }

    @Test
    void moreAttributesOnTheStanzaThanTheCapAreOneStanzasPolicyViolation() {
        StringBuilder attributes = new StringBuilder();
        for (int i = 0; i < 65; i++) {
            attributes.append(" a").append(i).append("='x'");
        }

        XmlRejectedException e = refused(enclose(ascii("<message from='juliet@capulet.example/b' to='push.example'"
                + " id='m2'" + attributes + "><body>hi</body></message>")));

        assertThat(e.reason()).as("a cap, not a broken stream: only this stanza is refused")
                .isEqualTo(XmlRejectedException.Reason.POLICY_VIOLATION);
        assertThat(e.head()).as("the head is read from the start tag's bytes, so the stanza can be answered")
                .contains(new XmlRejectedException.StanzaHead("message", "m2", null, "juliet@capulet.example/b",
                        "push.example"));
    }

    @Test
    void theHeadOfAStartTagOverTheCapIsReadWithItsReferencesAndNotFromWhatXmlDoesNotAllow() {
        String attributes = IntStream.range(0, 70).mapToObj(i -> " b" + i + "=\"y\"").collect(Collectors.joining());

        XmlRejectedException escaped = refused(enclose(ascii("<iq type = 'get'" + attributes + " id='a&apos;b&#x26;c"
                + "&#100;' from=\"juliet@capulet.example/&lt;b&gt;\"><ping xmlns='urn:xmpp:ping'/></iq>")));
        XmlRejectedException unknownEntity = refused(enclose(ascii("<iq type='get'" + attributes + " id='&foo;'>"
                + "<ping xmlns='urn:xmpp:ping'/></iq>")));

        assertThat(escaped.head()).as("XML's five entities and character references are read; whitespace around '='"
                + " is allowed").contains(new XmlRejectedException.StanzaHead("iq", "a'b&cd", "get",
                "juliet@capulet.example/<b>", null));
        assertThat(escaped.errorReply()).isPresent();
        assertThat(unknownEntity.reason()).isEqualTo(XmlRejectedException.Reason.POLICY_VIOLATION);
        assertThat(unknownEntity.head()).as("a reference XML does not define: no head, so no answer").isEmpty();
    }

    @Test
    void characterReferenceToACharacterXmlForbidsIsNotWellFormedAndNamesNoParserClass() {
        XmlRejectedException e = refused(enclose(ascii("<message from='juliet@capulet.example/b' to='push.example'"
                + " id='m3'><body>a&#1;b</body></message>")));

        assertThat(e.reason()).as("RFC 6120 §11.1 restricts entity references, not character references: &#1; is"
                + " XML that is not well-formed").isEqualTo(XmlRejectedException.Reason.NOT_WELL_FORMED);
        assertThat(e.getMessage()).as("the reason, without the parser's exception class")
                .doesNotContain("com.ctc").doesNotContain("Exception");
    }
}
