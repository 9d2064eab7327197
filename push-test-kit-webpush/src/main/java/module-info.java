/**
 * A fake Web Push service for tests: {@link io.pushcomponent.testkit.webpush.FakeWebPushService}. Brings nothing but
 * the JDK's HTTP server and push-webpush-crypto.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8030">RFC 8030: Generic Event Delivery Using HTTP Push</a>
 */
module io.pushcomponent.testkit.webpush {
    requires transitive io.pushcomponent.webpush.crypto;
    requires jdk.httpserver;

    exports io.pushcomponent.testkit.webpush;
}
