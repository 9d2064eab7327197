package io.pushcomponent.monal.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.PushKind;
import io.pushcomponent.api.PushPriority;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.RejectionReason;
import io.pushcomponent.core.app.PushAppServer;
import io.pushcomponent.core.dialect.AppServerDialect;
import io.pushcomponent.core.dialect.Dialect;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.monal.MonalDialect;
import io.pushcomponent.monal.StatelessSettings;
import io.pushcomponent.monal.StatelessSettings.PushModule;
import io.pushcomponent.testkit.FakePushProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stateless mode behind a real {@link PushAppServer}: publishes as Prosody's mod_cloud_notify sends them for a
 * client that enabled push the way Monal does (node = APNs device token, {@code pushModule} in the publish-options).
 */
class StatelessPublishesTest {
    private static final String PUSH = "push.example.com";
    private static final String TOKEN = "a1b2c3d4e5f60718".repeat(4);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final FakePushProvider apns = new FakePushProvider();
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private PushAppServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    /**
     * What Prosody's mod_cloud_notify publishes for Monal's {@code <enable/>}: the summary form with message-count 1
     * and Monal's publish-options echoed.
     */
    static String prosodyPublish(String id, String node, String pushModule) {
        String options = pushModule == null ? "" : "<publish-options><x xmlns='jabber:x:data' type='submit'>"
                + "<field var='FORM_TYPE'><value>http://jabber.org/protocol/pubsub#publish-options</value></field>"
                + "<field var='pushModule'><value>" + pushModule + "</value></field></x></publish-options>";
        return "<iq type='set' id='" + id + "' from='example.com' to='" + PUSH + "'>"
                + "<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='" + node + "'><item>"
                + "<notification xmlns='urn:xmpp:push:0'><x xmlns='jabber:x:data' type='form'>"
                + "<field var='FORM_TYPE' type='hidden'><value>urn:xmpp:push:summary</value></field>"
                + "<field var='message-count' type='text-single'><value>1</value></field></x></notification>"
                + "</item></publish>" + options + "</pubsub></iq>";
    }

    private static StatelessSettings settings() {
        return StatelessSettings.of(Map.of("monalProdiOS", new PushModule("apns", "im.monal.prod", false),
                "monalProdiOS-sandbox", new PushModule("apns", "im.monal.prod", true)), null);
    }

    private void start(StatelessSettings settings) {
        StatelessPublishes publishes = new StatelessPublishes(settings, clock::get);
        start(new Dialect() {
            @Override
            public String id() {
                return MonalDialect.ID;
            }

            @Override
            public AppServerDialect appServer() {
                return publishes;
            }
        });
    }

    private void start(Dialect dialect) {
        server = PushAppServer.builder().jid(PUSH).store(Stores.inMemoryDeviceStore()).provider("apns", apns)
                .dialect(dialect).build();
    }

    private String handle(String xml) {
        try {
            List<String> out = server.handleXml(xml).toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(out).as("exactly the answer to the publish").hasSize(1);
            return out.get(0);
        } catch (Exception e) {
            throw new AssertionError("no answer within " + WAIT, e);
        }
    }

    @Test
    void aPublishToATokenGoesToTheAppItsPushModuleNamesAsAVisiblePush() {
        start(settings());

        String answer = handle(prosodyPublish("p1", TOKEN, "monalProdiOS-sandbox"));

        assertThat(answer).contains("type='result'").contains("id='p1'");
        PushRequest sent = apns.takeRequest(WAIT);
        assertThat(sent.device().token()).as("the node is the device token").isEqualTo(TOKEN);
        assertThat(sent.device().appId()).isEqualTo("im.monal.prod");
        assertThat(sent.device().sandbox()).as("the -sandbox module's environment").isTrue();
        assertThat(sent.kind()).as("Monal's notification service extension needs an alert").isEqualTo(PushKind.MESSAGE);
        assertThat(sent.priority()).isEqualTo(PushPriority.HIGH);
        assertThat(sent.summary().messageCount()).isEqualTo(1);
    }

    @Test
    void offByDefaultTheDiscoveredDialectLeavesTheNodeToTheRegistrations() {
        start(new MonalDialect());

        String answer = handle(prosodyPublish("p1", TOKEN, "monalProdiOS"));

        assertThat(answer).contains("type='error'").contains("<item-not-found").contains("no such push node");
        assertThat(apns.requestCount()).isZero();
    }

    @Test
    void aPushModuleThatIsNotConfiguredIsItemNotFoundWithoutAPush() {
        start(settings());

        String answer = handle(prosodyPublish("p1", TOKEN, "quicksyProdiOS"));

        assertThat(answer).contains("type='cancel'").contains("<item-not-found").contains("quicksyProdiOS");
        assertThat(apns.requestCount()).isZero();
    }

