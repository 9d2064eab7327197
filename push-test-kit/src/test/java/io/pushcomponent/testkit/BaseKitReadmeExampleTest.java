package io.pushcomponent.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.DeliveryResult;
import io.pushcomponent.api.Device;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.RejectionReason;
import io.pushcomponent.api.Summary;
import io.pushcomponent.testkit.FakePushProvider.Outcome;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The example of push-test-kit's README, compiled and run: script, run, verify. */
class BaseKitReadmeExampleTest {

    @Test
    void readmeExample() throws Exception {
        PushRequest request = PushRequest.message(Device.of("fake", "token-0123456789"), "juliet@capulet.lit",
                new Summary(1, null, null, null, null));

        // README example begins
        FakePushProvider provider = new FakePushProvider()
                .enqueue(Outcome.rejected(RejectionReason.INVALID_TOKEN));   // the first push finds a dead token
        DeliveryResult result = codeUnderTest(provider, request);
        assertThat(provider.takeRequest(Duration.ofSeconds(5))).isEqualTo(request);
        assertThat(result).isInstanceOf(DeliveryResult.Rejected.class);
        String prosodyPublish = CapturedStanza.PROSODY_OFFLINE.xml();         // a publish as Prosody sends it
        // README example ends

        assertThat(prosodyPublish).contains("urn:xmpp:push:0");
    }

    /** Stands for the reader's code: it sends one push and waits for the answer. */
    private static DeliveryResult codeUnderTest(PushProvider provider, PushRequest request) throws Exception {
        return provider.send(request).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
}
