package io.pushcomponent.testkit.xmpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A {@link FakeXmppServer.Dispatcher} answers what the component sends, on the connection it came from; every stanza
 * is still queued for {@link FakeXmppServer#takeStanza}. The component here is a bare socket speaking XEP-0114.
 */
class FakeXmppServerDispatcherTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String COMPONENT = "push.localhost";
    private static final String SECRET = "s3cret";

    @Test
    void theDispatcherAnswersEachStanzaOnItsConnectionAndTheStanzaIsStillQueued() throws Exception {
        try (FakeXmppServer server = FakeXmppServer.start(COMPONENT, SECRET);
                RawComponent component = RawComponent.connect(server)) {
            server.setDispatcher(stanza -> "iq".equals(stanza.name()) && "get".equals(stanza.type())
                    ? List.of(stanza.result("<query xmlns='http://jabber.org/protocol/disco#info'/>"))
                    : List.of());

            component.send("<iq type='get' id='d1' from='" + COMPONENT + "' to='capulet.lit'>"
                    + "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");

            assertThat(component.readUntil("</iq>")).as("the answer swaps from and to and keeps the id")
                    .contains("<iq type='result' id='d1' from='capulet.lit' to='" + COMPONENT + "'>")
                    .contains("<query xmlns='http://jabber.org/protocol/disco#info'/>");
            assertThat(server.takeStanza(WAIT)).as("dispatched stanzas are queued too")
                    .startsWith("<iq").contains("id='d1'");
        }
    }

    @Test
    void anErrorAnswerHasTheStanzaKindAndTheDefinedCondition() throws Exception {
        try (FakeXmppServer server = FakeXmppServer.start(COMPONENT, SECRET);
                RawComponent component = RawComponent.connect(server)) {
            server.setDispatcher(stanza -> List.of(stanza.error("cancel", "item-not-found")));

            component.send("<message id='m1' from='" + COMPONENT + "' to='juliet@capulet.lit'><body>hi</body>"
                    + "</message>");

            assertThat(component.readUntil("</message>"))
                    .contains("<message type='error' id='m1' from='juliet@capulet.lit' to='" + COMPONENT + "'>")
                    .contains("<error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>");
        }
    }

    @Test
    void aDispatcherThatThrowsFailsCloseSoTheTestNotices() throws Exception {
        FakeXmppServer server = FakeXmppServer.start(COMPONENT, SECRET);
        try (RawComponent component = RawComponent.connect(server)) {
            server.setDispatcher(stanza -> {
                throw new IllegalStateException("unexpected " + stanza.name());
            });
            component.send("<presence from='" + COMPONENT + "' to='juliet@capulet.lit'/>");
            server.takeStanza(WAIT);
        }

        assertThatThrownBy(server::close).isInstanceOf(AssertionError.class)
                .hasRootCauseInstanceOf(IllegalStateException.class).rootCause().hasMessage("unexpected presence");
    }

    @Test
    void withoutADispatcherNothingIsAnswered() throws Exception {
        try (FakeXmppServer server = FakeXmppServer.start(COMPONENT, SECRET);
                RawComponent component = RawComponent.connect(server)) {
            component.send("<iq type='get' id='q1' from='" + COMPONENT + "' to='capulet.lit'>"
                    + "<query xmlns='http://jabber.org/protocol/disco#items'/></iq>");

            assertThat(server.takeStanza(WAIT)).contains("id='q1'");
            assertThat(component.readFor(Duration.ofMillis(300))).as("the default dispatcher answers nothing")
                    .isEmpty();
        }
    }

    /** The component's side of XEP-0114 on a plain socket: stream header, handshake, then raw stanzas. */
    private static final class RawComponent implements AutoCloseable {
        private static final Pattern STREAM_ID = Pattern.compile("<stream:stream[^>]* id='([^']+)'");
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final StringBuilder unread = new StringBuilder();

        private RawComponent(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        static RawComponent connect(FakeXmppServer server) throws Exception {
            RawComponent c = new RawComponent(new Socket(server.host(), server.port()));
            c.socket.setSoTimeout((int) WAIT.toMillis());
            c.send("<stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams'"
                    + " to='" + COMPONENT + "'>");
            c.readUntil("<stream:stream");
            Matcher id = STREAM_ID.matcher("<stream:stream" + c.readUntil(">"));
            assertThat(id.find()).as("the server's stream header carries an id").isTrue();
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((id.group(1) + SECRET).getBytes(StandardCharsets.UTF_8));
            c.send("<handshake>" + HexFormat.of().formatHex(digest) + "</handshake>");
            assertThat(c.readUntil("<handshake/>")).contains("<handshake/>");
            server.awaitConnection(WAIT);
            return c;
        }

        void send(String xml) throws IOException {
            out.write(xml.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** Reads until {@code end} arrived (within the socket timeout) and returns what was read up to it. */
        String readUntil(String end) throws IOException {
            byte[] buffer = new byte[4096];
            while (unread.indexOf(end) < 0) {
                int n = in.read(buffer);
                if (n < 0) {
                    throw new IOException("the server closed the connection; read: " + unread);
                }
                unread.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
            int cut = unread.indexOf(end) + end.length();
            String read = unread.substring(0, cut);
            unread.delete(0, cut);
            return read;
        }

        /** Whatever arrives within {@code window}. */
        String readFor(Duration window) throws IOException {
            socket.setSoTimeout((int) window.toMillis());
            byte[] buffer = new byte[4096];
            try {
                int n = in.read(buffer);
                if (n > 0) {
                    unread.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (SocketTimeoutException e) {
                // nothing arrived in the window
            } finally {
                socket.setSoTimeout((int) WAIT.toMillis());
            }
            String read = unread.toString();
            unread.setLength(0);
            return read;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
