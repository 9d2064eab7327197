package io.pushcomponent.webpush.crypto;

/**
 * Input that cannot be encrypted, decrypted or verified: a malformed key, body or token, a failed authentication
 * tag, a bad signature or unacceptable claims. The message says which, and never holds a key or a secret.
 */
public final class WebPushCryptoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong, without secrets
     */
    public WebPushCryptoException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong, without secrets
     * @param cause   the underlying failure
     */
    public WebPushCryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
