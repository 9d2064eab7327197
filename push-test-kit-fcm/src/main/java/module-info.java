/**
 * A fake of Firebase Cloud Messaging HTTP v1 and Google's OAuth token endpoint:
 * {@link io.pushcomponent.testkit.fcm.FakeFcmServer}. Built on OkHttp's MockWebServer, which brings JUnit 4 and the
 * Kotlin standard library; nothing else in the test kit does.
 *
 * @see <a href="https://firebase.google.com/docs/cloud-messaging/send/v1-api">FCM HTTP v1 API</a>
 */
module io.pushcomponent.testkit.fcm {
    requires transitive io.pushcomponent.api;
    requires okhttp3;
    requires okhttp3.mockwebserver;
    requires com.fasterxml.jackson.databind;
    requires java.logging;

    exports io.pushcomponent.testkit.fcm;
}
