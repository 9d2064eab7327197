package io.pushcomponent.provider.webpush;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.Device;
import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.webpush.crypto.UserAgentKeys;
import io.pushcomponent.webpush.crypto.VapidKeys;
import java.nio.file.Path;
import java.util.Map;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device token of a Web Push registration is the browser's subscription JSON, with an https endpoint on a public
 * host: checked at {@code register-device}, before anything is stored.
 */
class WebPushTokensTest {
    private static final UserAgentKeys BROWSER = UserAgentKeys.generate();

    @TempDir
    Path dir;

    private Map<String, Object> settings(boolean allowLocal) throws Exception {
        return Map.of(WebPushProviderFactory.VAPID_KEY_FILE,
                WebPushProviderTest.keyFile(dir, VapidKeys.generate()).toString(),
                WebPushProviderFactory.VAPID_SUBJECT, "mailto:a@example.com",
                WebPushProviderFactory.ALLOW_LOCAL_ENDPOINTS, allowLocal);
    }

    private String check(String token, boolean allowLocal) throws Exception {
        try (PushProvider provider = new WebPushProviderFactory().create(ProviderSettings.of("webpush", settings(allowLocal)))) {
            return provider.checkTokens(Device.of("webpush", token)).orElse(null);
        }
    }

    private static String subscription(String endpoint) {
        return BROWSER.subscription(endpoint).toJson();
    }

    @Test
    void theSubscriptionsOfTheBigPushServicesAreAccepted() throws Exception {
        assertThat(check(subscription("https://fcm.googleapis.com/fcm/send/dpH5lCsTSSM:APA91bHqjZxM"), false)).isNull();
        assertThat(check(subscription("https://updates.push.services.mozilla.com/wpush/v2/gAAAAABh"), false)).isNull();
        assertThat(check(subscription("https://web.push.apple.com/QGuQyavXutnMH"), false)).isNull();
        assertThat(check(subscription("https://wns2-par02p.notify.windows.com/w/?token=BQYAAAD"), false)).isNull();
    }

    @Test
    void somethingElseThanASubscriptionIsRefusedWithoutQuotingIt() throws Exception {
        assertThat(check("c2VjcmV0LWRldmljZS10b2tlbg", false)).contains("not a Web Push subscription")
                .doesNotContain("c2VjcmV0LWRldmljZS10b2tlbg");
        assertThat(check("{\"endpoint\":\"https://push.example.net/x\"}", false)).contains("keys");
    }

    @Test
    void plainHttpAndLocalAddressesAreRefusedUnlessAllowed() throws Exception {
        for (String endpoint : new String[] {"http://push.example.net/x", "https://localhost/x", "https://127.0.0.1/x",
                "https://10.0.0.5/x", "https://192.168.1.1:8443/x", "https://169.254.169.254/latest", "https://[::1]/x",
                "https://[fd00::1]/x", "https://0.0.0.0/x"}) {
            assertThat(check(subscription(endpoint), false)).as(endpoint).isNotNull();
            assertThat(check(subscription(endpoint), true)).as(endpoint + " with allow-local-endpoints").isNull();
        }
    }

    @Test
    void aHostNameIsRefusedWhenItResolvesToALocalAddressAtSendTime() throws Exception {
        for (String address : new String[] {"127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.0.2", "169.254.169.254",
                "0.0.0.0", "224.0.0.1", "::1", "fd12:3456::1", "fe80::1"}) {
            WebPushTokens.Resolver resolver = host -> new InetAddress[] {
                    InetAddress.getByName("93.184.216.34"), InetAddress.getByName(address)};
            assertThat(WebPushTokens.resolvesToLocal("push.attacker.example", resolver))
                    .as("a name one of whose addresses is %s: a client could make the component post to its own "
                            + "network through it", address)
                    .hasValueSatisfying(problem -> assertThat(problem).contains("resolves to a local or private"));
        }
        assertThat(WebPushTokens.resolvesToLocal("fcm.googleapis.com",
                host -> new InetAddress[] {InetAddress.getByName("142.250.185.74")})).isEmpty();
        assertThat(WebPushTokens.resolvesToLocal("nowhere.example", host -> {
            throw new UnknownHostException(host);
        })).as("a name that does not resolve fails as an unreachable push service, later").isEmpty();
    }
}
