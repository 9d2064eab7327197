/**
 * Web Push message encryption on the JDK alone: the {@code aes128gcm} content coding (RFC 8188), message encryption
 * for a push subscription (RFC 8291) and VAPID, the application server's signed JWT (RFC 8292). Used by the Web Push
 * provider, by Push 2.0's user's-server side, and by the fakes that play a browser.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8188">RFC 8188: Encrypted Content-Encoding for HTTP</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8291">RFC 8291: Message Encryption for Web Push</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8292">RFC 8292: VAPID for Web Push</a>
 */
module io.pushcomponent.webpush.crypto {
    exports io.pushcomponent.webpush.crypto;
}
