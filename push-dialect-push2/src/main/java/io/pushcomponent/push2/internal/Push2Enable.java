package io.pushcomponent.push2.internal;

import io.pushcomponent.api.Jid;
import io.pushcomponent.webpush.crypto.VapidKeys;
import io.pushcomponent.webpush.crypto.WebPushCryptoException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.w3c.dom.Element;

/**
 * A client's {@code <enable xmlns='urn:xmpp:push2:0'>}: where its notifications go and which stanzas, sent how.
 * Immutable; {@code toString()} never shows the keys.
 *
 * @param service the push service's JID
 * @param client  the opaque string the push service routes by (for our app server: the registration's node)
 * @param matches the match profiles, in order; matches whose send profile is unknown are left out
 * @see <a href="https://xmpp.org/extensions/inbox/push2.html">Push 2.0</a>
 */
record Push2Enable(String service, String client, List<Match> matches) {
    /** The longest {@code <client/>} accepted. */
    static final int MAX_CLIENT_LENGTH = 1024;
    /** The most match profiles of one enable. */
    static final int MAX_MATCHES = 8;
    /** The most chat filters of one match. */
    static final int MAX_FILTERS = 256;
    /** The most JWT claims of one send profile. */
    static final int MAX_CLAIMS = 8;
    /** The longest grace period: a day. */
    static final int MAX_GRACE_SECONDS = 86_400;
    /** The longest text of any other child (a claim, a filter's JID, a key). */
    static final int MAX_TEXT = 4096;

    Push2Enable {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(client, "client");
        matches = List.copyOf(matches);
    }

    /**
     * One {@code <match profile/>}.
     *
     * @param profile the match profile's URI
     * @param grace   seconds of another session's activity that pause pushes; {@code null} for none
     * @param filters chat filters by JID (full, bare or domain), in order; a chat with a filter is pushed only for
     *                what the filter lets through
     * @param send    how a matching stanza is sent
     */
    record Match(String profile, Integer grace, Map<String, Filter> filters, Send send) {
        Match {
            Objects.requireNonNull(profile, "profile");
            Objects.requireNonNull(send, "send");
            filters = Collections.unmodifiableMap(new LinkedHashMap<>(filters));
        }
    }

    /**
     * A chat filter: with neither flag the chat is muted.
     *
     * @param mention push when the body mentions the account
     * @param reply   push when the message replies to the account
     */
    record Filter(boolean mention, boolean reply) {
    }

    /**
     * A {@code <send/>} profile.
     *
     * @param profile    its namespace
     * @param uaPublic   the client's P-256 public key (65 bytes, uncompressed), for {@link Push2Xml#SEND_SCE}
     * @param authSecret the client's 16-byte authentication secret, for {@link Push2Xml#SEND_SCE}
     * @param jwtKey     the base64 PKCS#8 of the key that signs the RFC 8292 token; {@code null} for no token
     * @param claims     the token's claims the client gave (e.g. {@code aud}), in order
     */
    record Send(String profile, byte[] uaPublic, byte[] authSecret, String jwtKey, Map<String, String> claims) {
        Send {
            Objects.requireNonNull(profile, "profile");
            claims = Collections.unmodifiableMap(new LinkedHashMap<>(claims));
        }

        static Send notifyOnly() {
            return new Send(Push2Xml.SEND_NOTIFY_ONLY, null, null, null, Map.of());
        }

        boolean encrypts() {
            return Push2Xml.SEND_SCE.equals(profile);
        }

        @Override
        public String toString() {
            return "Send[profile=" + profile + ", jwt=" + (jwtKey != null) + ", claims=" + claims.keySet() + "]";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Send s && profile.equals(s.profile) && Arrays.equals(uaPublic, s.uaPublic)
                    && Arrays.equals(authSecret, s.authSecret) && Objects.equals(jwtKey, s.jwtKey)
                    && claims.equals(s.claims);
        }

        @Override
        public int hashCode() {
            return Objects.hash(profile, Arrays.hashCode(uaPublic), jwtKey, claims);
        }
    }

