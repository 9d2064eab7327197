package io.pushcomponent.testkit.xmpp;

import io.pushcomponent.api.Jid;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.core.user.AccountSession;
import io.pushcomponent.core.user.PushEnablementService;
import io.pushcomponent.core.user.PushHost;
import io.pushcomponent.api.store.AccountPushRegistrationStore;
import io.pushcomponent.core.user.PushSettings;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.stanza.Stanza;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * An XMPP server in memory that hosts the user's-server side of XEP-0357 ({@link PushEnablementService}): accounts,
 * sessions with presence, message delivery with offline storage, and app servers connected in-process. For server
 * developers who embed push-core and for tests that need no real server.
 *
 * <pre>{@code
 * InMemoryPushHost host = new InMemoryPushHost("capulet.lit");
 * PushEnablementService push = host.startPush(PushSettings.defaults());
 * host.connectAppServer("push.example.net", appServer::handle);       // e.g. a PushAppServer
 * Iq answer = host.clientSends("juliet@capulet.lit/balcony", enableIq); // the client enables push
 * host.deliver(message);                                               // Juliet is offline: a publish goes out
 * host.awaitIdle(Duration.ofSeconds(5));                               // until the app server's answers are in
 * }</pre>
 *
 * <p>Every stanza the host sends is recorded ({@link #sent()}, {@link #takeSent(Duration)}). Stanzas addressed to a
 * connected app server are handed to it; its answers come back as if over the network: IQ answers to the push
 * service, messages (such as the remote-disabling {@code affiliation='none'}) delivered to the account.
 *
 * <p><b>Thread-safety:</b> every method is thread-safe; app servers may answer on any thread. <b>Lifecycle:</b>
 * {@link #close()} closes the push service started here. Needs no test framework; failed waits throw
 * {@link AssertionError}.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html">XEP-0357: Push Notifications</a>
 */
public final class InMemoryPushHost implements PushHost, AutoCloseable {
    private final String domain;
    private final AccountPushRegistrationStore store;
    private final Map<String, Map<String, AccountSession>> sessions = new ConcurrentHashMap<>();
    private final Map<String, List<Message>> offline = new ConcurrentHashMap<>();
    private final Map<String, List<Stanza>> received = new ConcurrentHashMap<>();
    private final Map<String, Integer> pendingSubscriptions = new ConcurrentHashMap<>();
    private final Map<String, Function<Stanza, CompletionStage<List<Stanza>>>> appServers = new ConcurrentHashMap<>();
    private final List<Stanza> history = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Stanza> outbox = new LinkedBlockingQueue<>();
    private final Object idle = new Object();
    private int inFlight;
    private volatile PushEnablementService push;

    /** A host for {@code domain} with an in-memory registration store. */
    public InMemoryPushHost(String domain) {
        this(domain, Stores.inMemoryAccountStore());
    }

    /** A host for {@code domain} that keeps registrations in {@code store} (e.g. a JDBC store under test). */
    public InMemoryPushHost(String domain, AccountPushRegistrationStore store) {
        this.domain = Objects.requireNonNull(domain, "domain");
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Starts the push service on this host with {@code settings}; one per host. */
    public PushEnablementService startPush(PushSettings settings) {
        return startPush(PushEnablementService.builder(this).settings(settings));
    }

    /**
     * Starts the push service this builder describes (built for this host, e.g. with extensions); one per host.
     *
     * @throws IllegalStateException when a service is already started
     */
    public synchronized PushEnablementService startPush(PushEnablementService.Builder builder) {
        if (push != null) {
            throw new IllegalStateException("a push service is already started on " + domain);
        }
        push = builder.build();
        return push;
    }

    /** The push service started on this host. */
    public PushEnablementService push() {
        PushEnablementService p = push;
        if (p == null) {
            throw new IllegalStateException("no push service started on " + domain + "; call startPush first");
        }
        return p;
    }

    /**
     * Connects an app server in-process: every stanza sent to {@code jid} goes to {@code handler}, and the stanzas its
     * stage completes with come back to this host. {@code PushAppServer::handle} fits.
     */
    public InMemoryPushHost connectAppServer(String jid, Function<Stanza, CompletionStage<List<Stanza>>> handler) {
        appServers.put(Objects.requireNonNull(jid, "jid"), Objects.requireNonNull(handler, "handler"));
        return this;
    }

    // ---- accounts and sessions --------------------------------------------------------------------------------

    /**
     * Sets the presence of a session, opening it if needed.
     *
     * @param fullJid  {@code user@domain/resource}
     * @param presence {@link AccountSession.Presence#NONE} for a session without (or after unavailable) presence
     * @param priority the presence priority
     */
    public InMemoryPushHost presence(String fullJid, AccountSession.Presence presence, int priority) {
        String resource = resource(fullJid);
        AccountSession session = new AccountSession(resource, presence, priority);
        sessions.compute(bare(fullJid), (account, map) -> {
            Map<String, AccountSession> next = map == null ? new ConcurrentHashMap<>() : map;
            next.put(resource, session);
            return next;
        });
        return this;
    }

    /** Closes a session. */
    public InMemoryPushHost logout(String fullJid) {
        sessions.computeIfPresent(bare(fullJid), (account, map) -> {
            map.remove(resource(fullJid));
            return map.isEmpty() ? null : map;
        });
        return this;
    }

    /** Sets the account's number of pending subscription requests (for {@code pending-subscription-count}). */
    public InMemoryPushHost pendingSubscriptions(String account, int count) {
        pendingSubscriptions.put(account, count);
        return this;
    }

    /**
     * A client session sends a stanza to its server: the host stamps {@code from} with the session's full JID and lets
     * the push service handle it.
     *
     * @return the answer to an IQ the server answered at once; empty otherwise
     */
    public Optional<Stanza> clientSends(String fullJid, Stanza stanza) {
        stanza.from(fullJid);
        int before = history.size();
        if (!push().process(stanza)) {
            route(stanza);
        }
        if (stanza instanceof Iq iq && iq.isRequest()) {
            List<Stanza> snapshot = List.copyOf(history);
            for (Stanza s : snapshot.subList(before, snapshot.size())) {
                if (s instanceof Iq answer && Objects.equals(answer.id(), iq.id()) && fullJid.equals(answer.to())) {
                    return Optional.of(answer);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A client session sends an IQ request and waits for its answer, whether the server answers it (enable, disable)
     * or an app server does (e.g. {@code register-device}).
     *
     * @throws AssertionError when no answer arrives within {@code timeout}
     */
    public Iq request(String fullJid, Iq request, Duration timeout) {
        Optional<Stanza> immediate = clientSends(fullJid, request);
        if (immediate.isPresent()) {
            return (Iq) immediate.get();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (true) {
                for (Stanza s : receivedBy(fullJid)) {
                    if (s instanceof Iq answer && !answer.isRequest() && Objects.equals(answer.id(), request.id())) {
                        return answer;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no answer to IQ " + request.id() + " from " + request.to() + " within "
                            + timeout);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(idle, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for an answer", e);
                }
            }
        }
    }

    /**
     * A message for an account arrives at the server (from another user, or an app server): the push service decides
     * whether to publish, then the message goes to the account's available sessions or, when there is none, to
     * offline storage.
     */
    public void deliver(Message message) {
        String account = bare(Objects.requireNonNull(message.to(), "message to"));
        push().process(message);
        push().messageArrived(account, message);
        List<AccountSession> available = sessions(account).stream().filter(AccountSession::isAvailable).toList();
        if (available.isEmpty()) {
            offline.compute(account, (a, stored) -> {
                List<Message> next = stored == null ? new CopyOnWriteArrayList<>() : stored;
                next.add(message);
                return next;
            });
        } else {
            available.forEach(s -> received(account + "/" + s.resource()).add(message));
        }
    }

    /** A client fetches the account's offline messages; the push service clears the badge. */
    public List<Message> fetchOfflineMessages(String account) {
        List<Message> messages = offline.remove(account);
        push().offlineMessagesFetched(account);
        return messages == null ? List.of() : List.copyOf(messages);
    }

    /** The messages stored offline for the account, not consumed. */
    public List<Message> offlineMessages(String account) {
        return List.copyOf(offline.getOrDefault(account, List.of()));
    }

    /** The stanzas delivered to a session so far. */
    public List<Stanza> receivedBy(String fullJid) {
        return List.copyOf(received.getOrDefault(fullJid, List.of()));
    }

    // ---- what was sent --------------------------------------------------------------------------------------------

    /** Every stanza this host has sent, in order. */
    public List<Stanza> sent() {
        return List.copyOf(history);
    }

    /** The publish IQs sent so far, in order. */
    public List<Iq> publishes() {
        List<Iq> out = new ArrayList<>();
        for (Stanza s : history) {
            if (s instanceof Iq iq && Iq.SET.equals(iq.type()) && iq.from() != null && iq.from().equals(domain)) {
                out.add(iq);
            }
        }
        return out;
    }

    /**
     * The next stanza sent, in order.
     *
     * @throws AssertionError when none is sent within {@code timeout}
     */
    public Stanza takeSent(Duration timeout) {
        try {
            Stanza s = outbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (s == null) {
                throw new AssertionError("no stanza was sent within " + timeout);
            }
            return s;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a stanza", e);
        }
    }

    /**
     * Waits until every stanza handed to a connected app server has been answered and the answers processed.
     *
     * @throws AssertionError when that does not happen within {@code timeout}
     */
    public void awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(inFlight + " exchange(s) with app servers still open after " + timeout);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(idle, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for app servers", e);
                }
            }
        }
    }

    // ---- PushHost ---------------------------------------------------------------------------------------------

    @Override
    public String domain() {
        return domain;
    }

    @Override
    public void send(Stanza stanza) {
        history.add(stanza);
        outbox.add(stanza);
        route(stanza);
    }

    @Override
    public List<AccountSession> sessions(String account) {
        Map<String, AccountSession> map = sessions.get(account);
        return map == null ? List.of() : List.copyOf(new LinkedHashMap<>(map).values());
    }

    @Override
    public AccountPushRegistrationStore registrations() {
        return store;
    }

    @Override
    public OptionalInt pendingSubscriptions(String account) {
        Integer count = pendingSubscriptions.get(account);
        return count == null ? OptionalInt.empty() : OptionalInt.of(count);
    }

    @Override
    public void close() {
        PushEnablementService p = push;
        if (p != null) {
            p.close();
        }
    }

    @Override
    public String toString() {
        return "InMemoryPushHost[" + domain + ", accounts with sessions=" + sessions.keySet() + "]";
    }

    // ---- routing ----------------------------------------------------------------------------------------------

    private void route(Stanza stanza) {
        String to = stanza.to();
        if (to == null) {
            return;
        }
        Function<Stanza, CompletionStage<List<Stanza>>> appServer = appServers.get(to);
        if (appServer != null) {
            exchange(appServer, stanza);
            return;
        }
        if (to.contains("/")) {
            received(to).add(stanza);
        }
    }

    private void exchange(Function<Stanza, CompletionStage<List<Stanza>>> appServer, Stanza stanza) {
        synchronized (idle) {
            inFlight++;
        }
        CompletionStage<List<Stanza>> answers;
        try {
            answers = appServer.apply(stanza);
        } catch (RuntimeException e) {
            done();
            throw e;
        }
        answers.whenComplete((list, error) -> {
            try {
                if (list != null) {
                    list.forEach(this::receive);
                }
            } finally {
                done();
            }
        });
    }

    /** A stanza from an app server arrives at this server. */
    private void receive(Stanza stanza) {
        String to = stanza.to();
        if (stanza instanceof Message message && to != null && bare(to).contains("@")) {
            deliver(message);
        } else if (!push().process(stanza) && to != null && to.contains("/")) {
            received(to).add(stanza);
            arrived();
        }
    }

    private void done() {
        synchronized (idle) {
            inFlight--;
            idle.notifyAll();
        }
    }

    private void arrived() {
        synchronized (idle) {
            idle.notifyAll();
        }
    }

    private List<Stanza> received(String fullJid) {
        return received.computeIfAbsent(fullJid, j -> new CopyOnWriteArrayList<>());
    }

    private static String bare(String jid) {
        return Jid.bareOf(jid);
    }

    private static String resource(String fullJid) {
        String resource = Jid.parse(fullJid).resource();
        if (resource == null) {
            throw new IllegalArgumentException("a session needs a full JID (user@domain/resource): " + fullJid);
        }
        return resource;
    }
}
