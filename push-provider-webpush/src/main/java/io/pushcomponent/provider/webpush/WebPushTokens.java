package io.pushcomponent.provider.webpush;

import io.pushcomponent.api.Device;
import io.pushcomponent.webpush.crypto.PushSubscription;
import io.pushcomponent.webpush.crypto.WebPushCryptoException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * What a Web Push registration's {@code device-token} must be: the browser's subscription as
 * {@code JSON.stringify(subscription)} writes it, with an {@code https} endpoint on a public host. Endpoints come from
 * clients; unless {@code allow-local-endpoints} is set, plain {@code http}, {@code localhost} and loopback, private,
 * link-local and unspecified address literals are refused, so that a client cannot make the component post to the
 * machine's or its network's own services. Host names are checked when a push is sent ({@link #resolvesToLocal}),
 * since DNS could answer differently later.
 *
 * <p>Stateless.
 */
final class WebPushTokens {
    private WebPushTokens() {
    }

    /** Resolves a host name to its addresses; the provider's is the JVM's ({@link #SYSTEM}). */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** The JVM's resolver, through its address cache. */
    static final Resolver SYSTEM = InetAddress::getAllByName;

    /** The subscription a token holds, or why it holds none; the reason never quotes the token. */
    record Parsed(PushSubscription subscription, String problem) {
    }

    /** Reads a token and applies the endpoint policy. */
    static Parsed parse(String token, boolean allowLocalEndpoints) {
        PushSubscription subscription;
        try {
            subscription = PushSubscription.fromJson(token);
        } catch (WebPushCryptoException e) {
            return new Parsed(null, "the 'device-token' is not a Web Push subscription, the JSON of the browser's "
                    + "PushSubscription ({\"endpoint\": ..., \"keys\": {\"p256dh\": ..., \"auth\": ...}}): "
                    + e.getMessage());
        }
        if (!allowLocalEndpoints) {
            URI endpoint = URI.create(subscription.endpoint());
            if (!"https".equalsIgnoreCase(endpoint.getScheme())) {
                return new Parsed(null, "the subscription's endpoint is not an https URL");
            }
            if (isLocal(endpoint.getHost())) {
                return new Parsed(null, "the subscription's endpoint is a local or private address, which this "
                        + "service does not push to");
            }
        }
        return new Parsed(subscription, null);
    }

    /** Why {@code device}'s token is no usable subscription; empty when it is one. */
    static Optional<String> check(Device device, boolean allowLocalEndpoints) {
        return Optional.ofNullable(parse(device.token(), allowLocalEndpoints).problem());
    }

    private static boolean isLocal(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        boolean literal = h.contains(":") || h.chars().allMatch(c -> c == '.' || Character.isDigit(c));
        if (!literal) {
            return false;
        }
        try {
            return isLocal(InetAddress.getByName(h));
        } catch (UnknownHostException e) {
            return true;
        }
    }

    /** Loopback, private (RFC 1918, IPv6 unique local), link-local, unspecified or multicast. */
    private static boolean isLocal(InetAddress address) {
        byte[] bytes = address.getAddress();
        boolean uniqueLocalV6 = bytes.length == 16 && (bytes[0] & 0xFE) == 0xFC;
        return address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress() || uniqueLocalV6;
    }

    /**
     * Why the endpoint's host name must not be pushed to now: it resolves to a local or private address (a name
     * such as {@code 127.0.0.1.nip.io}, or one whose owner points it at the component's network); empty when every
     * address it resolves to is public, or when it does not resolve (the send then fails as any unreachable push
     * service does). Resolved right before each send; with {@link #SYSTEM}, through the JVM's address cache, which
     * the HTTP client's own look-up then reads, so within the cache's lifetime (30 s by default) the client connects
     * to what was checked. Blocks for the look-up: call it on the provider's own threads.
     */
    static Optional<String> resolvesToLocal(String host, Resolver resolver) {
        try {
            for (InetAddress address : resolver.resolve(host)) {
                if (isLocal(address)) {
                    return Optional.of("the subscription's endpoint host resolves to a local or private address, "
                            + "which this service does not push to");
                }
            }
            return Optional.empty();
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