    /**
     * Reads an {@code <enable/>}.
     *
     * @throws IllegalArgumentException when it is malformed: the message says what, for a {@code bad-request}
     */
    static Push2Enable parse(Element enable) {
        String service = Push2Xml.childText(enable, Push2Xml.NS, "service")
                .orElseThrow(() -> new IllegalArgumentException("<enable/> needs a <service/>"));
        if (Jid.tryParse(service).isEmpty()) {
            throw new IllegalArgumentException("<service/> is not a valid JID");
        }
        String client = Push2Xml.childText(enable, Push2Xml.NS, "client")
                .orElseThrow(() -> new IllegalArgumentException("<enable/> needs a <client/>"));
        if (client.length() > MAX_CLIENT_LENGTH || client.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("<client/> must be at most " + MAX_CLIENT_LENGTH
                    + " characters without control characters");
        }
        List<Element> matchElements = Push2Xml.children(enable, Push2Xml.NS, "match");
        if (matchElements.size() > MAX_MATCHES) {
            throw new IllegalArgumentException("at most " + MAX_MATCHES + " <match/> elements");
        }
        List<Match> matches = new ArrayList<>();
        for (Element m : matchElements) {
            Match match = match(m);
            if (match != null) {
                matches.add(match);
            }
        }
        return new Push2Enable(Jid.parse(service).toString(), client, matches);
    }

    /** A match, or {@code null} when its send profile is not one this server knows (it never sends then). */
    private static Match match(Element m) {
        String profile = m.getAttribute("profile").trim();
        if (profile.isEmpty()) {
            throw new IllegalArgumentException("<match/> needs a 'profile'");
        }
        Integer grace = null;
        String graceText = Push2Xml.childText(m, Push2Xml.NS, "grace").orElse(null);
        if (graceText != null) {
            try {
                grace = Integer.valueOf(graceText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("<grace/> must be a number of seconds");
            }
            if (grace < 0 || grace > MAX_GRACE_SECONDS) {
                throw new IllegalArgumentException("<grace/> must be 0 to " + MAX_GRACE_SECONDS + " seconds");
            }
        }
        List<Element> filterElements = Push2Xml.children(m, Push2Xml.NS, "filter");
        if (filterElements.size() > MAX_FILTERS) {
            throw new IllegalArgumentException("at most " + MAX_FILTERS + " <filter/> elements in a <match/>");
        }
        Map<String, Filter> filters = new LinkedHashMap<>();
        for (Element f : filterElements) {
            String jid = f.getAttribute("jid").trim();
            if (jid.isEmpty() || jid.length() > MAX_TEXT || Jid.tryParse(jid).isEmpty()) {
                throw new IllegalArgumentException("<filter/> needs a valid 'jid'");
            }
            filters.put(Jid.parse(jid).toString(), new Filter(
                    Push2Xml.child(f, Push2Xml.NS, "mention").isPresent(),
                    Push2Xml.child(f, Push2Xml.NS, "reply").isPresent()));
        }
        Send send = send(m);
        return send == null ? null : new Match(profile, grace, filters, send);
    }

    private static Send send(Element m) {
        if (Push2Xml.child(m, Push2Xml.SEND_NOTIFY_ONLY, "send").isPresent()) {
            return Send.notifyOnly();
        }
        Element sce = Push2Xml.child(m, Push2Xml.SEND_SCE, "send").orElse(null);
        if (sce == null) {
            return null;
        }
        byte[] uaPublic = base64(required(sce, "ua-public"), "ua-public");
        if (uaPublic.length != 65 || uaPublic[0] != 4) {
            throw new IllegalArgumentException("<ua-public/> must be an uncompressed P-256 point (65 bytes)");
        }
        byte[] authSecret = base64(required(sce, "auth-secret"), "auth-secret");
        if (authSecret.length != 16) {
            throw new IllegalArgumentException("<auth-secret/> must be 16 bytes");
        }
        String alg = Push2Xml.childText(sce, Push2Xml.SEND_SCE, "jwt-alg").orElse(null);
        String key = null;
        Map<String, String> claims = new LinkedHashMap<>();
        if (alg != null) {
            if (!"ES256".equals(alg)) {
                throw new IllegalArgumentException("<jwt-alg/> must be ES256 (RFC 8292)");
            }
            key = required(sce, "jwt-key").replaceAll("\\s", "");
            signingKey(key);
            List<Element> claimElements = Push2Xml.children(sce, Push2Xml.SEND_SCE, "jwt-claim");
            if (claimElements.size() > MAX_CLAIMS) {
                throw new IllegalArgumentException("at most " + MAX_CLAIMS + " <jwt-claim/> elements");
            }
            for (Element c : claimElements) {
                String name = c.getAttribute("name").trim();
                String value = c.getTextContent().trim();
                if (name.isEmpty() || name.length() + value.length() > MAX_TEXT) {
                    throw new IllegalArgumentException("<jwt-claim/> needs a 'name' and a short value");
                }
                claims.put(name, value);
            }
            if (!claims.containsKey("aud")) {
                throw new IllegalArgumentException("a token (<jwt-alg/>) needs the push service's origin as"
                        + " <jwt-claim name='aud'/> (RFC 8292)");
            }
        }
        return new Send(Push2Xml.SEND_SCE, uaPublic, authSecret, key, claims);
    }

    private static String required(Element send, String name) {
        String text = Push2Xml.childText(send, Push2Xml.SEND_SCE, name)
                .orElseThrow(() -> new IllegalArgumentException("<send/> of " + Push2Xml.SEND_SCE + " needs <" + name
                        + "/>"));
        if (text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("<" + name + "/> is too long");
        }
        return text;
    }

    /**
     * The keys of a {@code <jwt-key/>}: base64 PKCS#8 of a P-256 private key (the public key is derived).
     *
     * @throws IllegalArgumentException when it is not; the message never holds the key
     */
    static VapidKeys signingKey(String jwtKey) {
        try {
            return VapidKeys.fromPkcs8(base64(jwtKey, "jwt-key"));
        } catch (WebPushCryptoException e) {
            throw new IllegalArgumentException("<jwt-key/> is not base64 PKCS#8 of a P-256 private key");
        }
    }

    /** Base64 as clients write it: the standard or the URL-safe alphabet, padded or not, with line breaks. */
    static byte[] base64(String text, String what) {
        String s = text.replaceAll("\\s", "").replace('-', '+').replace('_', '/');
        while (s.length() % 4 != 0) {
            s += "=";
        }
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("<" + what + "/> is not base64");
        }
    }

