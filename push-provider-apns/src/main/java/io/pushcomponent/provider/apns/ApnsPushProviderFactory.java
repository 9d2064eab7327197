package io.pushcomponent.provider.apns;

import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushProviderFactory;
import java.util.Optional;
import java.util.Set;

/**
 * Creates Apple Push Notification service providers (pushy over HTTP/2) under provider id {@value #ID}, from the
 * artifact {@value #ARTIFACT}. Other ids clients send for it are their dialects' aliases.
 *
 * <p>Authentication is either a certificate ({@value #CERT_FILE} + {@value #CERT_PASSWORD}, as Tigase's
 * {@code apns-binary-api} is configured) or a token key ({@value #KEY_FILE} + {@value #TEAM_ID} +
 * {@value #KEY_ID}). The top-level settings describe the default app (the one a registration without an app id
 * uses); block {@value #APPS} adds more apps (bundle ids) side by side, each inheriting the top-level credentials
 * unless it sets its own. The module's {@code README.md} lists every key with its default.
 *
 * <p>Stateless and thread-safe; discovered through {@link java.util.ServiceLoader}.
 *
 * @see <a href="https://developer.apple.com/documentation/usernotifications/sending-notification-requests-to-apns">
 * Sending notification requests to APNs</a>
 */
public final class ApnsPushProviderFactory implements PushProviderFactory {
    /** The canonical provider id. */
    public static final String ID = "apns";
    /** The Maven coordinates of this provider's artifact. */
    public static final String ARTIFACT = "io.pushcomponent:push-provider-apns";

    /** Setting: bundle id of the default app; taken from the certificate's {@code UID} when unset. */
    public static final String TOPIC = "topic";
    /** Setting: PKCS#12 file with the APNs client certificate and its private key (certificate auth). */
    public static final String CERT_FILE = "cert-file";
    /** Setting: password of {@link #CERT_FILE}. */
    public static final String CERT_PASSWORD = "cert-password";
    /** Setting: the {@code .p8} signing key file (token auth). */
    public static final String KEY_FILE = "key-file";
    /** Setting: the Apple developer team id that goes with {@link #KEY_FILE}. */
    public static final String TEAM_ID = "team-id";
    /** Setting: the key id of {@link #KEY_FILE}. */
    public static final String KEY_ID = "key-id";
    /** Setting: {@code true} to send every push of the app to the sandbox (development) environment. */
    public static final String SANDBOX = "sandbox";
    /**
     * Setting: more apps. A block of blocks named by bundle id, each taking {@link #APP_KEYS}, or a list of bundle
     * ids that share the top-level credentials.
     */
    public static final String APPS = "apps";
    /** Setting: concurrent HTTP/2 connections per app and environment (default: number of CPUs). */
    public static final String POOL_SIZE = "pool-size";
    /** Setting: how long APNs keeps trying to deliver a message or badge push (default {@code P1D}). */
    public static final String EXPIRATION = "expiration";
    /** Setting: how long APNs keeps trying to deliver a call push (default {@code PT30S}). */
    public static final String CALL_EXPIRATION = "call-expiration";
    /** Setting: alert text when the notification carries no body (default {@code New message}). */
    public static final String ALERT_BODY = "alert-body";
    /** Setting: alert text of a call sent as an alert because the device has no VoIP token (default {@code Incoming call}). */
    public static final String CALL_ALERT_BODY = "call-alert-body";
    /** Setting: how often a push refused as overloaded or unavailable is tried again (default 3). */
    public static final String RETRY_ATTEMPTS = "retry-attempts";
    /**
     * Setting: the longest wait before trying again, doubled on each attempt from half of it to all of it (default
     * {@code PT0.5S}).
     */
    public static final String RETRY_BACKOFF = "retry-backoff";
    /** Setting: the cap on the wait before trying again (default {@code PT2S}, or {@value #RETRY_BACKOFF} if longer). */
    public static final String MAX_RETRY_DELAY = "max-retry-delay";
    /**
     * Setting: how long a TCP connection to APNs may take to open (default {@code PT1S}); a host that does not answer
     * fails the sends waiting for it after this long.
     */
    public static final String CONNECT_TIMEOUT = "connect-timeout";
    /** Setting, for tests and proxies: the production host (default {@code api.push.apple.com}). */
    public static final String APNS_HOST = "apns-host";
    /** Setting, for tests and proxies: the production port (default 443). */
    public static final String APNS_PORT = "apns-port";
    /** Setting, for tests and proxies: the sandbox host (default {@code api.sandbox.push.apple.com}). */
    public static final String APNS_SANDBOX_HOST = "apns-sandbox-host";
    /** Setting, for tests and proxies: the sandbox port (default 443). */
    public static final String APNS_SANDBOX_PORT = "apns-sandbox-port";
    /** Setting, for tests and proxies: a PEM file of CA certificates to trust instead of the JDK's. */
    public static final String TRUSTED_CA_FILE = "trusted-ca-file";

