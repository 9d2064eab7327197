package io.pushcomponent.webpush.crypto;

import io.pushcomponent.webpush.crypto.internal.Base64Url;
import io.pushcomponent.webpush.crypto.internal.Json;
import io.pushcomponent.webpush.crypto.internal.MessageEncryption;
import io.pushcomponent.webpush.crypto.internal.P256;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A push subscription as a browser hands it to an application (the W3C Push API's {@code PushSubscription.toJSON()}):
 * where to send, and the keys to encrypt for. Immutable and thread-safe; the arrays are copied in and out.
 *
 * <p>{@link #toString()} shows the endpoint's origin and length only (the endpoint is a capability: whoever has it
 * can push to the browser) and never the authentication secret.
 *
 * @param endpoint the push resource's absolute {@code https} (or, for tests, {@code http}) URL
 * @param p256dh   the user agent's P-256 public key, the 65-byte uncompressed point
 * @param auth     the 16-byte authentication secret
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8291#section-2">RFC 8291 section 2</a>
 */
public record PushSubscription(String endpoint, byte[] p256dh, byte[] auth) {

    /**
     * @throws WebPushCryptoException when the endpoint is not an absolute http(s) URL, {@code p256dh} is not a point on
     *                                P-256 or {@code auth} is not 16 bytes
     */
    public PushSubscription {
        Objects.requireNonNull(endpoint, "endpoint");
        origin(endpoint);
        P256.publicKey(p256dh, "the p256dh key");
        if (auth == null || auth.length != MessageEncryption.AUTH_LENGTH) {
            throw new WebPushCryptoException("the auth secret is not 16 bytes");
        }
        p256dh = p256dh.clone();
        auth = auth.clone();
    }

    /**
     * A subscription from the strings of {@code PushSubscription.toJSON()}: the endpoint and base64url keys.
     *
     * @throws WebPushCryptoException when a key is not base64url or not valid
     */
    public static PushSubscription of(String endpoint, String p256dh, String auth) {
        return new PushSubscription(endpoint, Base64Url.decode(p256dh, "the p256dh key"),
                Base64Url.decode(auth, "the auth secret"));
    }

    /**
     * A subscription from its JSON, as {@code JSON.stringify(pushSubscription)} writes it in a browser:
     * {@code {"endpoint": "...", "expirationTime": null, "keys": {"p256dh": "...", "auth": "..."}}}. Other members
     * are ignored.
     *
     * @throws WebPushCryptoException when it is not such JSON or a value is invalid; the message never holds a value
     */
    public static PushSubscription fromJson(String json) {
        Map<String, Object> object = Json.readObject(Objects.requireNonNull(json, "json"));
        if (!(object.get("endpoint") instanceof String endpoint)) {
            throw new WebPushCryptoException("the subscription JSON has no \"endpoint\" string");
        }
        if (!(object.get("keys") instanceof Map<?, ?> keys)) {
            throw new WebPushCryptoException("the subscription JSON has no \"keys\" object");
        }
        if (!(keys.get("p256dh") instanceof String p256dh) || !(keys.get("auth") instanceof String auth)) {
            throw new WebPushCryptoException("the subscription JSON's \"keys\" lack the \"p256dh\" or \"auth\" string");
        }
        return of(endpoint, p256dh, auth);
    }

    /**
     * This subscription as a browser's {@code PushSubscription.toJSON()} gives it (with {@code expirationTime}
     * null). Holds the secret: keep it out of logs.
     */
    public String toJson() {
        return "{\"endpoint\":" + Json.string(endpoint) + ",\"expirationTime\":null,\"keys\":{\"p256dh\":"
                + Json.string(p256dhBase64Url()) + ",\"auth\":" + Json.string(authBase64Url()) + "}}";
    }

    @Override
    public byte[] p256dh() {
        return p256dh.clone();
    }

    @Override
    public byte[] auth() {
        return auth.clone();
    }

    /** {@link #p256dh()} in base64url without padding, as browsers write it. */
    public String p256dhBase64Url() {
        return Base64Url.encode(p256dh);
    }

    /** {@link #auth()} in base64url without padding, as browsers write it. A secret: keep it out of logs. */
    public String authBase64Url() {
        return Base64Url.encode(auth);
    }

    /** The endpoint's origin ({@code scheme://host[:port]}), the audience of a VAPID token for it. */
    public String origin() {
        return origin(endpoint);
    }

    static String origin(String endpoint) {
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (URISyntaxException e) {
            throw new WebPushCryptoException("the endpoint is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
            throw new WebPushCryptoException("the endpoint is not an absolute http(s) URL");
        }
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PushSubscription that && endpoint.equals(that.endpoint)
                && Arrays.equals(p256dh, that.p256dh) && Arrays.equals(auth, that.auth);
    }

    @Override
    public int hashCode() {
        return Objects.hash(endpoint, Arrays.hashCode(p256dh), Arrays.hashCode(auth));
    }

    @Override
    public String toString() {
        return "PushSubscription[endpoint=" + origin() + "/…(" + endpoint.length() + "), p256dh="
                + p256dhBase64Url().substring(0, 8) + "…, auth=(hidden)]";
    }
}
