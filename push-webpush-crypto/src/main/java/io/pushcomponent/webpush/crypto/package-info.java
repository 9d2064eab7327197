/**
 * Web Push message encryption and VAPID.
 *
 * <ul>
 *   <li>{@link io.pushcomponent.webpush.crypto.WebPushEncryption}: RFC 8291, encrypting a push message for a
 *       {@link io.pushcomponent.webpush.crypto.PushSubscription} and decrypting it with the
 *       {@link io.pushcomponent.webpush.crypto.UserAgentKeys} a browser holds;</li>
 *   <li>{@link io.pushcomponent.webpush.crypto.Aes128Gcm}: RFC 8188's {@code aes128gcm} content coding on its
 *       own;</li>
 *   <li>{@link io.pushcomponent.webpush.crypto.Vapid}: RFC 8292, the application server's ES256 JWT and its
 *       {@code vapid t=..., k=...} {@code Authorization} header, signed with
 *       {@link io.pushcomponent.webpush.crypto.VapidKeys} and verified as a push service does.</li>
 * </ul>
 *
 * <p><b>Thread-safety:</b> every class is stateless or immutable; all methods may be called from any thread at
 * once. Nothing blocks or performs I/O.
 * <p><b>Secrets:</b> private keys and authentication secrets never appear in {@code toString()} or in exception
 * messages.
 * <p><b>Errors:</b> malformed input, a failed authentication tag, a bad signature or unacceptable claims throw
 * {@link io.pushcomponent.webpush.crypto.WebPushCryptoException}.
 */
package io.pushcomponent.webpush.crypto;
