package io.pushcomponent.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.api.DeliveryResult;
import io.pushcomponent.api.Device;
import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.api.ProviderSettings;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.RejectionReason;
import io.pushcomponent.api.Summary;
import io.pushcomponent.testkit.FakePushProvider.Outcome;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FakePushProviderTest {
    private static final PushRequest REQUEST = PushRequest.message(Device.of("fake", "token-0123456789"),
            "juliet@example.com", new Summary(1, "romeo@example.net", "hi", null, null));

    @Test
    void recordsRequestsInOrderAndDeliversByDefault() throws Exception {
        FakePushProvider fake = new FakePushProvider();

        DeliveryResult result = fake.send(REQUEST).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(result.isDelivered()).isTrue();
        assertThat(fake.takeRequest(Duration.ofSeconds(5))).isEqualTo(REQUEST);
        assertThat(fake.pollRequest(Duration.ofMillis(10))).as("each request is taken once").isNull();
        assertThat(fake.requests()).containsExactly(REQUEST);
    }

    @Test
    void scriptedOutcomesApplyInOrder() throws Exception {
        FakePushProvider fake = new FakePushProvider()
                .enqueue(Outcome.rejected(RejectionReason.INVALID_TOKEN))
                .enqueue(Outcome.failed(new IOException("connection reset")))
                .enqueue(Outcome.rejected(RejectionReason.QUOTA_EXCEEDED, Duration.ofSeconds(3)));

        var first = fake.send(REQUEST).toCompletableFuture().get(5, TimeUnit.SECONDS);
        CompletableFuture<DeliveryResult> second = fake.send(REQUEST).toCompletableFuture();
        var third = fake.send(REQUEST).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(first).isInstanceOfSatisfying(DeliveryResult.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(RejectionReason.INVALID_TOKEN));
        assertThatThrownBy(() -> second.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IOException.class);
        assertThat(third).isInstanceOfSatisfying(DeliveryResult.Rejected.class,
                r -> assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(3)));
        assertThat(fake.send(REQUEST).toCompletableFuture().get(5, TimeUnit.SECONDS).isDelivered())
                .as("after the script runs out, pushes are delivered").isTrue();
    }

    @Test
    void anExactResultAndAStageTheTestCompletesAreAnsweredAsGiven() throws Exception {
        DeliveryResult.Rejected exact = new DeliveryResult.Rejected(RejectionReason.UNAVAILABLE, "HTTP 503",
                Duration.ofSeconds(7));
        CompletableFuture<DeliveryResult> held = new CompletableFuture<>();
        FakePushProvider fake = new FakePushProvider().enqueue(Outcome.result(exact)).enqueue(Outcome.answeredBy(held));

        var first = fake.send(REQUEST).toCompletableFuture().get(5, TimeUnit.SECONDS);
        CompletableFuture<DeliveryResult> second = fake.send(REQUEST).toCompletableFuture();

        assertThat(first).as("detail and retry-after exactly as scripted").isEqualTo(exact);
        assertThat(second).as("in flight until the test completes it").isNotDone();
        held.complete(new DeliveryResult.Delivered("late"));
        assertThat(second).isCompletedWithValue(new DeliveryResult.Delivered("late"));
    }

    @Test
    void advertisesTheFeaturesAndPayloadLimitItWasGiven() {
        assertThat(new FakePushProvider().features()).isEmpty();
        assertThat(new FakePushProvider().maxPayloadSize()).as("does not say").isZero();

        FakePushProvider fake = FakePushProvider.advertising(Set.of("urn:example:feature"), 4096);

        assertThat(fake.features()).containsExactly("urn:example:feature");
        assertThat(fake.maxPayloadSize()).isEqualTo(4096);
        assertThatThrownBy(() -> FakePushProvider.advertising(Set.of(), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void delayedOutcomeDoesNotBlockTheCaller() throws Exception {
        FakePushProvider fake = new FakePushProvider()
                .enqueue(Outcome.delayed(Duration.ofMillis(200), Outcome.delivered()));

        CompletableFuture<DeliveryResult> f = fake.send(REQUEST).toCompletableFuture();

        assertThat(f).as("send returns before the delayed outcome").isNotDone();
        assertThat(f.get(5, TimeUnit.SECONDS).isDelivered()).isTrue();
    }

    @Test
    void takeRequestFailsClearlyWhenNothingArrives() {
        assertThatThrownBy(() -> new FakePushProvider().takeRequest(Duration.ofMillis(20)))
                .isInstanceOf(AssertionError.class).hasMessage("no push request arrived within PT0.02S");
    }

    @Test
    void configuredInstanceIsReachableByNameThroughDiscovery() {
        var factory = ProviderRegistry.discover(getClass().getClassLoader()).factory("fake");

        var created = factory.create(ProviderSettings.of("fake", Map.of("name", "discovery-test")));

        assertThat(FakePushProvider.named("discovery-test")).isSameAs(created);
        assertThatThrownBy(() -> factory.create(ProviderSettings.of("fake", Map.of("nmae", "typo"))))
                .hasMessageContaining("unknown setting 'nmae'");
    }

    @Test
    void countingProviderCountsSendsButKeepsNoRequest() throws Exception {
        FakePushProvider fake = FakePushProvider.counting()
                .enqueue(Outcome.rejected(RejectionReason.INVALID_TOKEN));

        DeliveryResult first = fake.send(REQUEST).toCompletableFuture().get(5, TimeUnit.SECONDS);
        DeliveryResult second = fake.send(REQUEST).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(first.isDelivered()).as("scripted outcomes still apply when not recording").isFalse();
        assertThat(second.isDelivered()).isTrue();
        assertThat(fake.requestCount()).as("every send is counted").isEqualTo(2);
        assertThat(fake.requests()).as("a counting provider keeps no request, so memory stays flat").isEmpty();
        assertThat(fake.pollRequest(Duration.ofMillis(10))).isNull();
    }

    @Test
    void recordSettingFalseCreatesACountingProvider() throws Exception {
        var factory = ProviderRegistry.discover(getClass().getClassLoader()).factory("fake");

        var created = factory.create(ProviderSettings.of("fake", Map.of("name", "load-test", "record", false)));
        created.send(REQUEST).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(FakePushProvider.named("load-test").requestCount()).isEqualTo(1);
        assertThat(FakePushProvider.named("load-test").requests()).as("record = false keeps nothing").isEmpty();
    }

    @Test
    void sendAfterCloseFails() {
        FakePushProvider fake = new FakePushProvider();
        fake.close();
        assertThat(fake.send(REQUEST).toCompletableFuture()).isCompletedExceptionally();
    }
}