    /** The enable as stored with the registration: the same element, in this dialect's own writing. */
    String toXml() {
        StringBuilder b = new StringBuilder(256).append("<enable xmlns='").append(Push2Xml.NS).append("'>");
        b.append("<service>").append(Push2Xml.escape(service)).append("</service>");
        b.append("<client>").append(Push2Xml.escape(client)).append("</client>");
        Base64.Encoder b64 = Base64.getEncoder();
        for (Match m : matches) {
            b.append("<match profile='").append(Push2Xml.escape(m.profile())).append("'>");
            if (m.grace() != null) {
                b.append("<grace>").append(m.grace()).append("</grace>");
            }
            m.filters().forEach((jid, f) -> b.append("<filter jid='").append(Push2Xml.escape(jid)).append("'>")
                    .append(f.mention() ? "<mention/>" : "").append(f.reply() ? "<reply/>" : "").append("</filter>"));
            Send s = m.send();
            b.append("<send xmlns='").append(s.profile()).append("'>");
            if (s.encrypts()) {
                b.append("<ua-public>").append(b64.encodeToString(s.uaPublic())).append("</ua-public>");
                b.append("<auth-secret>").append(b64.encodeToString(s.authSecret())).append("</auth-secret>");
                if (s.jwtKey() != null) {
                    b.append("<jwt-alg>ES256</jwt-alg><jwt-key>").append(Push2Xml.escape(s.jwtKey()))
                            .append("</jwt-key>");
                    s.claims().forEach((name, value) -> b.append("<jwt-claim name='").append(Push2Xml.escape(name))
                            .append("'>").append(Push2Xml.escape(value)).append("</jwt-claim>"));
                }
            }
            b.append("</send></match>");
        }
        return b.append("</enable>").toString();
    }

    /** Reads what {@link #toXml()} wrote. */
    static Push2Enable fromXml(String xml) {
        return parse(Push2Xml.parse(xml));
    }
}
