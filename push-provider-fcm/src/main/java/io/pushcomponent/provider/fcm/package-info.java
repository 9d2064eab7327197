/**
 * Firebase Cloud Messaging HTTP v1 provider. The public surface is
 * {@link io.pushcomponent.provider.fcm.FcmPushProviderFactory} with its setting keys; the provider itself is
 * package-private and reached through
 * {@link io.pushcomponent.api.PushProviderFactory#create}.
 *
 * @see <a href="https://firebase.google.com/docs/reference/fcm/rest/v1/projects.messages/send">FCM HTTP v1
 * messages.send</a>
 */
package io.pushcomponent.provider.fcm;
