package io.pushcomponent.component.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.core.xml.XmlLimits;
import io.pushcomponent.testkit.xmpp.FakeXmppServer;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/**
 * Every way the server's stream can go wrong, against {@link FakeXmppServer}: the component answers with the stream
 * error RFC 6120 §4.9 and §11 prescribe (the exact element), closes its stream ({@code </stream:stream>}) and the
 * connection, reconnects with back-off and serves requests on the new stream; the server's own stream errors are
 * logged with what to check.
 */
@Timeout(60)
class StreamErrorTest {
    private static final String JID = "push.localhost";
    private static final String SECRET = "component-secret-456";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ERRORS_NS = "urn:ietf:params:xml:ns:xmpp-streams";
    private static final String PUBLISH = "<iq type='set' to='push.localhost' id='pub-after' from='localhost'>"
            + "<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='n1'><item>"
            + "<notification xmlns='urn:xmpp:push:0'/></item></publish></pubsub></iq>";

    private final StanzaCodec codec = StanzaCodec.create();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private FakeXmppServer server;
    private ComponentConnection connection;

    @BeforeEach
    void setUp() {
        server = FakeXmppServer.start(JID, SECRET);
        logs.start();
        ((Logger) LoggerFactory.getLogger(ComponentConnection.class)).addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        if (connection != null) {
            connection.close();
        }
        server.close();
        timer.shutdownNow();
        ((Logger) LoggerFactory.getLogger(ComponentConnection.class)).detachAppender(logs);
    }

    private static CompletionStage<List<Stanza>> answerRequests(Stanza stanza) {
        return CompletableFuture.completedFuture(stanza instanceof Iq iq && iq.isRequest()
                ? List.of(iq.resultReply()) : List.of());
    }

    private void start() {
        ComponentConnection.Settings settings = new ComponentConnection.Settings(JID, server.host(), server.port(),
                SECRET, Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofMillis(500), WAIT,
                Duration.ofSeconds(5), XmlLimits.DEFAULT, WAIT, 4096, ComponentTransport.plain(),
                Duration.ofMillis(200));
        connection = new ComponentConnection("stream-test", settings, StreamErrorTest::answerRequests, codec, timer);
        connection.start();
    }

    private List<ILoggingEvent> events() {
        synchronized (logs) {
            return List.copyOf(logs.list);
        }
    }

    private String logText() {
        return events().stream().map(ILoggingEvent::getFormattedMessage).reduce("", (a, b) -> a + "\n" + b);
    }

    /** Sends {@code bytes} on an authenticated stream and checks the component's answer. */
    private void midStream(byte[] bytes, String condition) {
        start();
        FakeXmppServer.Connection c = server.awaitConnection(WAIT);
        c.sendRaw(bytes);
        assertEndedWith(c, condition);
        assertReconnectsAndServes();
    }

    private void midStream(String xml, String condition) {
        midStream(xml.getBytes(StandardCharsets.UTF_8), condition);
    }

    /** The server answers the component's stream header with {@code header} (given the stream id). */
    private void header(Function<String, byte[]> header, String condition) {
        server.answerNextStreamWith(header);
        start();
        assertEndedWith(server.awaitStream(WAIT), condition);
        assertReconnectsAndServes();
    }

    private void header(String before, String condition) {
        header(id -> (before + FakeXmppServer.streamHeader(id, JID)).getBytes(StandardCharsets.UTF_8), condition);
    }

    /**
     * RFC 6120 §4.9.1.1: the stream error, then the closing tag (§4.4), then the connection is closed. The error is
     * exactly {@code <stream:error><condition xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text ...>}.
     */
    private static void assertEndedWith(FakeXmppServer.Connection c, String condition) {
        c.awaitClosedByComponent(WAIT);
        String received = c.received();
        assertThat(received).as("the component's last words").matches("(?s).*<stream:error><" + condition
                + " xmlns='" + ERRORS_NS + "'/><text xmlns='" + ERRORS_NS + "'>[^<]*</text></stream:error>"
                + "</stream:stream>");
        assertThat(received.split("<stream:error>", -1)).as("one stream error").hasSize(2);
    }

