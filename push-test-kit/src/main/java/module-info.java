/**
 * The base test kit, on push-api alone: {@link io.pushcomponent.testkit.FakePushProvider} (provider id
 * {@code fake}), the publishes captured from real servers ({@link io.pushcomponent.testkit.CapturedStanza}) and
 * {@link io.pushcomponent.testkit.ClosedPort}. Needs no test framework.
 *
 * <p>The fakes that cost more are artifacts of their own: {@code io.pushcomponent.testkit.xmpp},
 * {@code io.pushcomponent.testkit.fcm} and {@code io.pushcomponent.testkit.apns}.
 */
module io.pushcomponent.testkit {
    requires transitive io.pushcomponent.api;

    exports io.pushcomponent.testkit;

    provides io.pushcomponent.api.PushProviderFactory with io.pushcomponent.testkit.FakePushProviderFactory;
}
