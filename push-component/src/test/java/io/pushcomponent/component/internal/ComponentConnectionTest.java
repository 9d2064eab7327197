package io.pushcomponent.component.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.core.xml.XmlLimits;
import io.pushcomponent.testkit.xmpp.FakeXmppServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ComponentConnectionTest {
    private static final String JID = "push.localhost";
    private static final String SECRET = "component-secret-123";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String DISCO = "<iq type='get' id='disco-1' from='localhost' to='push.localhost'>"
            + "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>";

    private final StanzaCodec codec = StanzaCodec.create();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
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
        ((Logger) LoggerFactory.getLogger(ComponentConnection.class)).detachAppender(logs);
    }

    private ComponentConnection connect(String secret, StanzaHandler handler, Duration minDelay, Duration maxDelay) {
        return connect(secret, handler, minDelay, maxDelay, Duration.ofSeconds(30));
    }

    private ComponentConnection connect(String secret, StanzaHandler handler, Duration minDelay, Duration maxDelay,
                                        Duration keepAlive) {
        ComponentConnection.Settings settings = new ComponentConnection.Settings(JID, server.host(), server.port(),
                secret, keepAlive, minDelay, maxDelay, WAIT, Duration.ofSeconds(5), XmlLimits.DEFAULT, WAIT, 4096, ComponentTransport.plain(),
                Duration.ofMillis(200));
        ComponentConnection c = new ComponentConnection("test-" + connections.size(), settings, handler, codec,
                timer);
        connections.add(c);
        c.start();
        return c;
    }

    private ComponentConnection connect(StanzaHandler handler) {
        return connect(SECRET, handler, Duration.ofMillis(100), Duration.ofMillis(500));
    }

    private static CompletionStage<List<Stanza>> answerRequests(Stanza stanza) {
        return CompletableFuture.completedFuture(stanza instanceof Iq iq && iq.isRequest()
                ? List.of(iq.resultReply()) : List.of());
    }

    /**
     * The connection thread keeps logging while a test reads; {@code ListAppender} appends under its own monitor
     * ({@code AppenderBase.doAppend} is synchronized), so the list is copied under that monitor.
     */
    private String logText() {
        List<ILoggingEvent> events;
        synchronized (logs) {
            events = List.copyOf(logs.list);
        }
        return events.stream().map(ILoggingEvent::getFormattedMessage).reduce("", (a, b) -> a + "\n" + b);
    }

    @Test
    void handshakeIsAcceptedAndRepliesAreWrittenInTheStreamsDefaultNamespace() {
        connect(ComponentConnectionTest::answerRequests);
        FakeXmppServer.Connection c = server.awaitConnection(WAIT);
        c.send(DISCO);
        String reply = server.takeStanza(WAIT);
        assertThat(reply).as("an iq request is answered").startsWith("<iq").contains("id='disco-1'")
                .contains("type='result'");
        assertThat(reply).as("a stanza on a component stream inherits jabber:component:accept; Prosody ignores"
                + " stanzas written as jabber:client").doesNotContain("jabber:client").doesNotContain("xmlns='jabber");
    }

    @Test
    void wrongSecretIsAClearErrorAndBacksOffInsteadOfLoopingTightly() {
        server.setSecret("the-server-expects-another-secret");
        long start = System.nanoTime();
        connect(SECRET, ComponentConnectionTest::answerRequests, Duration.ofMillis(200), Duration.ofSeconds(5));
        server.awaitRejectedHandshakes(3, WAIT);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertThat(elapsed).as("three attempts are separated by at least half of 200 ms and of 400 ms (back-off"
                + " with jitter), never retried at once").isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(logText()).as("the log names the condition and what to check")
                .contains("<not-authorized/>").contains("'secret' does not match");
        assertThat(logText()).as("the secret never appears in logs").doesNotContain(SECRET);
    }

    @Test
    void droppedConnectionIsReconnectedAndServesAgainWithinTheBackoffBound() {
        ComponentConnection connection = connect(ComponentConnectionTest::answerRequests);
        server.awaitConnection(WAIT);
        server.dropConnections();
        long dropped = System.nanoTime();
        FakeXmppServer.Connection again = server.awaitConnection(WAIT);
        Duration took = Duration.ofNanos(System.nanoTime() - dropped);
        again.send(DISCO);
        assertThat(server.takeStanza(WAIT)).as("the new stream serves requests").contains("type='result'");
        assertThat(connection.isConnected()).isTrue();
        assertThat(took).as("the first reconnect waits at most the first back-off step (100 ms) plus connecting")
                .isLessThan(WAIT);
    }

    @Test
    void idleConnectionPingsTheServerAndStaysUpWhileItAnswers() {
        ComponentConnection connection = connect(SECRET, ComponentConnectionTest::answerRequests,
                Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofMillis(50));
        server.awaitConnection(WAIT);
        server.awaitPings(3, WAIT);
        assertThat(server.streamsOpened()).as("a server that answers its pings keeps its stream").isEqualTo(1);
        assertThat(connection.isConnected()).isTrue();
        assertThat(server.pollStanza(Duration.ZERO)).as("pings go to the server, not to a user").isNull();
    }

    @Test
    void commentsAndProcessingInstructionsEndTheStreamWithRestrictedXml() {
        connect(ComponentConnectionTest::answerRequests);
        server.awaitConnection(WAIT).send("<!-- a comment -->");
        assertThat(server.takeStanza(WAIT)).as("RFC 6120 §11.1: a comment is restricted XML")
                .contains("<stream:error>").contains("<restricted-xml");
        server.awaitConnection(WAIT).send("<?target data?>");
        assertThat(server.takeStanza(WAIT)).as("RFC 6120 §11.1: a processing instruction is restricted XML")
                .contains("<restricted-xml");
    }

    @Test
    void entityReferenceInAStanzaIsRefusedWithRestrictedXml() {
        connect(ComponentConnectionTest::answerRequests);
        server.awaitConnection(WAIT).send("<iq type='get' id='e1' from='localhost' to='push.localhost'>"
                + "<query xmlns='jabber:iq:version'>&xxe;</query></iq>");
        List<String> received = new ArrayList<>();
        String s;
        while ((s = server.pollStanza(Duration.ofSeconds(2))) != null) {
            received.add(s);
        }
        assertThat(String.join("\n", received)).as("an undeclared entity is never expanded; the stream ends with"
                + " restricted-xml (RFC 6120 §11.1)").contains("<stream:error>").contains("<restricted-xml");
    }

    @Test
    void commentInsideAStanzaEndsTheStreamWithRestrictedXml() {
        connect(ComponentConnectionTest::answerRequests);
        server.awaitConnection(WAIT).send("<iq type='get' id='c1' from='localhost' to='push.localhost'>"
                + "<query xmlns='http://jabber.org/protocol/disco#info'><!-- hidden --></query></iq>");
        List<String> received = new ArrayList<>();
        String s;
        while ((s = server.pollStanza(Duration.ofSeconds(2))) != null) {
            received.add(s);
        }
        assertThat(String.join("\n", received)).as("RFC 6120 §11.1: a comment inside a stanza is restricted XML;"
                + " the stream ends with restricted-xml").contains("<stream:error>").contains("<restricted-xml");
    }

    @Test
    void oversizedStanzaIsAnsweredWithAStanzaErrorAndTheStreamStaysUp() {
        ComponentConnection connection = connect(ComponentConnectionTest::answerRequests);
        FakeXmppServer.Connection c = server.awaitConnection(WAIT);
        String body = "x".repeat(XmlLimits.DEFAULT.maxStanzaChars() + 1024);
        c.send("<iq type='set' id='big-1' from='user@localhost/a' to='push.localhost'><query xmlns='urn:x'>" + body
                + "</query></iq>");
        String reply = server.takeStanza(WAIT);
        assertThat(reply).as("an oversized IQ request gets modify/policy-violation (RFC 6120 §8.3.3.12) built from"
                + " its start tag").contains("id='big-1'").contains("type='error'").contains("to='user@localhost/a'")
                .contains("<policy-violation").contains("type='modify'").doesNotContain("<stream:error");
        c.send(DISCO);
        assertThat(server.takeStanza(WAIT)).as("one user's oversized stanza does not cut the stream for all")
                .contains("id='disco-1'").contains("type='result'");
        assertThat(connection.isConnected()).isTrue();
        assertThat(server.streamsOpened()).as("no reconnect").isEqualTo(1);
    }

    @Test
    void gracefulShutdownAnswersTheStanzaInFlightBeforeClosingTheStream() throws Exception {
        CompletableFuture<List<Stanza>> pending = new CompletableFuture<>();
        CountDownLatch handled = new CountDownLatch(1);
        ComponentConnection connection = connect(stanza -> {
            handled.countDown();
            return pending.thenApply(ignored -> List.of(((Iq) stanza).resultReply()));
        });
        server.awaitConnection(WAIT).send(DISCO);
        assertThat(handled.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        Thread closer = new Thread(connection::close);
        closer.start();
        assertThat(connection.inFlight()).isEqualTo(1);
        pending.complete(List.of());
        closer.join(WAIT.toMillis());
        assertThat(closer.isAlive()).as("close() returns once the stanza is answered").isFalse();
        assertThat(server.takeStanza(WAIT)).as("the stanza in flight is answered before the stream closes")
                .contains("id='disco-1'").contains("type='result'");
    }
}
