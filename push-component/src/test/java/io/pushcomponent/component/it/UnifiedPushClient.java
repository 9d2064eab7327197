package io.pushcomponent.component.it;

import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.iqrequest.AbstractIqRequestHandler;
import org.jivesoftware.smack.iqrequest.IQRequestHandler;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.provider.IQProvider;
import org.jivesoftware.smack.provider.ProviderManager;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jxmpp.jid.impl.JidCreate;

/**
 * A real XMPP client (Smack) playing a UnifiedPush distributor the way Conversations does: it sends
 * {@code <register application instance/>} to the push component through its server and reads
 * {@code <registered endpoint expiration/>}, sends {@code <unregister/>}, and answers each {@code <push/>} IQ with a
 * result while it knows the instance, or with {@code item-not-found} once it forgot it (what Conversations answers
 * for a push it has no application for).
 *
 * <p>Not thread-safe except for the pushes it takes, which arrive on Smack's threads.
 */
public final class UnifiedPushClient implements AutoCloseable {
    /** The protocol's namespace. */
    public static final String NAMESPACE = "http://gultsch.de/xmpp/drafts/unified-push";
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(15);

    /** A push that arrived: its sender, attributes and the decoded body. */
    public record Push(String from, String application, String instance, byte[] body) {
    }

    /** What {@code <registered/>} said. */
    public record Endpoint(String url, String expiration) {
    }

    private final XMPPTCPConnection connection;
    private final BlockingQueue<Push> pushes = new LinkedBlockingQueue<>();
    private volatile boolean forgotten;

    static {
        ProviderManager.addIQProvider("registered", NAMESPACE, new RegisteredProvider());
        ProviderManager.addIQProvider("push", NAMESPACE, new PushProvider());
    }

    private UnifiedPushClient(XMPPTCPConnection connection) {
        this.connection = connection;
        connection.registerIQRequestHandler(new AbstractIqRequestHandler("push", NAMESPACE, IQ.Type.set,
                IQRequestHandler.Mode.async) {
            @Override
            public IQ handleIQRequest(IQ request) {
                PushIq push = (PushIq) request;
                pushes.add(new Push(request.getFrom().toString(), push.application, push.instance,
                        Base64.getDecoder().decode(push.content.trim())));
                if (forgotten) {
                    return IQ.createErrorResponse(request, StanzaError.Condition.item_not_found);
                }
                return IQ.createResultIQ(request);
            }
        });
    }

    /** Logs in over plain TCP on 127.0.0.1 with {@code resource}. */
    public static UnifiedPushClient login(int c2sPort, String user, String password, String resource)
            throws IOException, InterruptedException, SmackException, XMPPException {
        XMPPTCPConnectionConfiguration config = XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(ProsodyProcess.DOMAIN)
                .setHost("127.0.0.1")
                .setPort(c2sPort)
                .setSecurityMode(SecurityMode.disabled)
                .setUsernameAndPassword(user, password)
                .setResource(resource)
                .setConnectTimeout((int) REPLY_TIMEOUT.toMillis())
                .build();
        XMPPTCPConnection connection = new XMPPTCPConnection(config);
        connection.setReplyTimeout(REPLY_TIMEOUT.toMillis());
        connection.setUseStreamManagement(false);
        connection.connect().login();
        return new UnifiedPushClient(connection);
    }

    /** This client's full JID. */
    public String jid() {
        return connection.getUser().toString();
    }

    /** Sends {@code <register/>} to {@code pushJid} and returns the endpoint. */
    public Endpoint register(String pushJid, String application, String instance)
            throws IOException, InterruptedException, SmackException, XMPPException {
        RequestIq request = new RequestIq("register", application, instance);
        request.setTo(JidCreate.from(pushJid));
        RegisteredIq answer = connection.sendIqRequestAndWaitForResponse(request);
        return new Endpoint(answer.endpoint, answer.expiration);
    }

    /** Sends {@code <unregister/>} to {@code pushJid}. */
    public void unregister(String pushJid, String application, String instance)
            throws IOException, InterruptedException, SmackException, XMPPException {
        RequestIq request = new RequestIq("unregister", application, instance);
        request.setTo(JidCreate.from(pushJid));
        connection.sendIqRequestAndWaitForResponse(request);
    }

    /** From now on answers pushes with {@code item-not-found}, as a client that no longer knows the instance. */
    public void forget() {
        forgotten = true;
    }

    /** The next push that arrived, or {@code null} after {@code timeout}. */
    public Push takePush(Duration timeout) throws InterruptedException {
        return pushes.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        connection.disconnect();
    }

    /** {@code <register/>} or {@code <unregister/>}. */
    private static final class RequestIq extends IQ {
        private final String application;
        private final String instance;

        RequestIq(String element, String application, String instance) {
            super(element, NAMESPACE);
            this.application = application;
            this.instance = instance;
            setType(Type.set);
        }

        @Override
        protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
            xml.attribute("application", application);
            xml.attribute("instance", instance);
            xml.setEmptyElement();
            return xml;
        }
    }

    /** {@code <registered/>}. */
    private static final class RegisteredIq extends IQ {
        private final String endpoint;
        private final String expiration;

        RegisteredIq(String endpoint, String expiration) {
            super("registered", NAMESPACE);
            this.endpoint = endpoint;
            this.expiration = expiration;
        }

        @Override
        protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
            xml.setEmptyElement();
            return xml;
        }
    }

    /** {@code <push/>}. */
    private static final class PushIq extends IQ {
        private final String application;
        private final String instance;
        private final String content;

        PushIq(String application, String instance, String content) {
            super("push", NAMESPACE);
            this.application = application;
            this.instance = instance;
            this.content = content;
        }

        @Override
        protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
            xml.rightAngleBracket();
            xml.append(content);
            return xml;
        }
    }

    private static final class RegisteredProvider extends IQProvider<RegisteredIq> {
        @Override
        public RegisteredIq parse(XmlPullParser parser, int initialDepth, XmlEnvironment environment) {
            return new RegisteredIq(parser.getAttributeValue("", "endpoint"),
                    parser.getAttributeValue("", "expiration"));
        }
    }

    private static final class PushProvider extends IQProvider<PushIq> {
        @Override
        public PushIq parse(XmlPullParser parser, int initialDepth, XmlEnvironment environment)
                throws org.jivesoftware.smack.xml.XmlPullParserException, IOException {
            String application = parser.getAttributeValue("", "application");
            String instance = parser.getAttributeValue("", "instance");
            String content = parser.nextText();
            return new PushIq(application, instance, content);
        }
    }
}