    /** The keys an app block inside {@link #APPS} takes. */
    /**
     * Setting (top level: every app's default; or per app): the sender JID passed on in the payload ({@code sender},
     * and the alert title when there is no nickname): {@code bare} (the default; servers send the sender's full
     * JID, resource included) or {@code full}, as the server sent it.
     */
    public static final String SENDER_JID = "sender-jid";
    /**
     * Setting (top level: every app's default; or per app): what a notification without anything to show becomes
     * (an empty notification, ejabberd's without body, any wake-up): {@code background} (the default: a
     * {@code content-available} background push, which iOS throttles to a few an hour) or {@code alert} (a
     * {@code mutable-content} alert showing {@value #ALERT_BODY} as a placeholder, which the app's notification service
     * extension replaces; delivered at once, for apps that fetch their messages from such an extension). Badge clears
     * ({@code message-count} 0) stay background pushes.
     */
    public static final String WAKE_UP = "wake-up";
    /** {@value #WAKE_UP} value: a background push. */
    public static final String WAKE_UP_BACKGROUND = "background";
    /** {@value #WAKE_UP} value: a mutable-content alert with a placeholder. */
    public static final String WAKE_UP_ALERT = "alert";

    public static final Set<String> APP_KEYS = Set.of(CERT_FILE, CERT_PASSWORD, KEY_FILE, TEAM_ID, KEY_ID, SANDBOX,
            SENDER_JID, WAKE_UP);

    private static final Set<String> KEYS = Set.of(TOPIC, CERT_FILE, CERT_PASSWORD, KEY_FILE, TEAM_ID, KEY_ID,
            SANDBOX, APPS, POOL_SIZE, EXPIRATION, CALL_EXPIRATION, ALERT_BODY, CALL_ALERT_BODY, RETRY_ATTEMPTS,
            RETRY_BACKOFF, MAX_RETRY_DELAY, CONNECT_TIMEOUT, APNS_HOST, APNS_PORT, APNS_SANDBOX_HOST, APNS_SANDBOX_PORT,
            TRUSTED_CA_FILE, SENDER_JID, WAKE_UP);

    /** For {@link java.util.ServiceLoader}. */
    public ApnsPushProviderFactory() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Optional<String> artifact() {
        return Optional.of(ARTIFACT);
    }

    @Override
    public Set<String> settingKeys() {
        return KEYS;
    }

    /**
     * Reads the credentials, checks certificate expiry (a warning 30 days ahead) and prepares one pushy client per
     * set of credentials and environment; connections open on first use.
     *
     * @throws IllegalArgumentException when a setting is missing or wrong, or a credentials file cannot be read; the
     *                                  message names the key and never contains a password or key material
     */
    @Override
    public PushProvider create(ProviderSettings settings) {
        settings.requireKnownKeys(KEYS);
        return new ApnsPushProvider(ApnsConfig.from(settings));
    }
}
