/**
 * A fake of the Apple Push Notification service: {@link io.pushcomponent.testkit.apns.FakeApnsServer}, pushy's mock
 * server (Netty, real TLS and HTTP/2) with throw-away credentials made with Bouncy Castle. Only this artifact of the
 * test kit brings Netty and Bouncy Castle.
 *
 * @see <a href="https://developer.apple.com/documentation/usernotifications/sending-notification-requests-to-apns">
 * Sending notification requests to APNs</a>
 */
module io.pushcomponent.testkit.apns {
    requires transitive io.pushcomponent.api;
    requires com.eatthepath.pushy.apns;
    requires io.netty.transport;
    requires io.netty.common;
    requires io.netty.codec.http2;
    requires io.netty.buffer;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;

    exports io.pushcomponent.testkit.apns;
}
