package io.pushcomponent.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pushcomponent.api.RejectionReason;
import io.pushcomponent.api.metrics.PublishOutcome;
import io.pushcomponent.api.metrics.PushMetricsListener;
import io.pushcomponent.api.metrics.RegistrationChange;
import io.pushcomponent.api.metrics.SendOutcome;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The listener's per-event path: once a combination of label values has occurred, recording it again allocates
 * nothing and looks nothing up in the registry; every combination still lands in its own meter, also when many
 * threads record at once.
 */
class MeterListenerHotPathTest {

    @Test
    void anEventSeenBeforeAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PushMetricsListener listener = MicrometerMetrics.listener(registry);
        // a fresh string each time, as a provider id read from a registration would be: equal, not the same object
        String provider = new String("fcm-http-v1".toCharArray());
        Runnable publish = () -> {
            listener.providerSent(provider, SendOutcome.DELIVERED, null, 1_000);
            listener.publishAnswered(PublishOutcome.DELIVERED, null, provider, null, 2_000);
            listener.publishAnswered(PublishOutcome.REJECTED, "resource-constraint", provider,
                    RejectionReason.QUOTA_EXCEEDED, 3_000);
            listener.publishAnswered(PublishOutcome.REFUSED, "item-not-found", null, null, 4_000);
        };
        for (int i = 0; i < 20_000; i++) {
            publish.run();
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            publish.run();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        // 400,000 events: one object of 16 bytes per event would be 6.4 MB; what is left is the measuring itself
        assertThat(allocated).as("bytes allocated by 400,000 events already seen").isLessThan(4_096);
        assertThat(registry.get(MicrometerMetrics.PUBLISHES).tag("outcome", "delivered").tag("provider", "fcm-http-v1")
                .counter().count()).isEqualTo(120_000);
        assertThat(registry.get(MicrometerMetrics.PUBLISHES).tag("outcome", "refused").tag("provider", "none")
                .tag("condition", "item-not-found").counter().count()).isEqualTo(120_000);
    }

    @Test
    void everyCombinationOfLabelValuesHasItsOwnCounterAlsoUnderConcurrency() throws Exception {
        MeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PushMetricsListener listener = MicrometerMetrics.listener(registry);
        String[] providers = {"apns", "fcm-http-v1", null};
        String[] conditions = {null, "item-not-found", "resource-constraint"};
        RejectionReason[] reasons = {null, RejectionReason.INVALID_TOKEN, RejectionReason.UNAVAILABLE};
        int perThread = 2_000;
        int threadCount = 4;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threadCount; t++) {
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    for (String p : providers) {
                        for (PublishOutcome o : PublishOutcome.values()) {
                            for (String c : conditions) {
                                for (RejectionReason r : reasons) {
                                    listener.publishAnswered(o, c, p, r, 1);
                                }
                            }
                        }
                        if (p != null) {
                            for (SendOutcome o : SendOutcome.values()) {
                                listener.providerSent(p, o, o == SendOutcome.REJECTED
                                        ? RejectionReason.INVALID_TOKEN : null, 1);
                            }
                        }
                        for (RegistrationChange change : RegistrationChange.values()) {
                            listener.registrationChanged(change, p);
                        }
                    }
                }
            });
            workers.add(worker);
            worker.start();
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(worker.isAlive()).isFalse();
        }

        double each = perThread * threadCount;
        for (String p : providers) {
            String provider = p == null ? "none" : p;
            for (PublishOutcome o : PublishOutcome.values()) {
                for (String c : conditions) {
                    for (RejectionReason r : reasons) {
                        Counter counter = registry.get(MicrometerMetrics.PUBLISHES)
                                .tag("provider", provider).tag("outcome", o.name().toLowerCase())
                                .tag("condition", c == null ? "none" : c)
                                .tag("reason", r == null ? "none" : r.name().toLowerCase()).counter();
                        assertThat(counter.count()).as("%s %s %s %s", provider, o, c, r).isEqualTo(each);
                    }
                }
            }
            for (RegistrationChange change : RegistrationChange.values()) {
                assertThat(registry.get(MicrometerMetrics.REGISTRATION_CHANGES).tag("provider", provider)
                        .tag("change", change.name().toLowerCase()).counter().count()).isEqualTo(each);
            }
        }
        assertThat(registry.get(MicrometerMetrics.PROVIDER_SENDS).tag("provider", "apns").tag("outcome", "rejected")
                .tag("reason", "invalid_token").counter().count()).isEqualTo(each);
        assertThat(registry.get(MicrometerMetrics.PROVIDER_LATENCY).tag("provider", "fcm-http-v1").timer().count())
                .isEqualTo((long) each * SendOutcome.values().length);
        assertThat(registry.get(MicrometerMetrics.PUBLISHES).counters())
                .as("one counter per combination, none twice").hasSize(providers.length
                        * PublishOutcome.values().length * conditions.length * reasons.length);
    }
}
