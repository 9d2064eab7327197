package io.pushcomponent.component.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What the component writes to open and keep a XEP-0114 stream: the stream header, the handshake (lower-case hex
 * SHA-1 of the stream id followed by the secret), and the XEP-0199 ping that checks the server still answers.
 *
 * <p>Stateless and thread-safe.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0114.html">XEP-0114: Jabber Component Protocol</a>
 * @see <a href="https://xmpp.org/extensions/xep-0199.html">XEP-0199: XMPP Ping</a>
 */
final class Handshake {
    static final String STREAMS_NS = "http://etherx.jabber.org/streams";
    static final String COMPONENT_NS = "jabber:component:accept";

    private Handshake() {
    }

    /** The header that opens the component's stream to the server. */
    static String streamHeader(String componentJid) {
        return "<?xml version='1.0'?><stream:stream xmlns='" + COMPONENT_NS + "' xmlns:stream='" + STREAMS_NS
                + "' to='" + componentJid + "'>";
    }

    /** The {@code <handshake/>} element for the stream {@code streamId}; it holds a digest, never the secret. */
    static String request(String streamId, String secret) {
        return "<handshake>" + digest(streamId, secret) + "</handshake>";
    }

    /** Lower-case hex SHA-1 of the stream id followed by the secret. */
    static String digest(String streamId, String secret) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return HexFormat.of().formatHex(sha1.digest((streamId + secret).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }

    /**
     * The domain the component's server serves, which the ping goes to: the component's domain without its first
     * label ({@code push.example.com} is served by {@code example.com}), or the component's own domain when it has
     * a single label.
     */
    static String serverDomain(String componentJid) {
        int dot = componentJid.indexOf('.');
        return dot < 0 || dot == componentJid.length() - 1 ? componentJid : componentJid.substring(dot + 1);
    }

    /** An XEP-0199 ping from the component to {@code to}. */
    static String ping(String id, String from, String to) {
        return "<iq type='get' id='" + id + "' from='" + from + "' to='" + to + "'><ping xmlns='urn:xmpp:ping'/></iq>";
    }
}
