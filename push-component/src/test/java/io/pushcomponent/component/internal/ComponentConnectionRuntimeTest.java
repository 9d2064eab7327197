package io.pushcomponent.component.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.core.xml.XmlLimits;
import io.pushcomponent.testkit.xmpp.FakeXmppServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The connection's runtime layers against {@link FakeXmppServer}: the writer that alone owns the socket, the
 * in-flight limit, liveness and replies rerouted to another connection.
 */
class ComponentConnectionRuntimeTest {
    private static final String JID = "push.localhost";
    private static final String SECRET = "component-secret-123";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final StanzaCodec codec = StanzaCodec.create();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService providerLoop = Executors.newSingleThreadExecutor(r -> new Thread(r, "provider-loop"));
    private final List<ComponentConnection> connections = new ArrayList<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private FakeXmppServer server;

    @BeforeEach
    void setUp() {
        server = FakeXmppServer.start(JID, SECRET);
        logs.start();
        ((Logger) LoggerFactory.getLogger(ComponentConnection.class)).addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        connections.forEach(ComponentConnection::close);
        server.close();
        timer.shutdownNow();
        providerLoop.shutdownNow();
        ((Logger) LoggerFactory.getLogger(ComponentConnection.class)).detachAppender(logs);
    }

    private ComponentConnection.Settings settings(Duration minDelay, Duration keepAlive, Duration pingTimeout,
                                                  int maxInFlight) {
        return new ComponentConnection.Settings(JID, server.host(), server.port(), SECRET, keepAlive, minDelay,
                minDelay.multipliedBy(2), WAIT, Duration.ofSeconds(5), XmlLimits.DEFAULT, pingTimeout, maxInFlight, ComponentTransport.plain(),
                Duration.ofMillis(200));
    }

    private ComponentConnection start(ComponentConnection.Settings settings, StanzaHandler handler) {
        ComponentConnection c = new ComponentConnection("test-" + connections.size(), settings, handler, codec,
                timer);
        connections.add(c);
        c.start();
        return c;
    }

