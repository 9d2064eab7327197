/**
 * The base test kit, on push-api alone: {@link io.pushcomponent.testkit.FakePushProvider} (provider id
 * {@code fake}), the publishes captured from real servers ({@link io.pushcomponent.testkit.CapturedStanza}) and
 * {@link io.pushcomponent.testkit.ClosedPort}. Needs no test framework, except for the store contract suites
 * ({@link io.pushcomponent.testkit.store}: JUnit 5 and AssertJ, which their users bring).
 *
 * <p>The fakes that cost more are artifacts of their own: {@code io.pushcomponent.testkit.xmpp},
 * {@code io.pushcomponent.testkit.fcm} and {@code io.pushcomponent.testkit.apns}.
 */
module io.pushcomponent.testkit {
    requires transitive io.pushcomponent.api;

    requires static org.junit.jupiter.api;
    requires static org.assertj.core;

    exports io.pushcomponent.testkit;
    exports io.pushcomponent.testkit.store;
    // JUnit calls the suites' protected test methods reflectively.
    opens io.pushcomponent.testkit.store to org.junit.platform.commons;

    provides io.pushcomponent.api.PushProviderFactory with io.pushcomponent.testkit.FakePushProviderFactory;
}
