package io.pushcomponent.provider.webpush;

import io.pushcomponent.webpush.crypto.Vapid;
import io.pushcomponent.webpush.crypto.VapidKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The {@code Authorization} header per push service (audience), signed once and used until half its validity has
 * passed, so that a push costs an ECDSA signature only a few times a day per push service. At most
 * {@value #MAX_AUDIENCES} push services are kept (endpoints come from clients); beyond that the cache starts over.
 * Thread-safe.
 */
final class VapidTokens {
    static final int MAX_AUDIENCES = 1024;

    private final VapidKeys keys;
    private final String subject;
    private final Duration validity;
    private final Clock clock;
    private final ConcurrentMap<String, Token> tokens = new ConcurrentHashMap<>();

    private record Token(String header, Instant renewAt) {
    }

    VapidTokens(VapidKeys keys, String subject, Duration validity, Clock clock) {
        this.keys = keys;
        this.subject = subject;
        this.validity = validity;
        this.clock = clock;
    }

    /** The header value for a push to {@code audience}. */
    String authorization(String audience) {
        Instant now = clock.instant();
        Token token = tokens.get(audience);
        if (token == null || !now.isBefore(token.renewAt())) {
            if (tokens.size() >= MAX_AUDIENCES) {
                tokens.clear();
            }
            String header = Vapid.header(Vapid.token(keys, audience, now.plus(validity), subject), keys);
            token = new Token(header, now.plus(validity.dividedBy(2)));
            tokens.put(audience, token);
        }
        return token.header();
    }

    /** Forgets the token of {@code audience}, after the push service refused it. */
    void renew(String audience) {
        tokens.remove(audience);
    }

    @Override
    public String toString() {
        return "VapidTokens[audiences=" + tokens.size() + "]";
    }
}
