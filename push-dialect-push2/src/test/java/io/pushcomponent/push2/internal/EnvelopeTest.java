package io.pushcomponent.push2.internal;

import static io.pushcomponent.push2.internal.Push2WireFormatTest.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.core.xml.stanza.Message;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** The forwarded stanza's envelope: whole when it fits, trimmed in steps when not, the archive id always kept. */
class EnvelopeTest {
    private static final String ROMEO = "romeo@example.net";
    private final Envelope envelope = new Envelope(StanzaCodec.create());

    private static Message message(String body, String extra) {
        return (Message) read("<message xmlns='jabber:client' type='chat' id='m1' from='juliet@example.com/b' to='"
                + ROMEO + "'><body>" + body + "</body><stanza-id xmlns='urn:xmpp:sid:0' by='" + ROMEO
                + "' id='mam-42'/>" + extra + "</message>");
    }

    private static Element forwarded(byte[] sealed) {
        Element env = Push2Xml.parse(new String(sealed, StandardCharsets.UTF_8));
        return Push2Xml.child(Push2Xml.child(Push2Xml.child(env, Push2Xml.SCE, "content").orElseThrow(),
                Push2Xml.FORWARD, "forwarded").orElseThrow(), Push2Xml.CLIENT, "message").orElseThrow();
    }

    @Test
    void aSmallStanzaIsForwardedWholeAndPaddedToABlock() {
        String extra = "<markable xmlns='urn:xmpp:chat-markers:0'/>";
        byte[] sealed = envelope.seal(message("hi", extra), ROMEO, 2969);

        Element m = forwarded(sealed);
        assertThat(Push2Xml.child(m, "urn:xmpp:chat-markers:0", "markable")).as("nothing dropped").isPresent();
        assertThat(Push2Xml.childText(m, Push2Xml.CLIENT, "body")).contains("hi");
        assertThat(sealed.length % Envelope.PAD_BLOCK).as("padded with <rpad/> to a multiple of the block")
                .isZero();
    }

    @Test
    void aLargeStanzaLosesOtherElementsThenTheLongBodyButKeepsTheArchiveId() {
        String noise = "<x xmlns='urn:example:noise'>" + "n".repeat(2000) + "</x>";
        byte[] trimmed = envelope.seal(message("short", noise), ROMEO, 1000);
        Element m = forwarded(trimmed);
        assertThat(Push2Xml.child(m, "urn:example:noise", "x")).as("other elements go first").isEmpty();
        assertThat(Push2Xml.childText(m, Push2Xml.CLIENT, "body")).contains("short");

        String body = "> quoted line\n" + "w".repeat(3000);
        byte[] cut = envelope.seal(message(body, ""), ROMEO, 1000);
        String kept = Push2Xml.childText(forwarded(cut), Push2Xml.CLIENT, "body").orElseThrow();
        assertThat(kept).as("quote dropped, cut to 50 characters").isEqualTo("w".repeat(50) + "\u2026");
        assertThat(Push2Xml.child(forwarded(cut), Push2Xml.SID, "stanza-id").orElseThrow().getAttribute("id"))
                .isEqualTo("mam-42");
        assertThat(cut.length).isLessThanOrEqualTo(1000);
    }

    @Test
    void atTheLastStepOnlyTheArchiveIdStays() {
        String big = "<x xmlns='jabber:x:oob'><url>https://example.com/" + "u".repeat(900) + "</url></x>";
        byte[] sealed = envelope.seal(message("b".repeat(40), big + "<propose xmlns='urn:xmpp:jingle-message:0' id='"
                + "p".repeat(600) + "'/>"), ROMEO, 600);

        Element m = forwarded(sealed);
        assertThat(Push2Xml.child(m, Push2Xml.CLIENT, "body")).isEmpty();
        assertThat(Push2Xml.child(m, Push2Xml.SID, "stanza-id")).isPresent();
        assertThatThrownBy(() -> envelope.seal(message("b", ""), ROMEO, 100))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shorteningDropsQuotedLinesAndCutsAtACodePoint() {
        assertThat(Envelope.shorten("> who?\nme")).isEqualTo("me");
        assertThat(Envelope.shorten("\uD83C\uDF39".repeat(60))).isEqualTo("\uD83C\uDF39".repeat(50) + "\u2026");
    }
}
