package io.pushcomponent.component.it;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.filter.StanzaIdFilter;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.Nonza;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.commands.AdHocCommandManager;
import org.jivesoftware.smackx.commands.RemoteCommand;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.jivesoftware.smackx.push_notifications.PushNotificationsManager;
import org.jivesoftware.smackx.xdata.FormField;
import org.jivesoftware.smackx.xdata.form.FillableForm;
import org.jivesoftware.smackx.xdata.packet.DataForm;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Localpart;

/**
 * A real XMPP client (Smack) acting as a user of a {@link ProsodyProcess}: it registers a device at the push
 * component with the {@code register-device} ad-hoc command, enables push as XEP-0357 §5 describes, runs other
 * ad-hoc commands of the component, and sends messages.
 *
 * <p>Not thread-safe; one per user session.
 */
public final class XmppUser implements AutoCloseable {
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(15);

    private final XMPPTCPConnection connection;

    /**
     * What {@code register-device} returned.
     *
     * @param node   the pubsub node to enable push with
     * @param secret the publish secret, or {@code null} when none was issued
     */
    public record Registration(String node, String secret) {
        @Override
        public String toString() {
            return "Registration[node=" + node + ", secret=" + (secret == null ? "none" : "***") + "]";
        }
    }

    private XmppUser(XMPPTCPConnection connection) {
        this.connection = connection;
    }

    /** Logs in over plain TCP on 127.0.0.1 (the test server has no TLS). */
    public static XmppUser login(int c2sPort, String user, String password)
            throws IOException, InterruptedException, SmackException, XMPPException {
        XMPPTCPConnectionConfiguration config = XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(ProsodyProcess.DOMAIN)
                .setHost("127.0.0.1")
                .setPort(c2sPort)
                .setSecurityMode(SecurityMode.disabled)
                .setUsernameAndPassword(user, password)
                .setResource("phone")
                .setConnectTimeout((int) REPLY_TIMEOUT.toMillis())
                .build();
        XMPPTCPConnection connection = new XMPPTCPConnection(config);
        connection.setReplyTimeout(REPLY_TIMEOUT.toMillis());
        connection.setUseStreamManagement(false);
        connection.connect().login();
        return new XmppUser(connection);
    }

    /**
     * Creates the account {@code user} by in-band registration (XEP-0077) over plain TCP on 127.0.0.1, for a test
     * server that allows it (ejabberd's {@code mod_register}; Prosody's tests create theirs with prosodyctl).
     */
    public static void createAccount(int c2sPort, String user, String password)
            throws IOException, InterruptedException, SmackException, XMPPException {
        XMPPTCPConnection connection = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(ProsodyProcess.DOMAIN)
                .setHost("127.0.0.1")
                .setPort(c2sPort)
                .setSecurityMode(SecurityMode.disabled)
                .setConnectTimeout((int) REPLY_TIMEOUT.toMillis())
                .build());
        connection.setReplyTimeout(REPLY_TIMEOUT.toMillis());
        try {
            connection.connect();
            AccountManager accounts = AccountManager.getInstance(connection);
            accounts.sensitiveOperationOverInsecureConnection(true);
            accounts.createAccount(Localpart.from(user), password);
        } finally {
            connection.disconnect();
        }
    }

    /** Runs {@code register-device} at {@code pushJid} in two steps, as XEP-0050 describes. */
    public Registration registerDevice(String pushJid, String provider, String token)
            throws IOException, InterruptedException, SmackException, XMPPException {
        RemoteCommand command = AdHocCommandManager.getAddHocCommandsManager(connection)
                .getRemoteCommand(JidCreate.from(pushJid), "register-device");
        command.execute();
        FillableForm form = new FillableForm(command.getForm());
        form.setAnswer("provider", provider);
        form.setAnswer("device-token", token);
        command.complete(form);
        DataForm result = command.getForm();
        if (result == null || result.getField("node") == null) {
            throw new IOException("register-device returned no node");
        }
        FormField secret = result.getField("secret");
        return new Registration(result.getField("node").getFirstValue(),
                secret == null ? null : secret.getFirstValue());
    }

    /**
     * Runs a one-step ad-hoc command at {@code pushJid} ({@code execute} answered {@code completed}) and returns its
     * result, each item of a XEP-0004 multi-item result as a map of field to first value (empty for none).
     */
    public List<Map<String, String>> executeForItems(String pushJid, String node)
            throws IOException, InterruptedException, SmackException, XMPPException {
        RemoteCommand command = AdHocCommandManager.getAddHocCommandsManager(connection)
                .getRemoteCommand(JidCreate.from(pushJid), node);
        command.execute();
        DataForm result = command.getForm();
        if (result == null) {
            throw new IOException(node + " returned no form");
        }
        List<Map<String, String>> items = new ArrayList<>();
        for (DataForm.Item item : result.getItems()) {
            Map<String, String> row = new LinkedHashMap<>();
            for (FormField field : item.getFields()) {
                String value = field.getFirstValue();
                row.put(field.getFieldName(), value == null ? "" : value);
            }
            items.add(row);
        }
        return items;
    }

    /** Enables push at the user's server (XEP-0357 §5) with the registration's node and secret. */
    public void enablePush(String pushJid, Registration registration)
            throws IOException, InterruptedException, SmackException, XMPPException {
        HashMap<String, String> publishOptions = new HashMap<>();
        if (registration.secret() != null) {
            publishOptions.put("secret", registration.secret());
        }
        Jid jid = JidCreate.from(pushJid);
        if (!PushNotificationsManager.getInstanceFor(connection).enable(jid, registration.node(), publishOptions)) {
            throw new IOException("the server refused to enable push");
        }
    }

    /** Logs in as {@code user}, sends one chat message to {@code toBareJid} and logs out. */
    public static void sendAs(int c2sPort, String user, String password, String toBareJid, String body)
            throws IOException, InterruptedException, SmackException, XMPPException {
        try (XmppUser sender = login(c2sPort, user, password)) {
            sender.sendMessage(toBareJid, body);
        }
    }

    /** Sends a chat message. */
    public void sendMessage(String toBareJid, String body)
            throws IOException, InterruptedException, SmackException {
        Message message = MessageBuilder.buildMessage().to(JidCreate.from(toBareJid)).ofType(Message.Type.chat)
                .setBody(body).build();
        connection.sendStanza(message);
    }

    /**
     * Sends {@code xml}, an IQ request exactly as a client family writes it (a fixture from its source), unchanged,
     * and returns the server's answer to its {@code id}, a result or an error, as Smack parsed it.
     */
    public IQ sendAsWritten(String id, String xml) throws IOException, InterruptedException, SmackException {
        StanzaCollector collector = connection.createStanzaCollector(new StanzaIdFilter(id));
        try {
            connection.sendNonza(new Written(xml));
            Stanza answer = collector.nextResult(REPLY_TIMEOUT.toMillis());
            if (!(answer instanceof IQ iq)) {
                throw new IOException("no answer to the IQ '" + id + "' within " + REPLY_TIMEOUT);
            }
            return iq;
        } finally {
            collector.cancel();
        }
    }

    /** A top-level element written as given. */
    private record Written(String xml) implements Nonza {
        @Override
        public String getNamespace() {
            return "jabber:client";
        }

        @Override
        public String getElementName() {
            return "iq";
        }

        @Override
        public CharSequence toXML(XmlEnvironment enclosingNamespace) {
            return xml;
        }
    }

    /** Goes offline. */
    @Override
    public void close() {
        connection.disconnect();
    }
}