    private static String disco(String id) {
        return "<iq type='get' id='" + id + "' from='localhost' to='push.localhost'>"
                + "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>";
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes. */
    private static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** The value of {@code counter} once it has not moved for {@code quiet} (within {@link #WAIT}). */
    private static int settled(AtomicInteger counter, Duration quiet) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int last = counter.get();
        long since = System.nanoTime();
        while (System.nanoTime() - since < quiet.toNanos()) {
            assertThat(System.nanoTime()).as("the count settles within " + WAIT).isLessThan(deadline);
            Thread.sleep(5);
            int now = counter.get();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            }
        }
        return last;
    }

    private String logText() {
        List<ILoggingEvent> events;
        synchronized (logs) {
            events = List.copyOf(logs.list);
        }
        return events.stream().map(ILoggingEvent::getFormattedMessage).reduce("", (a, b) -> a + "\n" + b);
    }

    @Test
    void aServerThatStopsReadingNeverBlocksTheProvidersThreadAndTheQueueStaysBounded() throws Exception {
        String body = "b".repeat(16 * 1024);
        AtomicInteger completed = new AtomicInteger();
        ComponentConnection connection = start(settings(Duration.ofMillis(100), WAIT, WAIT, 64), stanza ->
                CompletableFuture.supplyAsync(() -> {
                    completed.incrementAndGet();
                    Iq iq = (Iq) stanza;
                    return List.<Stanza>of(iq.resultReply(), new Message().from(JID).to(iq.from()).body(body));
                }, providerLoop));
        FakeXmppServer.Connection c = server.awaitConnection(WAIT);
        c.stopReading();
        int requests = 1000;
        Thread sender = new Thread(() -> {
            for (int i = 0; i < requests; i++) {
                c.send(disco("s" + i));
            }
        }, "server-sender");
        sender.setDaemon(true);
        sender.start();

        int reserve = InFlightLimit.of(64).cpuMax();
        assertThat(await(() -> connection.inFlight() >= reserve, WAIT)).as("replies pile up behind the full socket"
                + " until the connection's reserve for stanzas waiting to be parsed or written is full").isTrue();
        int completedAtLimit = settled(completed, Duration.ofMillis(500));
        assertThat(completedAtLimit).as("the connection stopped reading: TCP holds the rest").isLessThan(requests);
        assertThat(providerLoop.submit(() -> true).get(1, TimeUnit.SECONDS)).as("the provider's thread completed"
                + " every reply without blocking on the stuck socket and is free for other work").isTrue();
        assertThat(connection.inFlight()).as("stanzas read and not answered stay within the in-flight limit (those"
                + " read while others waited for the provider join the reserve's once answered)")
                .isLessThanOrEqualTo(64);
        assertThat(connection.queueDepth()).as("the writer's queue is bounded by the in-flight limit")
                .isLessThanOrEqualTo(64);

        c.resumeReading();
        int answers = 0;
        while (answers < requests) {
            String s = server.takeStanza(WAIT);
            if (s.startsWith("<iq")) {
                assertThat(s).as("once the server reads again, each request is answered: a result, or a wait error"
                        + " when the burst finds too many waiting for the provider")
                        .containsAnyOf("type='result'", "<resource-constraint");
                answers++;
            }
        }
        String s;
        while ((s = server.pollStanza(Duration.ofMillis(300))) != null) {
            assertThat(s).as("each request is answered once").doesNotStartWith("<iq");
        }
        sender.join(WAIT.toMillis());
    }

    @Test
    void anOverloadHoveringAtTheThresholdIsLoggedOnceNotOncePerStanza() throws Exception {
        List<CompletableFuture<List<Stanza>>> held = new ArrayList<>();
        ComponentConnection connection = start(settings(Duration.ofMillis(100), WAIT, WAIT, 16), stanza -> {
            CompletableFuture<List<Stanza>> f = new CompletableFuture<>();
            synchronized (held) {
                held.add(f);
            }
            return f.thenApply(ignored -> List.of(((Iq) stanza).resultReply()));
        });
        FakeXmppServer.Connection c = server.awaitConnection(WAIT);
        int shedAt = connection.limit().shedAt();
        for (int i = 0; i <= shedAt; i++) {
            c.send(disco("h" + i));
        }
        assertThat(server.takeStanza(WAIT)).contains("<resource-constraint");
        for (int round = 0; round < 3; round++) {
            int expected = shedAt + round + 1;
            synchronized (held) {
                held.get(round).complete(List.of());
            }
            assertThat(server.takeStanza(WAIT)).contains("type='result'");
            c.send(disco("x" + round));
            assertThat(await(() -> {
                synchronized (held) {
                    return held.size() == expected;
                }
            }, WAIT)).as("one place freed: the next request is handled").isTrue();
            c.send(disco("y" + round));
            assertThat(server.takeStanza(WAIT)).as("and the one after is shed again").contains("<resource-constraint");
        }
        assertThat(logText().split("overloaded:", -1)).as("one episode, one line: the state does not flip with"
                + " every stanza while the waiting work stays near the threshold").hasSize(2);
        assertThat(logText()).doesNotContain("overload over");
        synchronized (held) {
            held.forEach(f -> f.complete(List.of()));
        }
    }

    @Test
    void requestsBeyondWhatMayWaitForProvidersAreAnsweredAtOnceWithWaitResourceConstraint() throws Exception {
        List<CompletableFuture<List<Stanza>>> held = new ArrayList<>();
        ComponentConnection connection = start(settings(Duration.ofMillis(100), WAIT, WAIT, 16), stanza -> {
            CompletableFuture<List<Stanza>> f = new CompletableFuture<>();
            synchronized (held) {
                held.add(f);
            }
            return f.thenApply(ignored -> List.of(((Iq) stanza).resultReply()));
        });
        FakeXmppServer.Connection c = server.awaitConnection(WAIT);
        int shedAt = connection.limit().shedAt();
        for (int i = 0; i < shedAt + 3; i++) {
            c.send(disco("h" + i));
        }
        for (int i = 0; i < 3; i++) {
            String s = server.takeStanza(WAIT);
            assertThat(s).as("a request over the limit gets a wait error at once (the server keeps the device)")
                    .contains("type='error'").contains("<error type='wait'>").contains("<resource-constraint");
        }
        assertThat(connection.shed()).isEqualTo(3);
        assertThat(logText()).contains("overloaded");
        // a request counts as waiting for the handler just before the handler sees it: wait until all have
        assertThat(await(() -> {
            synchronized (held) {
                return held.size() == shedAt;
            }
        }, WAIT)).as("the requests within the limit all reached the handler").isTrue();
        synchronized (held) {
            held.forEach(f -> f.complete(List.of()));
        }
        for (int i = 0; i < shedAt; i++) {
            assertThat(server.takeStanza(WAIT)).contains("type='result'");
        }
        c.send(disco("after"));
        assertThat(await(() -> {
            synchronized (held) {
                return held.size() == shedAt + 1;
            }
        }, WAIT)).as("normal handling resumes as soon as the load drops").isTrue();
        synchronized (held) {
            held.forEach(f -> f.complete(List.of()));
        }
        assertThat(server.takeStanza(WAIT)).contains("id='after'").contains("type='result'");
    }

    @Test
    void aServerThatKeepsTcpOpenButStopsAnsweringIsDroppedAndReconnected() throws Exception {
        ComponentConnection connection = start(settings(Duration.ofMillis(50), Duration.ofMillis(100),
                Duration.ofMillis(200), 64), stanza -> CompletableFuture.completedFuture(List.of()));
        FakeXmppServer.Connection first = server.awaitConnection(WAIT);
        server.setSilent(true);
        long silentSince = System.nanoTime();
        FakeXmppServer.Connection second = server.awaitConnection(WAIT);
        Duration took = Duration.ofNanos(System.nanoTime() - silentSince);
        server.setSilent(false);
        assertThat(second).isNotSameAs(first);
        assertThat(took).as("found within idle time + ping timeout + back-off, not never").isLessThan(WAIT);
        assertThat(logText()).as("the log says why the connection was dropped")
                .contains("answered nothing, not even a ping to localhost");
        assertThat(await(() -> !first.isOpen(), WAIT)).as("the silent connection was closed").isTrue();
        assertThat(connection.awaitConnected(WAIT)).isTrue();
    }

    @Test
    void aReplyWhoseConnectionDroppedGoesOutOnAnotherLiveConnection() throws Exception {
        ConcurrentLinkedQueue<CompletableFuture<List<Stanza>>> held = new ConcurrentLinkedQueue<>();
        StanzaHandler handler = stanza -> {
            CompletableFuture<List<Stanza>> f = new CompletableFuture<>();
            held.add(f);
            return f.thenApply(ignored -> List.of(((Iq) stanza).resultReply()));
        };
        List<ComponentConnection> group = ComponentConnection.group(List.of("a", "b"),
                settings(Duration.ofSeconds(5), WAIT, WAIT, 64), handler, codec, timer);
        connections.addAll(group);
        group.forEach(ComponentConnection::start);
        FakeXmppServer.Connection a = server.awaitConnection(WAIT);
        server.awaitConnection(WAIT);
        a.send(disco("moved"));
        assertThat(await(() -> !held.isEmpty(), WAIT)).isTrue();
        ComponentConnection origin = group.stream().filter(c -> c.inFlight() == 1).findFirst().orElseThrow();
        a.drop();
        assertThat(await(() -> !origin.isConnected(), WAIT)).isTrue();
        held.forEach(f -> f.complete(List.of()));
        assertThat(server.takeStanza(WAIT)).as("the server routes replies by address, so the other stream carries"
                + " it").contains("id='moved'").contains("type='result'");
        assertThat(origin.router().rerouted()).isEqualTo(1);
        assertThat(origin.router().lost()).isZero();
    }

    @Test
    void aStanzaWithNothingElseToReadIsHandledOnTheReaderThreadAStanzaWithMoreWaitingOnAParserThread()
            throws Exception {
        ConcurrentLinkedQueue<String> threads = new ConcurrentLinkedQueue<>();
        ComponentConnection connection = start(settings(Duration.ofMillis(100), WAIT, WAIT, 1024), stanza -> {
            threads.add(Thread.currentThread().getName());
            return CompletableFuture.completedFuture(List.of(((Iq) stanza).resultReply()));
        });
        FakeXmppServer.Connection c = server.awaitConnection(WAIT);
        assertThat(connection.awaitConnected(WAIT)).isTrue();

        for (int i = 0; i < 3; i++) {
            c.send(disco("alone-" + i));
            assertThat(server.takeStanza(WAIT)).contains("id='alone-" + i + "'").contains("type='result'");
        }
        assertThat(threads).as("one stanza at a time: each handled by the reader, no hand-off")
                .containsOnly("push-test-0");

        threads.clear();
        StringBuilder burst = new StringBuilder();
        int n = 200;
        for (int i = 0; i < n; i++) {
            burst.append(disco("burst-" + i));
        }
        c.send(burst.toString());
        for (int i = 0; i < n; i++) {
            assertThat(server.takeStanza(WAIT)).contains("type='result'");
        }
        assertThat(threads).as("stanzas framed while more input waited went to the parser threads").hasSize(n)
                .anyMatch(name -> name.startsWith("push-test-0-parse-"));
    }
}
