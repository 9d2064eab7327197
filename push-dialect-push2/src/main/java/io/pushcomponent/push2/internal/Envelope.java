package io.pushcomponent.push2.internal;

import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.core.xml.stanza.Message;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Set;
import java.util.function.Predicate;
import org.w3c.dom.Element;

/**
 * The plaintext of an encrypted Push 2.0 notification: the stanza forwarded (XEP-0297) inside a Stanza Content
 * Encryption envelope (XEP-0420) with random padding, made to fit a size limit.
 *
 * <p>When the whole stanza does not fit, it is trimmed in steps, each only when the step before did not suffice:
 * children other than the content a client shows (body, out-of-band link, encrypted payloads, call, invitation) and
 * the archive id are dropped; a body longer than 50 characters loses its quoted lines and is cut to 50 characters
 * with an ellipsis; only body, archive id, call and invitation stay; only the archive id stays. The archive id
 * ({@code <stanza-id/>}) survives every step, so the client can always fetch the message from its archive.
 *
 * <p>Thread-safe.
 */
final class Envelope {
    /** The body length a long body is cut to. */
    static final int SHORT_BODY = 50;
    /** Padding rounds the envelope's length up to a multiple of this, so that lengths say little. */
    static final int PAD_BLOCK = 128;
    private static final String ELLIPSIS = "\u2026";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** What {@code <rpad/>} is made of: random characters of the base64 alphabet. */
    private static final String PAD_CHARACTERS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final Set<String> CONTENT_NAMESPACES = Set.of(Push2Xml.OOB, Push2Xml.OMEMO_LEGACY,
            Push2Xml.OMEMO_0, Push2Xml.OMEMO_2, Push2Xml.PGP_LEGACY, Push2Xml.OPENPGP, Push2Xml.SCE,
            Push2Xml.JINGLE_MESSAGE, Push2Xml.CONFERENCE);
    private static final Set<String> ESSENTIAL_NAMESPACES = Set.of(Push2Xml.JINGLE_MESSAGE, Push2Xml.CONFERENCE);

    private final StanzaCodec codec;

    Envelope(StanzaCodec codec) {
        this.codec = codec;
    }

    /**
     * The envelope of {@code message} in UTF-8, at most {@code maxBytes} long.
     *
     * @param account  the account, whose archive id is kept
     * @param maxBytes the largest envelope
     * @throws IllegalArgumentException when not even the envelope of the archive id alone fits
     */
    byte[] seal(Message message, String account, int maxBytes) {
        Element archiveId = Stanzas.archiveId(message, account).orElse(null);
        byte[] whole = envelope(message);
        if (whole.length <= maxBytes) {
            return pad(whole, maxBytes);
        }
        Predicate<Object> content = o -> o == archiveId || o instanceof Element e && (e.getNamespaceURI() == null
                || Push2Xml.CLIENT.equals(e.getNamespaceURI()) || CONTENT_NAMESPACES.contains(e.getNamespaceURI()));
        String body = message.body().orElse(null);
        byte[] trimmed = envelope(copy(message, content, body));
        if (trimmed.length <= maxBytes) {
            return pad(trimmed, maxBytes);
        }
        String shortBody = body != null && body.codePointCount(0, body.length()) > SHORT_BODY ? shorten(body) : body;
        trimmed = envelope(copy(message, content, shortBody));
        if (trimmed.length <= maxBytes) {
            return pad(trimmed, maxBytes);
        }
        Predicate<Object> essential = o -> o == archiveId
                || o instanceof Element e && ESSENTIAL_NAMESPACES.contains(e.getNamespaceURI());
        trimmed = envelope(copy(message, essential, shortBody));
        if (trimmed.length <= maxBytes) {
            return pad(trimmed, maxBytes);
        }
        trimmed = envelope(copy(message, o -> o == archiveId, null));
        if (trimmed.length <= maxBytes) {
            return pad(trimmed, maxBytes);
        }
        throw new IllegalArgumentException("the stanza does not fit in " + maxBytes + " bytes even trimmed to its"
                + " archive id");
    }

    /** The body without quoted lines ({@code >} …), cut to {@value #SHORT_BODY} characters with an ellipsis. */
    static String shorten(String body) {
        StringBuilder kept = new StringBuilder(body.length());
        for (String line : body.split("\n", -1)) {
            if (!line.startsWith(">")) {
                kept.append(kept.length() == 0 ? "" : "\n").append(line);
            }
        }
        String text = kept.toString().strip();
        if (text.codePointCount(0, text.length()) <= SHORT_BODY) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, SHORT_BODY)) + ELLIPSIS;
    }

    private static Message copy(Message message, Predicate<Object> keep, String body) {
        Message copy = new Message().id(message.id()).from(message.from()).to(message.to()).type(message.type());
        if (body != null) {
            copy.body(body);
        }
        message.extensions().stream().filter(keep).forEach(copy::add);
        return copy;
    }

    /** {@code <envelope xmlns='urn:xmpp:sce:1'><content><forwarded xmlns='urn:xmpp:forward:0'>} the stanza. */
    private byte[] envelope(Message message) {
        String stanza = codec.write(message);
        if (!stanza.startsWith("<message xmlns=")) {
            stanza = "<message xmlns='" + Push2Xml.CLIENT + "'" + stanza.substring("<message".length());
        }
        return ("<envelope xmlns='" + Push2Xml.SCE + "'><content><forwarded xmlns='" + Push2Xml.FORWARD + "'>"
                + stanza + "</forwarded></content></envelope>").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Adds {@code <rpad/>} (random characters) so that the length is a multiple of {@value #PAD_BLOCK}, or
     * {@code maxBytes} when that is less; nothing when not even a short {@code <rpad/>} fits.
     */
    private static byte[] pad(byte[] envelope, int maxBytes) {
        String closing = "</envelope>";
        int overhead = "<rpad></rpad>".length();
        int target = Math.min(maxBytes, ((envelope.length + overhead) / PAD_BLOCK + 1) * PAD_BLOCK);
        int room = target - envelope.length - overhead;
        if (room < 4) {
            return envelope;
        }
        StringBuilder random = new StringBuilder(room);
        for (int i = 0; i < room; i++) {
            random.append(PAD_CHARACTERS.charAt(RANDOM.nextInt(PAD_CHARACTERS.length())));
        }
        String text = new String(envelope, StandardCharsets.UTF_8);
        String padded = text.substring(0, text.length() - closing.length()) + "<rpad>" + random + "</rpad>"
                + closing;
        return padded.getBytes(StandardCharsets.UTF_8);
    }
}
