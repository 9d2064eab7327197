package io.pushcomponent.benchmark;

import io.pushcomponent.api.Device;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.testkit.CapturedStanza;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;

/**
 * What every benchmark publishes and looks up: the publish Prosody 0.12 with {@code mod_cloud_notify} sent for an
 * offline account (verbatim as captured), and registrations whose nodes and secrets match it.
 *
 * <p>Stateless and thread-safe.
 */
public final class Fixtures {
    /** The node in the captured publish. */
    public static final String CAPTURED_NODE = "harness-node-1";
    /** The publish-options secret in the captured publish; every fixture registration carries it. */
    public static final String CAPTURED_SECRET = "harness-secret-1";
    /** The component JID the captured publish is addressed to. */
    public static final String COMPONENT_JID = "push.localhost";
    /** The provider id of {@code FakePushProvider}. */
    public static final String FAKE_PROVIDER = "fake";

    /** Prosody 0.12.3 + mod_cloud_notify, account offline: wire bytes as captured. */
    public static final String PROSODY_PUBLISH = CapturedStanza.PROSODY_OFFLINE.xml();

    private static final int ID_START = PROSODY_PUBLISH.indexOf("id='") + 4;
    private static final int ID_END = PROSODY_PUBLISH.indexOf('\'', ID_START);
    private static final int NODE_START = PROSODY_PUBLISH.indexOf(CAPTURED_NODE);
    private static final String BEFORE_ID = PROSODY_PUBLISH.substring(0, ID_START);
    private static final String ID_TO_NODE = PROSODY_PUBLISH.substring(ID_END, NODE_START);
    private static final String AFTER_NODE = PROSODY_PUBLISH.substring(NODE_START + CAPTURED_NODE.length());
    /** Keeps fixture nodes apart from the store benchmark's, so both sets can share one database. */
    private static final long NODE_SALT = 0x5DEECE66DL;
    private static final HexFormat HEX = HexFormat.of();
    private static final Instant CREATED = Instant.parse("2026-11-24T00:00:00Z");

    private Fixtures() {
    }

    /** The captured Prosody publish with its {@code id} and node replaced; everything else byte for byte. */
    public static String prosodyPublish(String id, String node) {
        return BEFORE_ID + id + ID_TO_NODE + node + AFTER_NODE;
    }

    /** The node of fixture registration {@code i}: 128 bits of hex, like the app server's, the same on every call. */
    public static String node(int i) {
        return HEX.toHexDigits(mix(i ^ NODE_SALT)) + HEX.toHexDigits(mix(~i ^ NODE_SALT));
    }

    /** Fixture registration {@code i}: a {@code fake} device with an FCM-length token, the captured secret. */
    public static DeviceRegistration registration(int i) {
        return registration(i, FAKE_PROVIDER);
    }

    /** Fixture registration {@code i} for provider {@code providerId}: an FCM-length token, the captured secret. */
    public static DeviceRegistration registration(int i, String providerId) {
        String token = String.format(Locale.ROOT, "%016x", mix(i ^ 0x5bd1e995)).repeat(10);
        return new DeviceRegistration(node(i), Device.of(providerId, token), "user" + i + "@localhost",
                CAPTURED_SECRET, CREATED);
    }

    /** Registers fixture registrations {@code [0, count)} in {@code store}. */
    public static void register(DeviceRegistrationStore store, int count) {
        for (int i = 0; i < count; i++) {
            store.register(registration(i));
        }
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