    /** The component connects again (back-off 100 ms to 500 ms) and serves a publish on the new stream. */
    private void assertReconnectsAndServes() {
        FakeXmppServer.Connection again = server.awaitConnection(WAIT);
        again.send(PUBLISH);
        String reply;
        do {
            reply = server.takeStanza(WAIT);
        } while (!reply.contains("id='pub-after'"));
        assertThat(reply).as("the new stream serves requests").contains("type='result'");
        assertThat(connection.isConnected()).as("nothing crashed: the connection is up again").isTrue();
    }

    // ---- the server's stream header ----

    @Test
    void dtdInTheStreamHeaderIsRestrictedXmlAndNothingIsFetched() throws Exception {
        try (ServerSocket entities = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + entities.getLocalPort() + "/x";
            header(id -> ("<?xml version='1.0'?><!DOCTYPE stream:stream SYSTEM '" + url + "' [<!ENTITY x SYSTEM '"
                    + url + "'>]>" + FakeXmppServer.streamHeader(id, JID).substring(21).replace("from='",
                    "from='&x;")).getBytes(StandardCharsets.UTF_8), "restricted-xml");
            entities.setSoTimeout(200);
            assertThatThrownBy(entities::accept).as("RFC 6120 §11.1: no external subset or entity is ever loaded")
                    .isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void commentBeforeTheStreamHeaderIsRestrictedXml() {
        header("<!-- a comment -->", "restricted-xml");
    }

    @Test
    void processingInstructionBeforeTheStreamHeaderIsRestrictedXml() {
        header("<?xml-stylesheet href='a.xsl'?>", "restricted-xml");
    }

    @Test
    void characterAndPredefinedReferencesInTheStreamHeaderAreXmpp() {
        server.answerNextStreamWith(id -> FakeXmppServer.streamHeader(id, "push&#46;local&amp;host")
                .getBytes(StandardCharsets.UTF_8));
        start();
        assertReconnectsAndServes();
        assertThat(server.streamsOpened()).isEqualTo(1);
    }

    @Test
    void entityReferenceInTheStreamHeaderIsRestrictedXml() {
        header(id -> FakeXmppServer.streamHeader(id, "&undeclared;").getBytes(StandardCharsets.UTF_8),
                "restricted-xml");
    }

    @Test
    void invalidUtf8InTheStreamHeaderIsNotWellFormed() {
        header(id -> concat(FakeXmppServer.streamHeader(id, "push").replace("'>", ""),
                new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF}, "'>".getBytes(StandardCharsets.UTF_8)),
                "not-well-formed");
    }

    @Test
    void garbageInsteadOfAStreamHeaderIsNotWellFormed() {
        header(id -> "HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.UTF_8), "not-well-formed");
    }

    @Test
    void anotherEncodingThanUtf8IsUnsupportedEncoding() {
        header(id -> FakeXmppServer.streamHeader(id, JID).replace("version='1.0'",
                "version='1.0' encoding='ISO-8859-1'").getBytes(StandardCharsets.ISO_8859_1), "unsupported-encoding");
    }

    @Test
    void utf16StreamIsUnsupportedEncoding() {
        header(id -> ("\uFEFF" + FakeXmppServer.streamHeader(id, JID)).getBytes(StandardCharsets.UTF_16LE),
                "unsupported-encoding");
    }

    @Test
    void streamHeaderOutsideTheStreamsNamespaceIsInvalidNamespace() {
        header(id -> FakeXmppServer.streamHeader(id, JID).replace("http://etherx.jabber.org/streams",
                "urn:wrong").getBytes(StandardCharsets.UTF_8), "invalid-namespace");
    }

    @Test
    void contentNamespaceOtherThanComponentAcceptIsInvalidNamespace() {
        header(id -> FakeXmppServer.streamHeader(id, JID).replace("jabber:component:accept", "jabber:client")
                .getBytes(StandardCharsets.UTF_8), "invalid-namespace");
    }

    @Test
    void stanzaBeforeTheHandshakeIsAcceptedIsNotAuthorized() {
        server.answerNextStreamWith(id -> (FakeXmppServer.streamHeader(id, JID)
                + "<message from='localhost' to='push.localhost'/>").getBytes(StandardCharsets.UTF_8));
        start();
        FakeXmppServer.Connection c = server.awaitStream(WAIT);
        assertEndedWith(c, "not-authorized");
        assertThat(server.awaitConnection(WAIT)).as("the fake accepted the handshake sent before the message was"
                + " read; that stream is the one that ended").isSameAs(c);
        assertReconnectsAndServes();
    }

    // ---- stream errors from the server ----

    @Test
    void hostUnknownAsProsodySendsItIsLoggedWithWhatToCheck() {
        server.answerNextStreamWith(id -> ("<?xml version='1.0'?><stream:stream xmlns:stream="
                + "'http://etherx.jabber.org/streams' xmlns='jabber:component:accept' from='push.localhost'>"
                + "<stream:error><host-unknown xmlns='" + ERRORS_NS + "'/></stream:error></stream:stream>")
                .getBytes(StandardCharsets.UTF_8));
        start();
        FakeXmppServer.Connection c = server.awaitStream(WAIT);
        c.awaitClosedByComponent(WAIT);
        assertThat(c.received()).as("an error is never answered with an error; the stream is closed")
                .doesNotContain("<stream:error>").endsWith("</stream:stream>");
        assertReconnectsAndServes();
        assertThat(logText()).as("the log names the server's condition and what to check, not a missing id")
                .contains("<host-unknown/>").contains("'component-jid'").doesNotContain("has no id");
    }

    @Test
    void conflictIsLoggedWithWhatToCheck() {
        server.answerNextStreamWith(id -> (FakeXmppServer.streamHeader(id, JID) + "<stream:error><conflict xmlns='"
                + ERRORS_NS + "'/><text xmlns='" + ERRORS_NS + "'>Replaced by new connection</text></stream:error>"
                + "</stream:stream>").getBytes(StandardCharsets.UTF_8));
        start();
        FakeXmppServer.Connection c = server.awaitStream(WAIT);
        c.awaitClosedByComponent(WAIT);
        assertThat(server.awaitConnection(WAIT)).as("the fake accepted the handshake the component sent before it"
                + " read the error").isSameAs(c);
        assertReconnectsAndServes();
        assertThat(logText()).contains("<conflict/>").contains("Replaced by new connection")
                .contains("'connections' = 1");
    }

    /**
     * Prosody (0.12.3, captured) answers a second connection for a component that is already connected, after a
     * correct handshake, with this stream error: the connection stands by. It says so once, at INFO and not as an
     * error on every attempt; it retries every {@code standbyRetry} instead of with the growing back-off (no
     * "reconnecting" lines); and it takes over and serves once the server accepts it (the active one is gone).
     */
    @Test
    void prosodysConflictMakesAStandbyLoggedOnceThatTakesOverWhenTheServerAcceptsIt() {
        String prosodyConflict = "<stream:error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text"
                + " xmlns='urn:ietf:params:xml:ns:xmpp-streams'>Component already connected</text></stream:error>"
                + "</stream:stream>";
        int refusals = 4;
        for (int i = 0; i < refusals; i++) {
            server.answerNextStreamWith(id -> (FakeXmppServer.streamHeader(id, JID) + prosodyConflict)
                    .getBytes(StandardCharsets.UTF_8));
        }
        start();
        for (int i = 0; i < refusals; i++) {
            FakeXmppServer.Connection refused = server.awaitStream(WAIT);
            refused.awaitClosedByComponent(WAIT);
            assertThat(server.awaitConnection(WAIT)).as("the fake accepted the handshake the component sent before"
                    + " it read the error").isSameAs(refused);
        }
        assertReconnectsAndServes();

        List<ILoggingEvent> standby = events().stream()
                .filter(e -> e.getFormattedMessage().contains("standby:")).toList();
        assertThat(standby).as("logged once for %d refusals", refusals).hasSize(1);
        assertThat(standby.get(0).getLevel()).isEqualTo(Level.INFO);
        assertThat(standby.get(0).getFormattedMessage()).contains("<conflict/>")
                .contains("Component already connected").contains("every 200 ms");
        assertThat(events()).as("no error or warning per attempt, no back-off")
                .noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .noneMatch(e -> e.getFormattedMessage().contains("reconnecting"));
        assertThat(logText()).contains("took over as the active connection");
        assertThat(connection.isStandby()).isFalse();
    }

    /**
     * Every stream error the server sends at the handshake is logged with its condition and what to check: a
     * configuration problem as an error, a passing one as a warning; either way the component reconnects with
     * back-off and serves once the server accepts it.
     */
    @ParameterizedTest
    @CsvSource({
            "host-gone, true, 'component-jid'",
            "invalid-from, true, 'component-jid'",
            "see-other-host, true, 'remote-host'",
            "policy-violation, true, server's log",
            "improper-addressing, true, declares it as a component",
            "system-shutdown, false, shutting down",
            "reset, false, reset the stream",
            "connection-timeout, false, 'keep-alive'",
            "resource-constraint, false, short of resources",
            "internal-server-error, false, see its log",
            "undefined-condition, false, the server's text"})
    void eachStreamErrorOfTheServerIsLoggedWithWhatToCheck(String condition, boolean configuration, String check) {
        server.answerNextStreamWith(id -> (FakeXmppServer.streamHeader(id, JID) + "<stream:error><" + condition
                + " xmlns='" + ERRORS_NS + "'/></stream:error></stream:stream>").getBytes(StandardCharsets.UTF_8));
        start();
        FakeXmppServer.Connection c = server.awaitStream(WAIT);
        c.awaitClosedByComponent(WAIT);
        assertThat(server.awaitConnection(WAIT)).as("the fake accepted the handshake the component sent before it"
                + " read the error").isSameAs(c);
        assertReconnectsAndServes();

        ILoggingEvent line = events().stream().filter(e -> e.getFormattedMessage().contains("<" + condition + "/>"))
                .findFirst().orElseThrow();
        assertThat(line.getFormattedMessage()).contains(check);
        assertThat(line.getLevel()).isEqualTo(configuration ? Level.ERROR : Level.WARN);
    }

    @Test
    void aHeaderWithoutIdAndWithoutAnErrorPointsAtTheComponentsDeclaration() {
        server.answerNextStreamWith(id -> ("<?xml version='1.0'?><stream:stream xmlns:stream="
                + "'http://etherx.jabber.org/streams' xmlns='jabber:component:accept' from='push.localhost'>"
                + "</stream:stream>").getBytes(StandardCharsets.UTF_8));
        start();
        assertEndedWith(server.awaitStream(WAIT), "invalid-xml");
        assertReconnectsAndServes();
        assertThat(logText()).contains("has no id").contains("check 'component-jid'");
    }

    @Test
    void streamErrorInAnOpenStreamIsLoggedAndTheComponentReconnects() {
        start();
        FakeXmppServer.Connection c = server.awaitConnection(WAIT);
        c.send("<stream:error><system-shutdown xmlns='" + ERRORS_NS + "'/></stream:error></stream:stream>");
        c.awaitClosedByComponent(WAIT);
        assertThat(c.received()).doesNotContain("<stream:error>").endsWith("</stream:stream>");
        assertReconnectsAndServes();
        assertThat(logText()).contains("<system-shutdown/>");
    }

    // ---- inside the stream ----

    @Test
    void dtdInsideTheStreamIsRestrictedXml() {
        midStream("<!DOCTYPE iq [<!ENTITY x 'y'>]>", "restricted-xml");
    }

    @Test
    void commentBetweenStanzasIsRestrictedXml() {
        midStream("<!-- a comment -->", "restricted-xml");
    }

    @Test
    void processingInstructionBetweenStanzasIsRestrictedXml() {
        midStream("<?target data?>", "restricted-xml");
    }

    @Test
    void entityReferenceInAStanzaIsRestrictedXml() {
        midStream("<iq type='get' id='e1' from='localhost' to='push.localhost'><query xmlns='jabber:iq:version'>"
                + "&xxe;</query></iq>", "restricted-xml");
    }

    @Test
    void entityReferenceInAnAttributeIsRestrictedXml() {
        midStream("<iq type='get' id='&xxe;' from='localhost' to='push.localhost'/>", "restricted-xml");
    }

    @Test
    void entityReferenceBetweenStanzasIsRestrictedXml() {
        midStream("&xxe;", "restricted-xml");
    }

    @Test
    void commentInsideAStanzaIsRestrictedXml() {
        midStream("<message from='localhost' to='push.localhost'><body>a<!-- b --></body></message>",
                "restricted-xml");
    }

    @Test
    void invalidUtf8InsideAStanzaIsNotWellFormed() {
        midStream(concat("<message from='localhost' to='push.localhost'><body>", new byte[] {(byte) 0xC3, 0x28},
                "</body></message>".getBytes(StandardCharsets.UTF_8)), "not-well-formed");
    }

    @Test
    void overlongUtf8InsideAStanzaIsNotWellFormed() {
        midStream(concat("<message from='localhost' to='push.localhost'><body>", new byte[] {(byte) 0xC0,
                (byte) 0xAF}, "</body></message>".getBytes(StandardCharsets.UTF_8)), "not-well-formed");
    }

    @Test
    void overlongUtf8InTheStreamHeaderIsNotWellFormed() {
        header(id -> concat(FakeXmppServer.streamHeader(id, "push").replace("'>", ""),
                new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, "'>".getBytes(StandardCharsets.UTF_8)),
                "not-well-formed");
    }

    @Test
    void characterReferenceToACharacterXmlForbidsIsNotWellFormed() {
        midStream("<message from='localhost' to='push.localhost'><body>a&#1;b</body></message>", "not-well-formed");
    }

    @Test
    void invalidUtf8BetweenStanzasIsNotWellFormed() {
        midStream(new byte[] {(byte) 0xFF, (byte) 0xFE, 0x00, 0x01}, "not-well-formed");
    }

    @Test
    void garbageMarkupIsNotWellFormed() {
        midStream("<<>>", "not-well-formed");
    }

    @Test
    void mismatchedEndTagIsNotWellFormed() {
        midStream("<message from='localhost' to='push.localhost'><body>x</subject></message>", "not-well-formed");
    }

    @Test
    void secondStreamHeaderIsBadFormat() {
        midStream("<stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams'"
                + " id='again'>", "bad-format");
    }

    @Test
    void secondStreamHeaderWithXmlDeclarationIsBadFormat() {
        midStream(FakeXmppServer.streamHeader("again", JID), "bad-format");
    }

    @Test
    void textBetweenStanzasIsBadFormat() {
        midStream("hello", "bad-format");
    }

    @Test
    void firstLevelElementThatIsNoStanzaIsUnsupportedStanzaType() {
        midStream("<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='n'/></pubsub>",
                "unsupported-stanza-type");
    }

    @Test
    void stanzaInAnotherNamespaceIsUnsupportedStanzaType() {
        midStream("<iq xmlns='urn:not:a:stanza' type='get' id='ns1'/>", "unsupported-stanza-type");
    }

    // ---- one user's stanza is not a broken stream ----

    @Test
    void twoHundredOversizedStanzasAreEachAnsweredAndTheStreamStaysUp() {
        start();
        FakeXmppServer.Connection c = server.awaitConnection(WAIT);
        String body = "x".repeat(XmlLimits.DEFAULT.maxStanzaChars());
        for (int i = 0; i < 200; i++) {
            c.send("<iq type='set' id='big-" + i + "' from='mallory@localhost/a' to='push.localhost'>"
                    + "<query xmlns='urn:x'>" + body + "</query></iq>");
        }
        c.send(PUBLISH);
        List<String> replies = new ArrayList<>();
        for (int i = 0; i < 201; i++) {
            replies.add(server.takeStanza(WAIT));
        }
        for (int i = 0; i < 200; i++) {
            assertThat(replies.get(i)).as("RFC 6120 §8.3.3.12: modify/policy-violation to the sender, built from the"
                    + " start tag").contains("id='big-" + i + "'").contains("type='error'")
                    .contains("to='mallory@localhost/a'").contains("<policy-violation");
        }
        assertThat(replies.get(200)).as("later stanzas are served").contains("id='pub-after'")
                .contains("type='result'");
        assertThat(server.streamsOpened()).as("one stream all along").isEqualTo(1);
        assertThat(c.received()).doesNotContain("<stream:error>");
    }

    @Test
    void stanzaNestedDeeperThanTheCapIsAnsweredAndTheStreamStaysUp() {
        start();
        FakeXmppServer.Connection c = server.awaitConnection(WAIT);
        int levels = XmlLimits.DEFAULT.maxDepth() + 5;
        c.send("<iq type='get' id='deep' from='mallory@localhost/a' to='push.localhost'>" + "<a>".repeat(levels)
                + "</a>".repeat(levels) + "</iq>");
        assertThat(server.takeStanza(WAIT)).contains("id='deep'").contains("type='error'")
                .contains("<policy-violation");
        c.send(PUBLISH);
        assertThat(server.takeStanza(WAIT)).contains("id='pub-after'").contains("type='result'");
        assertThat(server.streamsOpened()).isEqualTo(1);
    }

    @Test
    void stanzaWithMoreAttributesThanTheCapIsSkippedAndTheStreamStaysUp() {
        start();
        FakeXmppServer.Connection c = server.awaitConnection(WAIT);
        String attributes = IntStream.range(0, 5000).mapToObj(i -> " a" + i + "='x'").collect(Collectors.joining());
        c.send("<message id='many' from='mallory@localhost/a' to='push.localhost'" + attributes + "><body>hi</body>"
                + "</message>");
        c.send("<iq type='get' id='many-on-iq' from='mallory@localhost/a' to='push.localhost'" + attributes
                + "><ping xmlns='urn:xmpp:ping'/></iq>");
        c.send("<iq type='get' id='many-inside' from='mallory@localhost/a' to='push.localhost'><query xmlns='urn:x'"
                + attributes + "/></iq>");
        List<String> answers = List.of(server.takeStanza(WAIT), server.takeStanza(WAIT), server.takeStanza(WAIT));
        assertThat(answers).as("each refused stanza answered with policy-violation (in any order: parsed in parallel)")
                .allSatisfy(a -> assertThat(a).contains("type='error'").contains("<policy-violation")
                        .contains("to='mallory@localhost/a'"));
        assertThat(answers).as("the stanza's own start tag over the cap: answered from what its bytes say of its head "
                        + "(RFC 6120 §8.3.1 allows an error for a message)")
                .anySatisfy(a -> assertThat(a).startsWith("<message").contains("id='many'"))
                .anySatisfy(a -> assertThat(a).startsWith("<iq").contains("id='many-on-iq'"))
                .as("a child over the attribute cap: the IQ is answered from its start tag")
                .anySatisfy(a -> assertThat(a).startsWith("<iq").contains("id='many-inside'"));
        c.send(PUBLISH);
        assertThat(server.takeStanza(WAIT)).as("a server forwards a user's stanza as it came: over a cap it is that"
                + " user's stanza refused, not every user's stream torn down").contains("id='pub-after'")
                .contains("type='result'");
        assertThat(server.streamsOpened()).isEqualTo(1);
        assertThat(c.received()).doesNotContain("<stream:error>");
    }

    @Test
    void oversizedErrorsAndResultsAreSkippedWithoutAnswer() {
        start();
        FakeXmppServer.Connection c = server.awaitConnection(WAIT);
        String body = "x".repeat(XmlLimits.DEFAULT.maxStanzaChars());
        c.send("<iq type='result' id='r1' from='localhost' to='push.localhost'><q xmlns='urn:x'>" + body
                + "</q></iq>");
        c.send("<message type='error' id='m1' from='localhost' to='push.localhost'><body>" + body
                + "</body></message>");
        c.send("<message id='m2' from='bob@localhost/b' to='push.localhost'><body>" + body + "</body></message>");
        c.send(PUBLISH);
        String first = server.takeStanza(WAIT);
        assertThat(first).as("RFC 6120 §8.3.1: a message that is not an error may be answered with one")
                .startsWith("<message").contains("id='m2'").contains("type='error'").contains("<policy-violation");
        assertThat(server.takeStanza(WAIT)).as("IQ responses and errors are never answered: the publish is next")
                .contains("id='pub-after'");
    }

    private static byte[] concat(String head, byte[] middle, byte[] tail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(tail);
        return out.toByteArray();
    }
}
