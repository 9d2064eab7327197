package io.pushcomponent.unifiedpush.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.stanza.StanzaError;
import io.pushcomponent.unifiedpush.UnifiedPushSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The distributor's rules, each test naming one: endpoints are stateless tokens that survive a restart on the same
 * store, a post becomes a {@code <push/>} IQ to the client's full JID with the base64 body, the client's
 * {@code item-not-found} or {@code feature-not-implemented} revokes (410), other errors are temporary (503), and the
 * RFC 8030 limits (413, 429 per endpoint, Urgency) hold.
 */
class DistributorTest {
    private static final String JID = "juliet@capulet.example/Conversations.r4nD";
    /** Conversations' attributes: base64 of SHA-256 hashes (from the 'up' protocol description). */
    private static final String APPLICATION = "bK3sdmrbtj3bf6XA2S12b8jJUA5TT1dhPEyeoZfVSRM=";
    private static final String INSTANCE = "EtD/1XPLmoIph7W73CZ/uyv6FAnhEAXY1GySHX17vAw=";
    private static final URI URL = URI.create("https://push.example.net/up");

    private final DeviceRegistrationStore store = Stores.inMemoryDeviceStore();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T18:00:00Z"));
    private Distributor distributor = new Distributor(settings(60, 1024), store, clock);
    private final LinkedBlockingQueue<Iq> relayed = new LinkedBlockingQueue<>();

    private static UnifiedPushSettings settings(int perMinute, int maxWaiting) {
        return new UnifiedPushSettings(URL, Duration.ofDays(7), perMinute, Duration.ofSeconds(5), maxWaiting);
    }

    @AfterEach
    void close() {
        distributor.close();
        store.close();
    }

    /** A relay whose client answers with {@code answer}. */
    private BiFunction<Iq, Duration, CompletionStage<Iq>> client(Function<Iq, Iq> answer) {
        return (iq, timeout) -> {
            relayed.add(iq);
            return CompletableFuture.completedFuture(answer.apply(iq));
        };
    }

    private BiFunction<Iq, Duration, CompletionStage<Iq>> answering() {
        return client(iq -> iq.resultReply().from(iq.to()));
    }

    private BiFunction<Iq, Duration, CompletionStage<Iq>> failing(StanzaError.Condition condition) {
        return client(iq -> iq.errorReply(StanzaError.of(condition, null)).from(iq.to()));
    }

    private String register(String jid) throws Exception {
        Iq request = Iq.set("up.push.example.net", new UpElements.Register(APPLICATION, INSTANCE));
        request.from(jid);
        List<Stanza> out = distributor.register(request, APPLICATION, INSTANCE).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        Iq answer = (Iq) out.get(0);
        assertThat(answer.type()).as("registered").isEqualTo(Iq.RESULT);
        UpElements.Registered registered = (UpElements.Registered) answer.payload().orElseThrow();
        assertThat(registered.endpoint()).startsWith(URL + "/");
        return registered.endpoint().substring(URL.toString().length() + 1);
    }

    private Distributor.Answer post(String token, String body, BiFunction<Iq, Duration, CompletionStage<Iq>> relay)
            throws Exception {
        return post(token, null, body.getBytes(StandardCharsets.UTF_8), relay);
    }

    private Distributor.Answer post(String token, String urgency, byte[] body,
                                    BiFunction<Iq, Duration, CompletionStage<Iq>> relay) throws Exception {
        return distributor.post(token, "60", urgency, body, relay).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void registerAnswersAnEndpointThatExpiresAfterTheLifetimeAndHidesTheJid() throws Exception {
        Iq request = Iq.set("up.push.example.net", new UpElements.Register(APPLICATION, INSTANCE));
        request.from(JID);
        Iq answer = (Iq) distributor.register(request, APPLICATION, INSTANCE).toCompletableFuture()
                .get(5, TimeUnit.SECONDS).get(0);

        UpElements.Registered registered = (UpElements.Registered) answer.payload().orElseThrow();
        assertThat(registered.expiration()).as("now + 7 days, ISO 8601").isEqualTo("2026-12-12T18:00:00Z");
        assertThat(registered.endpoint()).as("the JID is sealed, not readable").doesNotContain("juliet")
                .doesNotContain("capulet").hasSizeLessThan(1000);
    }

    @Test
    void registerRefusesABareJidAndAttributesThatAreNotBase64Of32Bytes() throws Exception {
        for (String[] bad : new String[][] {{"juliet@capulet.example", APPLICATION, INSTANCE},
                {JID, "not base64!", INSTANCE}, {JID, APPLICATION, "c2hvcnQ="}, {JID, APPLICATION, null}}) {
            Iq request = Iq.set("up.push.example.net", new UpElements.Register(bad[1], bad[2]));
            request.from(bad[0]);
            Iq answer = (Iq) distributor.register(request, bad[1], bad[2]).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS).get(0);
            assertThat(answer.error().map(StanzaError::condition)).as(String.join(" ", String.valueOf(bad[0]),
                    String.valueOf(bad[1]), String.valueOf(bad[2]))).contains(StanzaError.Condition.BAD_REQUEST);
        }
    }

