package io.pushcomponent.core.app;

import static io.pushcomponent.core.app.AppServerFixture.JULIET;
import static io.pushcomponent.core.app.AppServerFixture.PUSH;
import static io.pushcomponent.core.app.AppServerFixture.answer;
import static io.pushcomponent.core.app.AppServerFixture.error;
import static io.pushcomponent.core.app.AppServerFixture.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.api.DeliveryResult;
import io.pushcomponent.api.Device;
import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.RejectionReason;
import io.pushcomponent.api.RetryPolicy;
import io.pushcomponent.api.Summary;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.pubsub.PubSub;
import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.StanzaError;
import io.pushcomponent.testkit.FakePushProvider.Outcome;
import io.pushcomponent.testkit.FakePushProvider;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The circuit breaker and the provider-wide {@code Retry-After} pause in front of every provider
 * ({@link CircuitBreakerPolicy}): a provider that is down is answered {@code wait} at once, never {@code cancel}.
 */
class CircuitBreakerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** 3 failures; open for exactly 1 s, then 2 s (no jitter range worth the name at these values' halves). */
    private static final CircuitBreakerPolicy POLICY = new CircuitBreakerPolicy(3,
            RetryPolicy.unlimited(Duration.ofSeconds(1), Duration.ofSeconds(8)), Duration.ofMinutes(1));

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final FakePushProvider scripted = new FakePushProvider();
    private final Providers providers = new Providers(Map.of("fcm-http-v1", scripted), Map.of(),
            Map.of("fcm-http-v1", POLICY), TIMEOUT, clock::get, io.pushcomponent.api.metrics.PushMetricsListener.NONE);
    private final io.pushcomponent.api.PushProvider guarded = providers.provider("fcm-http-v1").orElseThrow();

    private static PushRequest push() {
        return PushRequest.message(Device.of("fcm-http-v1", "device-token-0123456789"), "juliet@capulet.example",
                Summary.EMPTY);
    }

    private DeliveryResult send() {
        return guarded.send(push()).toCompletableFuture().handle((r, e) -> r).getNow(null);
    }

    private void failing(int times) {
        for (int i = 0; i < times; i++) {
            scripted.enqueue(Outcome.failed(new ConnectException("Connection refused")));
        }
    }

    private void advance(Duration d) {
        clock.addAndGet(d.toNanos());
    }

    private ProviderStatus status() {
        return providers.status().get(0);
    }

    @Test
    void afterTheConfiguredTransportFailuresInARowPublishesAreAnsweredAtOnceWithoutASend() {
        failing(3);
        for (int i = 0; i < 3; i++) {
            assertThat(guarded.send(push()).toCompletableFuture()).isCompletedExceptionally();
        }

        DeliveryResult answer = send();

        assertThat(scripted.requests()).as("the open breaker sends nothing").hasSize(3);
        assertThat(answer).as("answered at once").isInstanceOf(DeliveryResult.Rejected.class);
        DeliveryResult.Rejected rejected = (DeliveryResult.Rejected) answer;
        assertThat(rejected.reason()).as("UNAVAILABLE is a wait error and keeps the device")
                .isEqualTo(RejectionReason.UNAVAILABLE);
        assertThat(rejected.detail()).contains("3 transport failures");
        assertThat(status().state()).isEqualTo(ProviderStatus.State.OPEN);
        assertThat(status().isOpen()).isTrue();
        assertThat(status().waitLeft()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aProviderWhoseDevicesEachHaveTheirOwnServiceIsNeverOpenedNorPausedForAll() {
        io.pushcomponent.api.PushProvider isolating = new io.pushcomponent.api.PushProvider() {
            @Override
            public java.util.concurrent.CompletionStage<DeliveryResult> send(PushRequest request) {
                return scripted.send(request);
            }

            @Override
            public boolean isolatesEndpoints() {
                return true;
            }

            @Override
            public void close() {
            }
        };
        Providers own = new Providers(Map.of("webpush", isolating), Map.of(), Map.of("webpush", POLICY), TIMEOUT,
                clock::get, io.pushcomponent.api.metrics.PushMetricsListener.NONE);
        io.pushcomponent.api.PushProvider webPush = own.provider("webpush").orElseThrow();
        failing(5);
        scripted.enqueue(Outcome.result(new DeliveryResult.Rejected(RejectionReason.QUOTA_EXCEEDED, "HTTP 429",
                Duration.ofMinutes(10))));
        scripted.enqueue(Outcome.result(DeliveryResult.Rejected.of(RejectionReason.UNAVAILABLE, "HTTP 503")));
        scripted.enqueue(Outcome.result(new DeliveryResult.Delivered(null)));

        for (int i = 0; i < 8; i++) {
            webPush.send(push());
        }

        assertThat(scripted.requests()).as("one service's failures and Retry-After stop no other device's push")
                .hasSize(8);
        assertThat(own.status().get(0).state()).isEqualTo(ProviderStatus.State.CLOSED);
    }

    @Test
    void perDeviceRejectionsAndSuccessesDoNotOpenTheBreaker() {
        failing(2);
        scripted.enqueue(Outcome.result(DeliveryResult.Rejected.of(RejectionReason.INVALID_TOKEN, "UNREGISTERED")));
        failing(2);
        scripted.enqueue(Outcome.result(DeliveryResult.Rejected.of(RejectionReason.PAYLOAD_TOO_LARGE, "too big")));
        failing(2);

        for (int i = 0; i < 8; i++) {
            send();
        }

        assertThat(scripted.requests()).as("no three transport failures in a row: every publish was sent").hasSize(8);
        assertThat(status().state()).isEqualTo(ProviderStatus.State.CLOSED);
        assertThat(status().consecutiveFailures()).isEqualTo(2);
    }

    @Test
    void unavailableAndLateAnswersCountAsTransportFailures() {
        scripted.enqueue(Outcome.result(DeliveryResult.Rejected.of(RejectionReason.UNAVAILABLE, "HTTP 503")));
        scripted.enqueue(Outcome.result(DeliveryResult.Rejected.of(RejectionReason.UNAVAILABLE, "HTTP 500")));
        CompletableFuture<DeliveryResult> late = new CompletableFuture<>();
        scripted.enqueue(Outcome.answeredBy(late));
        send();
        send();
        guarded.send(push());
        advance(TIMEOUT.plusMillis(1));
        late.complete(new DeliveryResult.Delivered("late"));

        assertThat(status().state()).as("an answer after the provider timeout is a failure").isEqualTo(
                ProviderStatus.State.OPEN);
    }

    @Test
    void aTrialSendAfterTheOpenTimeClosesTheBreakerWhenTheProviderIsBack() {
        failing(3);
        for (int i = 0; i < 3; i++) {
            send();
        }
        advance(Duration.ofMillis(1001));
        CompletableFuture<DeliveryResult> trial = new CompletableFuture<>();
        scripted.enqueue(Outcome.answeredBy(trial));

        CompletableFuture<DeliveryResult> trialAnswer = guarded.send(push()).toCompletableFuture();
        DeliveryResult duringTrial = send();
        ProviderStatus halfOpen = status();
        trial.complete(new DeliveryResult.Delivered("back"));
        DeliveryResult afterTrial = send();

        assertThat(scripted.requests()).as("3 failures, the trial, then normal sends").hasSize(5);
        assertThat(trialAnswer).isCompletedWithValue(new DeliveryResult.Delivered("back"));
        assertThat(duringTrial).as("one trial at a time; others are answered at once")
                .isInstanceOf(DeliveryResult.Rejected.class);
        assertThat(halfOpen.state()).isEqualTo(ProviderStatus.State.HALF_OPEN);
        assertThat(afterTrial).isEqualTo(new DeliveryResult.Delivered(null)); // the provider's own answer, unscripted
        assertThat(status().state()).isEqualTo(ProviderStatus.State.CLOSED);
        assertThat(status().consecutiveFailures()).isZero();
    }

    @Test
    void aFailedTrialOpensTheBreakerAgainForLonger() {
        failing(4);
        for (int i = 0; i < 3; i++) {
            send();
        }
        advance(Duration.ofMillis(1001));
        send();

        assertThat(status().state()).isEqualTo(ProviderStatus.State.OPEN);
        assertThat(status().waitLeft()).as("the second opening lasts between 1 and 2 s")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1)).isLessThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(send()).isInstanceOf(DeliveryResult.Rejected.class);
        assertThat(scripted.requests()).hasSize(4);
    }

    @Test
    void aTrialWithoutAnAnswerWithinTheProviderTimeoutGivesWayToANewTrial() {
        failing(3);
        for (int i = 0; i < 3; i++) {
            send();
        }
        advance(Duration.ofMillis(1001));
        scripted.enqueue(Outcome.never());
        guarded.send(push());
        advance(TIMEOUT.plusMillis(1));

        send();

        assertThat(scripted.requests()).as("the stuck trial does not keep the breaker half-open for ever").hasSize(5);
        assertThat(status().state()).isEqualTo(ProviderStatus.State.CLOSED);
    }

    @Test
    void retryAfterPausesTheWholeProviderUntilItPasses() {
        scripted.enqueue(Outcome.result(new DeliveryResult.Rejected(RejectionReason.QUOTA_EXCEEDED, "HTTP 429",
                Duration.ofSeconds(30))));
        send();

        DeliveryResult paused = send();
        ProviderStatus during = status();
        advance(Duration.ofSeconds(30));
        DeliveryResult after = send();

        assertThat(paused).isInstanceOf(DeliveryResult.Rejected.class);
        assertThat(((DeliveryResult.Rejected) paused).reason()).isEqualTo(RejectionReason.QUOTA_EXCEEDED);
        assertThat(((DeliveryResult.Rejected) paused).detail()).contains("Retry-After");
        assertThat(during.state()).isEqualTo(ProviderStatus.State.PAUSED);
        assertThat(during.waitLeft()).isEqualTo(Duration.ofSeconds(30));
        assertThat(after).isEqualTo(new DeliveryResult.Delivered(null)); // the provider's own answer, unscripted
        assertThat(scripted.requests()).as("nothing was sent during the pause").hasSize(2);
    }

    @Test
    void aRetryAfterLongerThanTheMaximumPauseIsCut() {
        scripted.enqueue(Outcome.result(new DeliveryResult.Rejected(RejectionReason.UNAVAILABLE, "HTTP 503",
                Duration.ofDays(1))));
        send();

        assertThat(status().waitLeft()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void policyIsReadFromAProvidersSettingsAndRemovedBeforeTheFactorySeesThem() {
        ProviderSettings settings = ProviderSettings.of("fcm-http-v1", Map.of("project-id", "p",
                CircuitBreakerPolicy.FAILURES, 7, CircuitBreakerPolicy.OPEN_TIME, "PT2S",
                CircuitBreakerPolicy.MAX_OPEN_TIME, "PT1M", CircuitBreakerPolicy.MAX_PAUSE, "PT10M"));

        CircuitBreakerPolicy policy = CircuitBreakerPolicy.from(settings);

        assertThat(policy).isEqualTo(new CircuitBreakerPolicy(7,
                RetryPolicy.unlimited(Duration.ofSeconds(2), Duration.ofMinutes(1)), Duration.ofMinutes(10)));
        assertThat(CircuitBreakerPolicy.from(ProviderSettings.empty("x"))).isEqualTo(CircuitBreakerPolicy.DEFAULT);
        assertThat(CircuitBreakerPolicy.withoutBreakerSettings(settings).values()).containsOnlyKeys("project-id");
        assertThatThrownBy(() -> CircuitBreakerPolicy.from(ProviderSettings.of("fcm-http-v1",
                Map.of(CircuitBreakerPolicy.FAILURES, 0)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(CircuitBreakerPolicy.FAILURES);
    }

    @Test
    void theBreakerPassesOnEveryMethodAProviderMayOverride() {
        for (java.lang.reflect.Method m : io.pushcomponent.api.PushProvider.class.getMethods()) {
            if (m.isDefault()) {
                assertThat(catchNoSuchMethod(m)).as("GuardedProvider must delegate %s, or the provider's own "
                        + "answer is hidden behind the breaker", m.getName()).isTrue();
            }
        }
    }

    private static boolean catchNoSuchMethod(java.lang.reflect.Method m) {
        try {
            GuardedProvider.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** The whole publish path: the publisher gets {@code wait/resource-constraint}, never {@code cancel}. */
    @Test
    void publishToAProviderWhoseBreakerIsOpenIsAnsweredWaitResourceConstraintWithoutASend() throws Exception {
        FakePushProvider provider = new FakePushProvider();
        try (PushAppServer server = PushAppServer.builder().jid(PUSH).store(new AppServerFixture.CountingStore())
                .provider("fcm-http-v1", provider)
                .circuitBreaker(new CircuitBreakerPolicy(2, RetryPolicy.unlimited(Duration.ofMinutes(1),
                        Duration.ofMinutes(1)), Duration.ofMinutes(5)))
                .build()) {
            String node = register(server, JULIET, "fcm-http-v1", "device-token-0123456789").value("node")
                    .orElseThrow();
            provider.enqueue(Outcome.failed(new IOException("token endpoint refused the connection")));
            provider.enqueue(Outcome.failed(new IOException("token endpoint refused the connection")));
            StanzaError first = error(answer(server, publish(node)));
            error(answer(server, publish(node)));

            CompletableFuture<?> open = server.handle(publish(node)).toCompletableFuture();
            StanzaError atOnce = error((Iq) ((java.util.List<?>) open.get(1, TimeUnit.SECONDS)).get(0));

            assertThat(first.type()).as("a transport failure is a wait error").isEqualTo(StanzaError.Type.WAIT);
            assertThat(open).as("answered on the caller's thread, no provider involved").isDone();
            assertThat(atOnce.type()).isEqualTo(StanzaError.Type.WAIT);
            assertThat(atOnce.condition()).isEqualTo(StanzaError.Condition.RESOURCE_CONSTRAINT);
            assertThat(provider.requests()).hasSize(2);
            assertThat(server.providerStatus()).singleElement().satisfies(s -> {
                assertThat(s.providerId()).isEqualTo("fcm-http-v1");
                assertThat(s.isOpen()).isTrue();
            });
        }
    }

    private static Iq publish(String node) {
        DataForm form = DataForm.submit(io.pushcomponent.core.xml.Namespaces.PUSH_SUMMARY).field("message-count", "1");
        return Iq.set(PUSH, PubSub.publish(node, Notification.of(form))).from("capulet.example");
    }
}
