package io.pushcomponent.push2.internal;

/**
 * The stanzas of Prosody's {@code mod_push2} documentation (its README, which follows the Push 2.0 draft), quoted as
 * they are written there, placeholders included: the tests fill the placeholders with real keys and payloads by
 * replacing exactly their text, so that what is checked is the documented wire format.
 */
final class Push2Fixtures {
    /** "Client registers to receive push notifications". */
    static final String ENABLE = """
            <enable xmlns='urn:xmpp:push2:0'>
                <service>pusher@push.example.com</service>
                <client>https://push.example.com/adlfkjadafdasf</client>
                <match profile="urn:xmpp:push2:match:archived-with-body">
                    <grace>144</grace>
                    <filter jid="somemuc@conference.example.com">
                        <mention/>
                    </filter>
                    <send xmlns="urn:xmpp:push2:send:notify-only:0"/>
                </match>
            </enable>""";

    /** The notification of the {@code urn:xmpp:push2:send:notify-only:0} profile. */
    static final String NOTIFY_ONLY_NOTIFICATION = """
            <message to="pusher@push.example.net">
                <notification xmlns="urn:xmpp:push2:0">
                    <client>https://push.example.com/adlfkjadafdasf</client>
                    <priority>normal</priority>
                </notification>
            </message>""";

    /** The {@code urn:xmpp:push2:send:sce+rfc8291+rfc8292:0} send profile, with its placeholders. */
    static final String SCE_SEND = """
            <send xmlns="urn:xmpp:push2:send:sce+rfc8291+rfc8292:0">
                <ua-public>Base64 encoded P-256 ECDH public key (raw, uncompressed)</ua-public>
                <auth-secret>Base64 encoded randomly generated 16 octets</auth-secret>
                <jwt-alg>ES256</jwt-alg>
                <jwt-key>PKCS#8 PEM encoded ECDSA keypair, without the header or footer lines</jwt-key>
                <jwt-claim name="aud">https://push.example.com</jwt-claim>
            </send>""";
    static final String UA_PUBLIC_PLACEHOLDER = "Base64 encoded P-256 ECDH public key (raw, uncompressed)";
    static final String AUTH_SECRET_PLACEHOLDER = "Base64 encoded randomly generated 16 octets";
    static final String JWT_KEY_PLACEHOLDER = "PKCS#8 PEM encoded ECDSA keypair, without the header or footer lines";

    /** The notification of the encrypting profile, with its placeholders. */
    static final String ENCRYPTED_NOTIFICATION = """
            <message to="pusher@push.example.net">
                <notification xmlns="urn:xmpp:push2:0">
                    <client>https://push.example.com/adlfkjadafdasf</client>
                    <priority>normal</priority>
                    <encrypted xmlns="urn:xmpp:sce:rfc8291:0">
                        <payload>Base64 encoded ciphertext</payload>
                    </encrypted>
                    <jwt key="base64 encoded raw public key">the signed JWT, if present</jwt>
                </notification>
            </message>""";
    static final String PAYLOAD_PLACEHOLDER = "Base64 encoded ciphertext";
    static final String JWT_KEY_ATTRIBUTE_PLACEHOLDER = "base64 encoded raw public key";
    static final String JWT_PLACEHOLDER = "the signed JWT, if present";

    /** "Client disables future pushes". */
    static final String DISABLE = "<disable xmlns='urn:xmpp:push2:0' />";

    /** The feature of "Discovering support". */
    static final String FEATURE = "urn:xmpp:push2:0";

    private Push2Fixtures() {
    }
}