    @Test
    void aPostIsRelayedToTheFullJidAsPushWithTheBase64BodyAndAnswered201() throws Exception {
        String token = register(JID);
        byte[] body = new byte[4096];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }

        Distributor.Answer answer = post(token, "high", body, answering());

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.headers()).containsEntry("TTL", "0").containsKey("Location");
        assertThat(answer.headers().get("Location")).startsWith(URL + "/message/");
        Iq push = relayed.poll(5, TimeUnit.SECONDS);
        assertThat(push.to()).isEqualTo(JID);
        assertThat(push.type()).isEqualTo(Iq.SET);
        UpElements.Push element = (UpElements.Push) push.payload().orElseThrow();
        assertThat(element.application()).isEqualTo(APPLICATION);
        assertThat(element.instance()).isEqualTo(INSTANCE);
        assertThat(Base64.getDecoder().decode(element.content())).as("exactly the body").isEqualTo(body);
    }

    @Test
    void itemNotFoundAndFeatureNotImplementedFromTheClientRevokeTheEndpoint() throws Exception {
        for (StanzaError.Condition condition : List.of(StanzaError.Condition.ITEM_NOT_FOUND,
                StanzaError.Condition.FEATURE_NOT_IMPLEMENTED)) {
            String token = register(JID);
            assertThat(post(token, "m", failing(condition)).status()).as(condition + " answered").isEqualTo(410);
            relayed.clear();
            assertThat(post(token, "m", answering()).status()).as("revoked after " + condition).isEqualTo(410);
            assertThat(relayed).as("nothing relayed to a revoked endpoint").isEmpty();
            assertThat(store.revokedAt(EndpointToken.subject(JID, APPLICATION, INSTANCE))).as("in the store")
                    .isPresent();
            clock.advance(Duration.ofSeconds(1));
            assertThat(post(register(JID), "m", answering()).status()).as("a new registration works")
                    .isEqualTo(201);
        }
    }

    @Test
    void otherErrorsAndNoAnswerAreTemporaryAndRevokeNothing() throws Exception {
        String token = register(JID);
        Distributor.Answer offline = post(token, "m", failing(StanzaError.Condition.SERVICE_UNAVAILABLE));
        assertThat(offline.status()).isEqualTo(503);
        assertThat(offline.headers()).containsKey("Retry-After");
        assertThat(offline.body()).contains("temporary").contains("service-unavailable");

        Distributor.Answer timedOut = post(token, "m",
                (iq, timeout) -> CompletableFuture.failedFuture(new TimeoutException()));
        assertThat(timedOut.status()).isEqualTo(503);
        assertThat(timedOut.body()).contains("did not answer in time");

        assertThat(post(token, "m", answering()).status()).as("still valid").isEqualTo(201);
    }

    @Test
    void unregisterRevokesEveryEndpointIssuedBeforeIt() throws Exception {
        String token = register(JID);
        Iq request = Iq.set("up.push.example.net", new UpElements.Unregister(APPLICATION, INSTANCE));
        request.from(JID);
        Iq answer = (Iq) distributor.unregister(request, APPLICATION, INSTANCE).toCompletableFuture()
                .get(5, TimeUnit.SECONDS).get(0);
        assertThat(answer.type()).isEqualTo(Iq.RESULT);

        assertThat(post(token, "m", answering()).status()).isEqualTo(410);
        clock.advance(Duration.ofMillis(1));
        assertThat(post(register(JID), "m", answering()).status()).as("registered again").isEqualTo(201);
        String other = register("juliet@capulet.example/another-device");
        assertThat(post(other, "m", answering()).status()).as("another resource's endpoint").isEqualTo(201);
    }

    @Test
    void anEndpointIssuedBeforeARestartWorksAfterItOnTheSameStoreOnly() throws Exception {
        String token = register(JID);
        distributor.close();
        distributor = new Distributor(settings(60, 1024), store, clock);

        assertThat(post(token, "m", answering()).status()).as("same store: same key").isEqualTo(201);

        try (DeviceRegistrationStore otherStore = Stores.inMemoryDeviceStore();
             Distributor elsewhere = new Distributor(settings(60, 1024), otherStore, clock)) {
            assertThat(elsewhere.post(token, null, null, new byte[] {1}, answering()).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS).status()).as("another key: unknown").isEqualTo(404);
        }
    }

    @Test
    void expiredAlteredAndUnknownTokensAreRefused() throws Exception {
        String token = register(JID);
        assertThat(post("garbage", "m", answering()).status()).isEqualTo(404);
        char last = token.charAt(token.length() - 2);
        String altered = token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A')
                + token.charAt(token.length() - 1);
        assertThat(post(altered, "m", answering()).status()).as("altered: the tag no longer matches")
                .isEqualTo(404);

        clock.advance(Duration.ofDays(7));
        assertThat(post(token, "m", answering()).status()).as("expired").isEqualTo(410);
        assertThat(relayed).isEmpty();
    }

    @Test
    void bodiesOver4096BytesEmptyBodiesAndBadHeadersAreRefused() throws Exception {
        String token = register(JID);
        assertThat(post(token, null, new byte[4097], answering()).status()).isEqualTo(413);
        assertThat(post(token, null, new byte[0], answering()).status()).isEqualTo(400);
        assertThat(post(token, "urgent", new byte[1], answering()).status()).isEqualTo(400);
        assertThat(distributor.post(token, "-1", null, new byte[1], answering()).toCompletableFuture()
                .get(5, TimeUnit.SECONDS).status()).as("TTL").isEqualTo(400);
        assertThat(relayed).isEmpty();
    }

    @Test
    void eachEndpointHasItsOwnRateLimit() throws Exception {
        distributor.close();
        distributor = new Distributor(settings(3, 1024), store, clock);
        String busy = register(JID);
        String quiet = register("romeo@montague.example/phone");
        for (int i = 0; i < 3; i++) {
            assertThat(post(busy, "m", answering()).status()).isEqualTo(201);
        }
        Distributor.Answer limited = post(busy, "m", answering());
        assertThat(limited.status()).isEqualTo(429);
        assertThat(Long.parseLong(limited.headers().get("Retry-After"))).as("a token every 20 s")
                .isBetween(1L, 20L);
        assertThat(post(quiet, "m", answering()).status()).as("another endpoint is not limited").isEqualTo(201);
    }

    @Test
    void lowUrgencyMessagesAreRefusedFirstWhenManyWaitForTheirClients() throws Exception {
        distributor.close();
        distributor = new Distributor(settings(60, 8), store, clock);
        BiFunction<Iq, Duration, CompletionStage<Iq>> silent = (iq, timeout) -> {
            relayed.add(iq);
            return new CompletableFuture<>();
        };
        String[] tokens = new String[12];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = register("user" + i + "@capulet.example/d");
        }
        relay(tokens[0], "very-low", silent);
        relay(tokens[1], "very-low", silent);
        assertThat(distributor.waiting()).isEqualTo(2);
        assertThat(post(tokens[2], "very-low", new byte[1], silent).status()).as("very-low: a quarter of 8")
                .isEqualTo(503);
        relay(tokens[3], "low", silent);
        relay(tokens[4], "low", silent);
        assertThat(post(tokens[5], "low", new byte[1], silent).status()).as("low: half").isEqualTo(503);
        relay(tokens[6], "normal", silent);
        relay(tokens[7], null, silent);
        relay(tokens[8], "normal", silent);
        assertThat(distributor.waiting()).isEqualTo(7);
        assertThat(post(tokens[9], "normal", new byte[1], silent).status()).as("normal: 90 %").isEqualTo(503);
        relay(tokens[10], "high", silent);
        assertThat(distributor.waiting()).as("high: up to the limit").isEqualTo(8);
        assertThat(post(tokens[11], "high", new byte[1], silent).status()).as("at the limit").isEqualTo(503);
    }

    /**
     * A client that never answers holds at most two messages of its endpoint waiting (so at most two of the HTTP
     * listener's threads); further posts to it get 429 while other endpoints are served.
     */
    @Test
    void aSilentClientHoldsAtMostTwoMessagesOfItsEndpoint() throws Exception {
        BiFunction<Iq, Duration, CompletionStage<Iq>> silent = (iq, timeout) -> {
            relayed.add(iq);
            return new CompletableFuture<>();
        };
        String stuck = register(JID);
        relay(stuck, null, silent);
        relay(stuck, null, silent);

        Distributor.Answer third = post(stuck, null, new byte[1], silent);

        assertThat(third.status()).isEqualTo(429);
        assertThat(third.headers()).containsKey("Retry-After");
        assertThat(post(register("romeo@montague.example/phone"), "m", answering()).status())
                .as("another endpoint").isEqualTo(201);
    }

    /** Posts and waits until the message was handed to the relay (so it counts as waiting). */
    private void relay(String token, String urgency, BiFunction<Iq, Duration, CompletionStage<Iq>> relay)
            throws InterruptedException {
        distributor.post(token, null, urgency, new byte[1], relay);
        assertThat(relayed.poll(5, TimeUnit.SECONDS)).as("relayed").isNotNull();
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
