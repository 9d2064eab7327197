package io.pushcomponent.webpush.crypto.internal;

import io.pushcomponent.webpush.crypto.WebPushCryptoException;
import java.util.Base64;

/** Base64url without padding (RFC 4648 section 5), as Web Push writes keys; reading accepts padding too. */
public final class Base64Url {
    private Base64Url() {
    }

    /** Encodes without padding. */
    public static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Decodes, with or without padding.
     *
     * @param what names the value in the exception's message (never the value itself)
     */
    public static byte[] decode(String text, String what) {
        if (text == null) {
            throw new WebPushCryptoException(what + " is missing");
        }
        try {
            return Base64.getUrlDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new WebPushCryptoException(what + " is not base64url");
        }
    }
}
