/**
 * Firebase Cloud Messaging HTTP v1 push provider: {@link io.pushcomponent.provider.fcm.FcmPushProviderFactory}
 * (provider id {@code fcm-http-v1}, alias {@code fcm-xmpp-api}). Only the factory and its setting-key constants are public.
 *
 * @see <a href="https://firebase.google.com/docs/cloud-messaging/send/v1-api">FCM HTTP v1 API</a>
 */
module io.pushcomponent.provider.fcm {
    requires io.pushcomponent.api;
    requires okhttp3;
    requires com.google.auth;
    requires com.google.auth.oauth2;
    requires com.google.api.client;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports io.pushcomponent.provider.fcm;

    provides io.pushcomponent.api.PushProviderFactory with io.pushcomponent.provider.fcm.FcmPushProviderFactory;
}
