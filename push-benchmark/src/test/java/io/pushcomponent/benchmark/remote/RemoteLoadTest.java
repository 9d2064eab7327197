package io.pushcomponent.benchmark.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A phase's error answers are told apart by the publishes they answer: those to warm-up publishes (a just-started
 * component shedding load while its JIT warms up) are reported, and only those to measured publishes count against
 * a rate being sustained.
 */
@Timeout(60)
class RemoteLoadTest {
    private static final Pattern ID = Pattern.compile("id='(p\\d{10})'");
    private static final String NODE = "N".repeat(32);

    @Test
    void errorsToWarmUpPublishesAreNotCountedAsMeasuredErrors() throws Exception {
        RemoteLoad.PhaseResult warmUpErrors = runAgainst(3);
        assertThat(warmUpErrors.errors()).as("every error answer is reported").isEqualTo(3);
        assertThat(warmUpErrors.measuredErrors()).as("the first publishes were sent in the warm-up").isZero();

        RemoteLoad.PhaseResult allErrors = runAgainst(Integer.MAX_VALUE);
        assertThat(allErrors.measuredErrors()).as("error answers to measured publishes are counted")
                .isPositive().isEqualTo(allErrors.measuredSent());
    }

    /** A phase against a component that answers its first {@code errors} publishes with a {@code wait} error. */
    private static RemoteLoad.PhaseResult runAgainst(int errors) throws Exception {
        RemoteLoad[] load = new RemoteLoad[1];
        ComponentListener.ReplySink sink = new ComponentListener.ReplySink() {
            @Override
            public void onReply(long k, String errorStanza) {
                load[0].onReply(k, errorStanza);
            }

            @Override
            public void onOther(String what) {
                load[0].onOther(what);
            }
        };
        try (ComponentListener listener = ComponentListener.start(ComponentListenerTest.JID,
                ComponentListenerTest.SECRET, sink);
             Socket component = new Socket(listener.host(), listener.port())) {
            CompletableFuture<List<ComponentListener.Connection>> accepted =
                    CompletableFuture.supplyAsync(() -> ComponentListenerTest.accept(listener));
            ComponentListenerTest.handshake(component, ComponentListenerTest.SECRET);
            load[0] = new RemoteLoad(accepted.get(10, TimeUnit.SECONDS), (k, target, offset) ->
                    System.arraycopy(NODE.getBytes(StandardCharsets.US_ASCII), 0, target, offset, 32));
            Thread answering = new Thread(() -> answer(component, errors), "fake-component");
            answering.setDaemon(true);
            answering.start();
            // closed loop, one publish in flight: the first publishes are sent right at the start of the warm-up
            RemoteLoad.Phase phase = new RemoteLoad.Phase("test", 0, 1, Duration.ofMillis(300),
                    Duration.ofMillis(300), true, false);
            return load[0].run(List.of(phase)).get(0);
        }
    }

    /** Reads publishes and answers each: the first {@code errors} with a {@code wait} error, the rest with a result. */
    private static void answer(Socket component, int errors) {
        try {
            InputStream in = component.getInputStream();
            OutputStream out = component.getOutputStream();
            StringBuilder pending = new StringBuilder();
            byte[] buffer = new byte[8192];
            int answered = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                pending.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                Matcher id = ID.matcher(pending);
                int end = 0;
                StringBuilder replies = new StringBuilder();
                while (id.find()) {
                    int close = pending.indexOf("</iq>", id.end());
                    if (close < 0) {
                        break;
                    }
                    end = close + 5;
                    replies.append(answered++ < errors
                            ? "<iq type='error' id='" + id.group(1) + "' from='push.localhost' to='localhost'>"
                                    + "<error type='wait'><resource-constraint "
                                    + "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>"
                            : "<iq type='result' id='" + id.group(1) + "' from='push.localhost' to='localhost'/>");
                }
                pending.delete(0, end);
                out.write(replies.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            // the test closed the connection
        }
    }
}
