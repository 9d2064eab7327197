/**
 * Web Push provider. The public surface is {@link io.pushcomponent.provider.webpush.WebPushProviderFactory} with its
 * setting keys; the provider itself is package-private and reached through
 * {@link io.pushcomponent.api.PushProviderFactory#create}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8030">RFC 8030: Generic Event Delivery Using HTTP Push</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8291">RFC 8291: Message Encryption for Web Push</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8292">RFC 8292: VAPID for Web Push</a>
 */
package io.pushcomponent.provider.webpush;
