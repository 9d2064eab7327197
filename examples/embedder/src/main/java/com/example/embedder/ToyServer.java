package com.example.embedder;

import io.pushcomponent.api.store.AccountPushRegistrationStore;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.core.user.AccountSession;
import io.pushcomponent.core.user.PushEnablementService;
import io.pushcomponent.core.user.PushHost;
import io.pushcomponent.core.user.PushSettings;
import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.core.xml.XmlRejectedException;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.stanza.Stanza;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A toy XMPP server that embeds push-core's user's-server side, as a server developer would: it implements
 * {@link PushHost} (domain, routing, sessions, the registration store), hands {@link PushEnablementService} the
 * clients' {@code <enable/>}/{@code <disable/>} and the app servers' answers, and tells it when a message arrives
 * for an account. Everything is in memory and XML travels as strings, as on a real server's wire.
 *
 * <p>Components (an app server, say) are connected in-process: a function from a stanza to the stanzas it answers.
 *
 * <p>Thread-safe: stanzas from clients, from components and from push-core's scheduler may arrive on any thread.
 */
public final class ToyServer implements PushHost, AutoCloseable {
    private final String domain;
    private final StanzaCodec codec = StanzaCodec.create();
    private final AccountPushRegistrationStore registrations = Stores.inMemoryAccountStore();
    private final Map<String, Function<String, CompletionStage<List<String>>>> components = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> online = new ConcurrentHashMap<>();
    private final Map<String, List<String>> offline = new ConcurrentHashMap<>();
    private final Map<String, BlockingQueue<String>> inboxes = new ConcurrentHashMap<>();
    private final PushEnablementService push;

    /** A server for {@code domain} with push-core's privacy defaults. */
    public ToyServer(String domain) {
        this.domain = domain;
        this.push = PushEnablementService.builder(this).settings(PushSettings.defaults()).build();
    }

    /** Connects a component (e.g. an XEP-0357 app server) that answers stanzas addressed to {@code jid}. */
    public void connectComponent(String jid, Function<String, CompletionStage<List<String>>> component) {
        components.put(jid, component);
    }

    /** A client logs in with an available session. */
    public void login(String fullJid) {
        online.computeIfAbsent(bare(fullJid), k -> ConcurrentHashMap.newKeySet()).add(fullJid);
    }

    /** A client's session ends. */
    public void logout(String fullJid) {
        Set<String> sessions = online.get(bare(fullJid));
        if (sessions != null) {
            sessions.remove(fullJid);
        }
    }

    /** A client sends a stanza (its {@code from} already stamped): push-core takes what is its, the rest is routed. */
    public void fromClient(String xml) {
        Stanza stanza = read(xml);
        if (!push.process(stanza)) {
            send(stanza);
        }
    }

    /**
     * A message for one of our accounts: delivered to its sessions when it has any, else stored offline; push-core
     * decides whether to publish a notification either way.
     */
    public void deliver(String messageXml) {
        Message message = (Message) read(messageXml);
        String account = bare(message.to());
        push.messageArrived(account, message);
        if (sessions(account).isEmpty()) {
            offline.computeIfAbsent(account, k -> new CopyOnWriteArrayList<>()).add(messageXml);
        } else {
            inbox(message.to()).add(messageXml);
        }
    }

    /** The messages stored for an offline account. */
    public List<String> offlineMessages(String account) {
        return List.copyOf(offline.getOrDefault(account, List.of()));
    }

    /**
     * The next stanza routed to the client {@code fullJid}.
     *
     * @throws AssertionError when none arrives within {@code timeout}
     */
    public String takeReceived(String fullJid, Duration timeout) throws InterruptedException {
        String xml = inbox(fullJid).poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (xml == null) {
            throw new AssertionError(fullJid + " received nothing within " + timeout);
        }
        return xml;
    }

    @Override
    public String domain() {
        return domain;
    }

    @Override
    public void send(Stanza stanza) {
        String to = stanza.to() == null ? "" : stanza.to();
        Function<String, CompletionStage<List<String>>> component = components.get(bare(to));
        if (component != null) {
            component.apply(codec.write(stanza)).thenAccept(answers -> answers.forEach(this::fromComponent));
        } else {
            inbox(to).add(codec.write(stanza));
        }
    }

    private void fromComponent(String xml) {
        Stanza stanza = read(xml);
        if (!push.process(stanza)) {
            send(stanza);
        }
    }

    @Override
    public List<AccountSession> sessions(String account) {
        return online.getOrDefault(account, Set.of()).stream()
                .map(full -> AccountSession.online(full.substring(full.indexOf('/') + 1))).toList();
    }

    @Override
    public AccountPushRegistrationStore registrations() {
        return registrations;
    }

    @Override
    public void close() {
        push.close();
    }

    private BlockingQueue<String> inbox(String fullJid) {
        return inboxes.computeIfAbsent(fullJid, k -> new LinkedBlockingQueue<>());
    }

    private Stanza read(String xml) {
        try {
            return codec.read(xml);
        } catch (XmlRejectedException e) {
            throw new IllegalArgumentException("not a stanza: " + e.getMessage(), e);
        }
    }

    private static String bare(String jid) {
        int slash = jid.indexOf('/');
        return slash < 0 ? jid : jid.substring(0, slash);
    }
}
