package io.pushcomponent.api.store;

import io.pushcomponent.api.Device;
import io.pushcomponent.api.PublishSecret;
import io.pushcomponent.api.Redaction;
import java.time.Instant;
import java.util.Objects;

/**
 * A device registered at the app server through {@code register-device}: the pubsub node the user's server
 * publishes to, and where pushes for it go.
 *
 * @param node      the pubsub node; random, unguessable, unique
 * @param device    provider, token(s), app and environment
 * @param owner     bare JID of the account that registered the device; only it may unregister
 * @param secret    the publish secret: as issued to the client in what {@link DeviceRegistrationStore#register} returns,
 *                  in {@link PublishSecret#stored stored form} (a hash) in what stores find; compare a publish's
 *                  secret with {@link PublishSecret#matches}; {@code null} when none was issued
 * @param createdAt when the registration was first made
 * @see <a href="https://xmpp.org/extensions/xep-0357.html#enabling">XEP-0357 §5 Enabling Notifications</a>
 */
public record DeviceRegistration(String node, Device device, String owner, String secret, Instant createdAt) {
    public DeviceRegistration {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    @Override
    public String toString() {
        return "DeviceRegistration[node=" + node + ", device=" + device + ", owner=" + owner
                + ", secret=" + Redaction.secret(secret) + ", createdAt=" + createdAt + "]";
    }
}
