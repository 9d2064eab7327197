package io.pushcomponent.benchmark.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The listener is the XMPP server of XEP-0114 section 3 (stream header with an id, handshake = hex SHA-1 of id +
 * secret) and finds answers to publishes on the wire without an XML parser, however TCP splits them.
 */
@Timeout(30)
class ComponentListenerTest {
    static final String JID = "push.localhost";
    static final String SECRET = "s3cret";

    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> others = new LinkedBlockingQueue<>();
    private final ComponentListener.ReplySink sink = new ComponentListener.ReplySink() {
        @Override
        public void onReply(long k, String errorStanza) {
            replies.add(k + (errorStanza == null ? "" : " " + errorStanza));
        }

        @Override
        public void onOther(String what) {
            others.add(what);
        }
    };

    @Test
    void answersAreFoundByTheirIdHoweverTcpSplitsThem() throws Exception {
        try (ComponentListener listener = ComponentListener.start(JID, SECRET, sink);
             Socket component = new Socket(listener.host(), listener.port())) {
            CompletableFuture<List<ComponentListener.Connection>> accepted =
                    CompletableFuture.supplyAsync(() -> accept(listener));
            handshake(component, SECRET);
            assertThat(accepted.get(10, TimeUnit.SECONDS)).hasSize(1);

            String error = "<iq type='error' id='p0000000003' from='push.localhost' to='localhost'><error "
                    + "type='wait'><resource-constraint xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>";
            String wire = "<iq type='result' id='p0000000001' from='push.localhost' to='localhost'/> "
                    + "<iq from='push.localhost' to='localhost' type=\"result\" id=\"p0000000002\"/>" + error
                    + "<message to='x'><body>not an answer</body></message>"
                    + "<iq type='result' id='p0000000004' from='push.localhost' to='localhost'></iq>";
            OutputStream out = component.getOutputStream();
            byte[] bytes = wire.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < bytes.length; i += 7) {
                out.write(bytes, i, Math.min(7, bytes.length - i));
                out.flush();
                Thread.sleep(1);
            }

            assertThat(replies.poll(5, TimeUnit.SECONDS)).as("a self-closed result").isEqualTo("1");
            assertThat(replies.poll(5, TimeUnit.SECONDS)).as("double quotes, id last").isEqualTo("2");
            assertThat(replies.poll(5, TimeUnit.SECONDS)).as("an error answer comes with its whole stanza")
                    .isEqualTo("3 " + error);
            assertThat(replies.poll(5, TimeUnit.SECONDS)).as("a result with an end tag").isEqualTo("4");
            assertThat(others).as("a stanza that answers no publish is not counted as an answer").isEmpty();
        }
    }

    @Test
    void aPingFromTheComponentIsAnswered() throws Exception {
        try (ComponentListener listener = ComponentListener.start(JID, SECRET, sink);
             Socket component = new Socket(listener.host(), listener.port())) {
            CompletableFuture.supplyAsync(() -> accept(listener));
            handshake(component, SECRET);
            component.getOutputStream().write(("<iq type='get' id='ping-1' from='push.localhost' to='localhost'>"
                    + "<ping xmlns='urn:xmpp:ping'/></iq>").getBytes(StandardCharsets.UTF_8));

            assertThat(readUntil(component.getInputStream(), "/>"))
                    .contains("type='result'", "id='ping-1'", "to='push.localhost'");
        }
    }

    @Test
    void aWrongSecretIsRefused() throws Exception {
        try (ComponentListener listener = ComponentListener.start(JID, SECRET, sink);
             Socket component = new Socket(listener.host(), listener.port())) {
            CompletableFuture<List<ComponentListener.Connection>> accepted =
                    CompletableFuture.supplyAsync(() -> accept(listener));
            handshake(component, "wrong");

            assertThat(readUntil(component.getInputStream(), "</stream:stream>")).contains("<not-authorized");
            assertThatThrownBy(() -> accepted.get(10, TimeUnit.SECONDS)).hasMessageContaining("secret");
        }
    }

    @Test
    void publishNumberIsReadFromTheIdAttributeOnly() {
        byte[] tag = "<iq type='result' to='p1' id='p42'/>".getBytes(StandardCharsets.US_ASCII);
        assertThat(ComponentListener.publishNumber(tag, 0, tag.length)).isEqualTo(42);
        byte[] other = "<iq type='result' id='x42'/>".getBytes(StandardCharsets.US_ASCII);
        assertThat(ComponentListener.publishNumber(other, 0, other.length)).isEqualTo(-1);
    }

    static List<ComponentListener.Connection> accept(ComponentListener listener) {
        try {
            return listener.accept(1, Duration.ofSeconds(10));
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The component's side of XEP-0114: stream header, then the handshake with {@code secret}. */
    static void handshake(Socket component, String secret) throws IOException {
        OutputStream out = component.getOutputStream();
        out.write(("<stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams' "
                + "to='" + JID + "'>").getBytes(StandardCharsets.UTF_8));
        String header = readUntil(component.getInputStream(), "'>");
        Matcher id = Pattern.compile("id='([^']+)'").matcher(header);
        assertThat(id.find()).as("the server's stream header has an id: %s", header).isTrue();
        out.write(("<handshake>" + ComponentListener.sha1Hex(id.group(1) + secret) + "</handshake>")
                .getBytes(StandardCharsets.UTF_8));
        if (secret.equals(SECRET)) {
            assertThat(readUntil(component.getInputStream(), "<handshake/>")).endsWith("<handshake/>");
        }
    }

    private static String readUntil(InputStream in, String end) throws IOException {
        StringBuilder text = new StringBuilder();
        while (text.indexOf(end) < 0) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            text.append((char) b);
        }
        return text.toString();
    }
}
