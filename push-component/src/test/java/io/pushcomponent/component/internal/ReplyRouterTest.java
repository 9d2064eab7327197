package io.pushcomponent.component.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.StanzaCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ReplyRouterTest {
    private final ReplyRouter router = new ReplyRouter("xmpp.example.com:5347", StanzaCodec.create());
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void setUp() {
        logs.start();
        ((Logger) LoggerFactory.getLogger(ReplyRouter.class)).addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        ((Logger) LoggerFactory.getLogger(ReplyRouter.class)).detachAppender(logs);
    }

    /** A connection whose stream is up or down; it keeps what it accepted. */
    private static final class FakeRoute implements ReplyRouter.Route {
        private final List<ReplyRouter.Reply> accepted = new ArrayList<>();
        private boolean up;

        FakeRoute(boolean up) {
            this.up = up;
        }

        @Override
        public boolean offer(ReplyRouter.Reply reply) {
            if (up) {
                accepted.add(reply);
        }
            return up;
        }
    }

    private static List<Stanza> result(String id) {
        return List.of(new Iq().id(id).type(Iq.RESULT).from("push.example.com").to("example.com"));
    }

    @Test
    void aReplyGoesOutOnTheConnectionItsStanzaCameInOn() {
        FakeRoute a = new FakeRoute(true);
        FakeRoute b = new FakeRoute(true);
        router.add(a);
        router.add(b);
        router.send(result("1"), b, () -> { });
        assertThat(b.accepted).hasSize(1);
        assertThat(a.accepted).isEmpty();
        assertThat(router.rerouted()).isZero();
    }

    @Test
    void aReplyWhoseConnectionDroppedGoesOutOnAnotherLiveOne() {
        FakeRoute dropped = new FakeRoute(false);
        FakeRoute live = new FakeRoute(true);
        router.add(dropped);
        router.add(live);
        AtomicInteger done = new AtomicInteger();
        router.send(result("1"), dropped, done::incrementAndGet);
        assertThat(live.accepted).hasSize(1);
        assertThat(live.accepted.get(0).xml()).contains("id='1'").contains("type='result'");
        assertThat(router.rerouted()).isEqualTo(1);
        live.accepted.get(0).written();
        assertThat(done).as("the in-flight slot is released once written, wherever").hasValue(1);
    }

    @Test
    void aReplyHandedBackByAStreamThatBrokeBeforeWritingItIsRerouted() {
        FakeRoute first = new FakeRoute(true);
        FakeRoute second = new FakeRoute(true);
        router.add(first);
        router.add(second);
        router.send(result("1"), first, () -> { });
        first.up = false;
        first.accepted.get(0).notWritten();
        assertThat(second.accepted).hasSize(1);
    }

    @Test
    void lostRepliesAreCountedAndLoggedOncePerOutageNotOncePerStanza() {
        FakeRoute only = new FakeRoute(false);
        router.add(only);
        AtomicInteger done = new AtomicInteger();
        for (int i = 0; i < 100; i++) {
            router.send(result("r" + i), only, done::incrementAndGet);
        }
        assertThat(router.lost()).isEqualTo(100);
        assertThat(done).as("a lost reply still frees its in-flight slot").hasValue(100);
        assertThat(logs.list).as("one line when the outage starts losing replies").hasSize(1);
        only.up = true;
        router.connected();
        assertThat(logs.list).as("and one with their number when a connection is back").hasSize(2);
        assertThat(logs.list.get(1).getFormattedMessage()).contains("100 replies");
        router.connected();
        assertThat(logs.list).as("nothing more while nothing is lost").hasSize(2);
    }

    /**
     * Rule: a reply built in a writer's reused buffer appends exactly what the codec writes for each of its
     * stanzas after what the buffer holds, and a reply that cannot be written appends nothing (it is logged).
     */
    @Test
    void aReplyAppendsExactlyItsStanzasToTheWritersBufferOrNothingWhenItCannotBeWritten() {
        StanzaCodec codec = StanzaCodec.create();
        FakeRoute live = new FakeRoute(true);
        router.add(live);
        Iq first = new Iq().id("a&b").type(Iq.RESULT).from("push.example.com").to("example.com");
        Iq second = new Iq().id("2").type(Iq.ERROR).from("push.example.com").to("example.com");
        router.send(List.of(first, second), live, () -> { });
        router.send(List.of(new Iq().id("3").type(Iq.RESULT).add(new Object())), live, () -> { });
        StringBuilder buffer = new StringBuilder("<earlier/>");

        live.accepted.get(0).appendTo(buffer);
        live.accepted.get(1).appendTo(buffer);

        assertThat(buffer.toString()).isEqualTo("<earlier/>" + codec.write(first) + codec.write(second));
        assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("cannot write the reply"));
    }
}
