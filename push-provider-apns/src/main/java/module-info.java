/**
 * Apple Push Notification service provider (pushy), discovered as provider id {@code apns}.
 *
 * <p>Exports nothing but the factory's package: the provider itself is package-private.
 *
 * @see <a href="https://developer.apple.com/documentation/usernotifications/sending-notification-requests-to-apns">
 * Sending notification requests to APNs</a>
 */
module io.pushcomponent.provider.apns {
    requires transitive io.pushcomponent.api;
    requires com.eatthepath.pushy.apns;
    requires io.netty.transport;
    requires io.netty.common;
    requires org.slf4j;

    exports io.pushcomponent.provider.apns;

    provides io.pushcomponent.api.PushProviderFactory with io.pushcomponent.provider.apns.ApnsPushProviderFactory;
}