    @Test
    void withoutPushModuleTheDefaultModuleServesTokensAndOtherNodesStayTheCores() {
        start(StatelessSettings.of(Map.of("monalProdiOS", new PushModule("apns", null, false)), "monalProdiOS"));

        assertThat(handle(prosodyPublish("p1", TOKEN, null))).contains("type='result'");
        assertThat(handle(prosodyPublish("p2", "registered-node-1", null)))
                .as("a short node is a registration's node, served by the core").contains("no such push node");
        assertThat(handle(prosodyPublish("p3", TOKEN, null).replace("</pubsub>", "<publish-options>"
                + "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'>"
                + "<value>http://jabber.org/protocol/pubsub#publish-options</value></field>"
                + "<field var='secret'><value>s3cret</value></field></x></publish-options></pubsub>")))
                .as("a publish with a registration's secret is the core's").contains("no such push node");

        assertThat(apns.takeRequest(WAIT).device().token()).isEqualTo(TOKEN);
        assertThat(apns.requestCount()).isEqualTo(1);
    }

    /** fpush refuses a token the provider said is dead for a while (24 h by default) without asking again. */
    @Test
    void aDeadTokenIsRefusedWithoutAPushUntilTheBlockIsOver() {
        start(settings().withRateLimit(Duration.ZERO).withDeadTokenBlock(Duration.ofHours(24)));
        apns.enqueue(FakePushProvider.Outcome.rejected(RejectionReason.INVALID_TOKEN));

        String first = handle(prosodyPublish("p1", TOKEN, "monalProdiOS"));
        String second = handle(prosodyPublish("p2", TOKEN, "monalProdiOS"));
        long sentWhileBlocked = apns.requestCount();
        clock.addAndGet(Duration.ofHours(24).toNanos());
        String afterTheBlock = handle(prosodyPublish("p3", TOKEN, "monalProdiOS"));

        assertThat(first).as("the provider's word: the device is gone").contains("type='cancel'")
                .contains("<item-not-found");
        assertThat(second).contains("type='cancel'").contains("<item-not-found")
                .contains("no longer valid");
        assertThat(sentWhileBlocked).as("the blocked token is not sent again").isEqualTo(1);
        assertThat(afterTheBlock).contains("type='result'");
        assertThat(apns.requestCount()).isEqualTo(2);
    }

    @Test
    void aDeadTokenOfOneModuleIsNotRefusedForAnother() {
        start(settings().withRateLimit(Duration.ZERO));
        apns.enqueue(FakePushProvider.Outcome.rejected(RejectionReason.INVALID_TOKEN));

        handle(prosodyPublish("p1", TOKEN, "monalProdiOS"));

        assertThat(handle(prosodyPublish("p2", TOKEN, "monalProdiOS-sandbox"))).contains("type='result'");
    }

    /**
     * fpush's rate limit: a push within the limit after the last is answered at once with a result and sent when the
     * limit is over; one more before then is answered with a result and dropped.
     */
    @Test
    void withinTheRateLimitOnePushIsHeldBackAndFurtherOnesDroppedAllAnsweredWithAResult() {
        start(settings());

        assertThat(handle(prosodyPublish("p1", TOKEN, "monalProdiOS"))).contains("type='result'");
        clock.addAndGet(Duration.ofSeconds(19).plusMillis(800).toNanos());
        long before = System.nanoTime();
        assertThat(handle(prosodyPublish("p2", TOKEN, "monalProdiOS"))).as("held back, answered at once")
                .contains("type='result'");
        assertThat(handle(prosodyPublish("p3", TOKEN, "monalProdiOS"))).as("dropped, answered at once")
                .contains("type='result'");

        apns.takeRequest(WAIT);
        assertThat(apns.takeRequest(WAIT)).as("the held-back push goes out when the limit is over").isNotNull();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(apns.pollRequest(Duration.ofMillis(500))).as("the dropped push is never sent").isNull();
    }

    @Test
    void onlyTheAllowedPublishersMayPublish() {
        start(settings().withAllowedPublishers(List.of("monal.example")));

        assertThat(handle(prosodyPublish("p1", TOKEN, "monalProdiOS"))).contains("type='auth'")
                .contains("<forbidden");
        assertThat(apns.requestCount()).isZero();
    }

    @Test
    void aNodeLongerThanAnyTokenIsABadRequest() {
        start(settings());

        assertThat(handle(prosodyPublish("p1", "a".repeat(513), "monalProdiOS"))).contains("type='modify'")
                .contains("<bad-request");
        assertThat(apns.requestCount()).isZero();
    }
}
