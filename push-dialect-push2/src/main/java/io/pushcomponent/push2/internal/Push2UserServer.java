package io.pushcomponent.push2.internal;

import io.pushcomponent.api.Jid;
import io.pushcomponent.api.Redaction;
import io.pushcomponent.api.store.AccountPushRegistration;
import io.pushcomponent.api.store.AccountPushRegistrationStore;
import io.pushcomponent.core.user.AccountSession;
import io.pushcomponent.core.user.PushExtension;
import io.pushcomponent.core.user.PushSettings;
import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.stanza.StanzaError;
import io.pushcomponent.push2.Push2Settings;
import io.pushcomponent.webpush.crypto.Vapid;
import io.pushcomponent.webpush.crypto.VapidKeys;
import io.pushcomponent.webpush.crypto.WebPushEncryption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The user's-server side of Push 2.0, as one extension of push-core's {@code PushEnablementService}: it answers the
 * {@code urn:xmpp:push2:0} enable and disable, stores each client's registration with the account's XEP-0357 ones,
 * sends a notification message when a message matches one of the client's profiles while its session is gone,
 * retries those the push service answers with a {@code wait} error and disables a registration that keeps failing.
 *
 * <p>A registration is stored as an {@link AccountPushRegistration} whose {@code jid} is {@link #REGISTRATION_JID}
 * (never a JID an XEP-0357 enable can name, so XEP-0357's disable never touches it) and whose {@code node} is the
 * resource of the session that enabled it (one registration per client, as the draft ties it to the client); the
 * enable itself is kept in its extension data.
 *
 * <p>Thread-safe; store calls run on the caller's thread (the host's) or on the service's scheduler (retries and
 * answers).
 */
public final class Push2UserServer implements PushExtension {
    /** The {@code jid} of stored Push 2.0 registrations. */
    public static final String REGISTRATION_JID = "urn:xmpp:push2:0";
    static final String ENABLE_KEY = "push2.enable";
    static final String FAILING_SINCE_KEY = "push2.failing-since";
    /** The RFC 8291 header (salt, record size, key id length, the 65-byte key) and the AEAD tag and delimiter. */
    static final int ENCRYPTION_OVERHEAD = 16 + 4 + 1 + 65 + 16 + 1;
    /** How long an RFC 8292 token is valid (at most 24 hours, RFC 8292 §2). */
    static final Duration TOKEN_VALIDITY = Duration.ofHours(12);
    /** The longest resource a registration is stored under. */
    static final int MAX_RESOURCE_LENGTH = 512;
    private static final int MAX_TRACKED_ACCOUNTS = 100_000;
    /** How long a session's last activity is remembered: longer than any sensible grace period. */
    static final Duration ACTIVITY_KEPT = Duration.ofDays(1);
    private static final Logger LOG = LoggerFactory.getLogger(Push2UserServer.class);
    private static final List<String> FEATURES = List.of(Push2Xml.NS, Push2Xml.SEND_NOTIFY_ONLY, Push2Xml.SEND_SCE,
            Push2Xml.MATCH_ALL, Push2Xml.MATCH_IMPORTANT, Push2Xml.MATCH_ARCHIVED, Push2Xml.MATCH_ARCHIVED_WITH_BODY);

    private final Push2Settings settings;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    /** When each session of an account was last active, for the grace periods. */
    private final Map<String, Map<String, Instant>> activity = new ConcurrentHashMap<>();
    private volatile Envelope envelope;

    /** A notification sent and not yet answered; an error reply within the answer window is its answer. */
    private record Pending(String account, String resource, String service, Element notification, int retries,
                           ScheduledFuture<?> window) {
    }

    /** With the dialect's settings. */
    public Push2UserServer(Push2Settings settings) {
        this.settings = settings;
    }

    @Override
    public String id() {
        return Push2Xml.NS;
    }

    @Override
    public List<String> discoFeatures(PushSettings pushSettings) {
        return FEATURES;
    }

    @Override
    public boolean owns(AccountPushRegistration registration) {
        return REGISTRATION_JID.equals(registration.jid());
    }

    /** Notifications sent whose answer window is still open. */
    int pendingNotifications() {
        return pending.size();
    }

    // ---- enable and disable -----------------------------------------------------------------------------------

    @Override
    public Optional<Iq> handleRequest(String account, Iq request, ServiceContext context) {
        Optional<Element> enable = Push2Xml.find(request.extensions(), Push2Xml.NS, "enable");
        Optional<Element> disable = Push2Xml.find(request.extensions(), Push2Xml.NS, "disable");
        if (enable.isEmpty() && disable.isEmpty()) {
            return Optional.empty();
        }
        if (!Iq.SET.equals(request.type())) {
            return Optional.of(error(request, StanzaError.Condition.BAD_REQUEST,
                    "enable and disable must be sent with type='set'"));
        }
        String resource = Jid.tryParse(request.from()).map(Jid::resource).orElse(null);
        if (resource == null || resource.length() > MAX_RESOURCE_LENGTH) {
            return Optional.of(error(request, StanzaError.Condition.BAD_REQUEST, "Push 2.0 is enabled by a session"
                    + " (a full JID with a resource of at most " + MAX_RESOURCE_LENGTH + " characters)"));
        }
        AccountPushRegistrationStore store = context.host().registrations();
        if (disable.isPresent()) {
            boolean removed = store.remove(account, REGISTRATION_JID, resource);
            LOG.info("Push 2.0 disabled for {}/{}: {}", account, resource, removed ? "removed" : "none was enabled");
            return Optional.of(request.resultReply());
        }
        Push2Enable parsed;
        try {
            parsed = Push2Enable.parse(enable.get());
        } catch (IllegalArgumentException e) {
            return Optional.of(error(request, StanzaError.Condition.BAD_REQUEST, e.getMessage()));
        }
        if (context.host().isLocalDomain(Jid.parse(parsed.service()).domain())) {
            return Optional.of(error(request, StanzaError.Condition.NOT_ACCEPTABLE,
                    "the push service must be an app server, not this server or one of its accounts"));
        }
        AccountPushRegistration registration = new AccountPushRegistration(account, REGISTRATION_JID, resource,
                Map.of(), false, Map.of(ENABLE_KEY, parsed.toXml()), 0, context.clock().instant());
        store.put(registration, context.settings().maxRegistrationsPerAccount());
        LOG.info("Push 2.0 enabled for {}/{} at {} client {} ({} match profiles)", account, resource,
                parsed.service(), Redaction.token(parsed.client()), parsed.matches().size());
        return Optional.of(request.resultReply());
    }

    private static Iq error(Iq request, StanzaError.Condition condition, String text) {
        return request.errorReply(StanzaError.of(condition, text));
    }

    // ---- XEP-0357 beside it -----------------------------------------------------------------------------------

    /**
     * No XEP-0357 publish to a registration whose app server and node a Push 2.0 registration of the same account
     * names as its service and client: that client gets its notifications once, through Push 2.0.
     */
    @Override
    public Optional<Notification> apply(NotificationContext context, Notification notification) {
        AccountPushRegistration target = context.registration();
        for (AccountPushRegistration r : context.host().registrations().list(context.account())) {
            if (owns(r)) {
                Push2Enable enable = enableOf(r);
                if (enable != null && enable.client().equals(target.node())
                        && Jid.tryParse(target.jid()).filter(j -> j.sameBare(enable.service())).isPresent()) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(notification);
    }

    // ---- notifying ----------------------------------------------------------------------------------------------

    @Override
    public void sessionActive(String account, String resource, ServiceContext context) {
        if (activity.size() >= MAX_TRACKED_ACCOUNTS && !activity.containsKey(account)) {
            activity.clear();
        }
        Instant now = context.clock().instant();
        Map<String, Instant> sessions = activity.computeIfAbsent(account, a -> new ConcurrentHashMap<>());
        sessions.values().removeIf(last -> last.isBefore(now.minus(ACTIVITY_KEPT)));
        sessions.put(resource, now);
    }

    @Override
    public int messageArrived(String account, Message message, List<AccountPushRegistration> registrations,
                              ServiceContext context) {
        List<AccountPushRegistration> mine = registrations.stream().filter(this::owns).toList();
        if (mine.isEmpty() || "error".equals(message.type())
                || Jid.tryParse(message.from()).filter(from -> from.sameBare(account)).isPresent()) {
            return 0;
        }
        boolean call = Stanzas.isCall(message);
        boolean important = Stanzas.isImportant(message);
        List<AccountSession> sessions = context.host().sessions(account);
        Instant now = context.clock().instant();
        int sent = 0;
        Boolean allowed = null;
        for (AccountPushRegistration registration : mine) {
            if (!call && connected(sessions, registration.node())) {
                continue;
            }
            Push2Enable enable = enableOf(registration);
            if (enable == null) {
                continue;
            }
            List<Push2Enable.Send> sends = matchingSends(enable, message, account, registration.node(), call,
                    important, now);
            if (sends.isEmpty()) {
                continue;
            }
            if (allowed == null) {
                allowed = context.tryPublish(account);
            }
            if (!allowed) {
                LOG.debug("no Push 2.0 notification for a message to {}: more than {} a minute", account,
                        context.settings().publishesPerMinute());
                return sent;
            }
            try {
                Element notification = notification(enable, sends, message, account, call, important, context);
                send(account, registration.node(), enable.service(), notification, 0, context);
                sent++;
            } catch (RuntimeException e) {
                LOG.warn("Push 2.0 notification to {} for {}/{} failed", enable.service(), account,
                        registration.node(), e);
            }
        }
        return sent;
    }

    /** Whether the client's session is there to receive the message itself (not gone, not hibernated). */
    private static boolean connected(List<AccountSession> sessions, String resource) {
        return sessions.stream().anyMatch(s -> s.resource().equals(resource)
                && s.presence() != AccountSession.Presence.NONE);
    }

    /** The send profiles of the matches the message satisfies, each profile once, in match order. */
    List<Push2Enable.Send> matchingSends(Push2Enable enable, Message message, String account, String resource,
                                         boolean call, boolean important, Instant now) {
        Map<String, Push2Enable.Send> sends = new LinkedHashMap<>();
        for (Push2Enable.Match match : enable.matches()) {
            boolean matches = switch (match.profile()) {
                case Push2Xml.MATCH_ALL -> true;
                case Push2Xml.MATCH_IMPORTANT -> important;
                case Push2Xml.MATCH_ARCHIVED -> Stanzas.archiveId(message, account).isPresent();
                case Push2Xml.MATCH_ARCHIVED_WITH_BODY -> Stanzas.archiveId(message, account).isPresent()
                        && Stanzas.hasBody(message);
                default -> false;
            };
            if (matches && match.grace() != null && !call && activeElsewhere(account, resource, match.grace(), now)) {
                matches = false;
            }
            Push2Enable.Filter filter = filter(match, message.from());
            if (matches && filter != null) {
                String nickname = Jid.parse(account).local();
                matches = (filter.mention() && Stanzas.mentions(message, nickname))
                        || (filter.reply() && Stanzas.repliesTo(message, account, nickname));
            }
            if (matches) {
                sends.putIfAbsent(match.send().profile(), match.send());
            }
        }
        return new ArrayList<>(sends.values());
    }

    /** The filter of the chat the message comes from: by full JID, bare JID or domain. */
    private static Push2Enable.Filter filter(Push2Enable.Match match, String from) {
        if (match.filters().isEmpty() || from == null) {
            return null;
        }
        Optional<Jid> jid = Jid.tryParse(from);
        if (jid.isEmpty()) {
            return null;
        }
        Push2Enable.Filter f = match.filters().get(jid.get().toString());
        if (f == null) {
            f = match.filters().get(jid.get().bare().toString());
        }
        return f != null ? f : match.filters().get(jid.get().domain());
    }

    private boolean activeElsewhere(String account, String resource, int graceSeconds, Instant now) {
        Map<String, Instant> sessions = activity.get(account);
        if (sessions == null) {
            return false;
        }
        Instant since = now.minusSeconds(graceSeconds);
        return sessions.entrySet().stream().anyMatch(e -> !e.getKey().equals(resource) && e.getValue().isAfter(since));
    }

    /** The {@code <notification/>} for the matched send profiles. */
    private Element notification(Push2Enable enable, List<Push2Enable.Send> sends, Message message, String account,
                                 boolean call, boolean important, ServiceContext context) {
        Document doc = Push2Xml.newDocument();
        Element n = doc.createElementNS(Push2Xml.NS, "notification");
        doc.appendChild(n);
        Push2Xml.text(n, Push2Xml.NS, "client", enable.client());
        Push2Xml.text(n, Push2Xml.NS, "priority", call ? "high" : important ? "normal" : "low");
        if (call) {
            n.appendChild(doc.createElementNS(Push2Xml.NS, "voip"));
        }
        for (Push2Enable.Send send : sends) {
            if (send.encrypts()) {
                encrypt(n, send, message, account, context);
            }
        }
        return n;
    }

    /** Adds the encrypted forwarded stanza and, when the client gave a key, the RFC 8292 token. */
    private void encrypt(Element n, Push2Enable.Send send, Message message, String account, ServiceContext context) {
        int maxPlaintext = Math.min(Math.min(WebPushEncryption.MAX_PLAINTEXT, Push2Settings.STANZA_CAP),
                settings.maxPayloadBytes() / 4 * 3 - ENCRYPTION_OVERHEAD);
        byte[] plaintext = envelope().seal(message, account, maxPlaintext);
        byte[] body = WebPushEncryption.encrypt(send.uaPublic(), send.authSecret(), plaintext, 0);
        Element encrypted = n.getOwnerDocument().createElementNS(Push2Xml.SCE_RFC8291, "encrypted");
        n.appendChild(encrypted);
        Push2Xml.text(encrypted, Push2Xml.SCE_RFC8291, "payload", Base64.getEncoder().encodeToString(body));
        if (send.jwtKey() != null) {
            VapidKeys keys = Push2Enable.signingKey(send.jwtKey());
            String subject = settings.contactUri() != null ? settings.contactUri()
                    : "xmpp:" + context.host().domain();
            String token = Vapid.token(keys, send.claims().get("aud"),
                    context.clock().instant().plus(TOKEN_VALIDITY), subject);
            Element jwt = Push2Xml.text(n, Push2Xml.NS, "jwt", token);
            jwt.setAttribute("key", Base64.getEncoder().encodeToString(
                    Base64.getUrlDecoder().decode(keys.publicKeyBase64Url())));
        }
    }

    private Envelope envelope() {
        Envelope e = envelope;
        if (e == null) {
            e = new Envelope(StanzaCodec.create());
            envelope = e;
        }
        return e;
    }

    private void send(String account, String resource, String service, Element notification, int retries,
                      ServiceContext context) {
        Message message = Message.of(context.host().domain(), service, notification);
        String id = message.id();
        ScheduledFuture<?> window = context.scheduler().schedule(() -> unanswered(id, context),
                settings.answerWindow().toMillis(), TimeUnit.MILLISECONDS);
        pending.put(id, new Pending(account, resource, service, notification, retries, window));
        try {
            context.host().send(message);
        } catch (RuntimeException e) {
            pending.remove(id);
            window.cancel(false);
            throw e;
        }
    }

    // ---- answers -----------------------------------------------------------------------------------------------

    /** An error reply to one of our notifications: {@code wait} is retried, anything else is a failure. */
    @Override
    public boolean consume(Stanza stanza, ServiceContext context) {
        if (!(stanza instanceof Message message) || !"error".equals(message.type()) || message.id() == null) {
            return false;
        }
        Pending p = pending.get(message.id());
        if (p == null || Jid.tryParse(message.from()).filter(from -> from.sameBare(p.service())).isEmpty()
                || !pending.remove(message.id(), p)) {
            return false;
        }
        p.window().cancel(false);
        StanzaError error = message.error().orElse(null);
        if (error != null && error.type() == StanzaError.Type.WAIT) {
            Optional<Duration> delay = settings.retry().nextDelay(p.retries(), null);
            if (delay.isPresent()) {
                LOG.debug("Push 2.0 notification to {} for {}/{}: wait error, retry {} in {}", p.service(),
                        p.account(), p.resource(), p.retries() + 1, delay.get());
                context.scheduler().schedule(() -> retry(p, context), delay.get().toMillis(), TimeUnit.MILLISECONDS);
                return true;
            }
        }
        failed(p, error == null ? "an error reply without <error/>" : error.type().xmlName() + "/"
                + error.condition().xmlName(), context);
        return true;
    }

    private void retry(Pending p, ServiceContext context) {
        try {
            if (context.host().registrations().find(p.account(), REGISTRATION_JID, p.resource()).isPresent()) {
                send(p.account(), p.resource(), p.service(), p.notification(), p.retries() + 1, context);
            }
        } catch (RuntimeException e) {
            LOG.warn("Push 2.0 retry to {} for {}/{} failed", p.service(), p.account(), p.resource(), e);
        }
    }

    /** No error reply within the window: delivered; a registration that was failing is well again. */
    private void unanswered(String id, ServiceContext context) {
        Pending p = pending.remove(id);
        if (p == null) {
            return;
        }
        try {
            AccountPushRegistrationStore store = context.host().registrations();
            store.find(p.account(), REGISTRATION_JID, p.resource())
                    .filter(r -> r.extensionData().containsKey(FAILING_SINCE_KEY))
                    .ifPresent(r -> store.put(withFailingSince(r, null),
                            context.settings().maxRegistrationsPerAccount()));
        } catch (RuntimeException e) {
            LOG.warn("could not clear the failures of the Push 2.0 registration of {}/{}", p.account(),
                    p.resource(), e);
        }
    }

    /**
     * A notification given up or refused: the registration's first failure is remembered; when it keeps failing for
     * {@link Push2Settings#disableAfter()}, it is disabled.
     */
    private void failed(Pending p, String detail, ServiceContext context) {
        try {
            AccountPushRegistrationStore store = context.host().registrations();
            Optional<AccountPushRegistration> found = store.find(p.account(), REGISTRATION_JID, p.resource());
            if (found.isEmpty()) {
                return;
            }
            Instant now = context.clock().instant();
            String since = found.get().extensionData().get(FAILING_SINCE_KEY);
            Instant failingSince = since == null ? now : Instant.ofEpochMilli(Long.parseLong(since));
            if (!now.isBefore(failingSince.plus(settings.disableAfter()))) {
                store.remove(p.account(), REGISTRATION_JID, p.resource());
                LOG.info("Push 2.0 disabled for {}/{} at {}: failing since {}, the last: {}", p.account(),
                        p.resource(), p.service(), failingSince, detail);
            } else if (since == null) {
                store.put(withFailingSince(found.get(), now), context.settings().maxRegistrationsPerAccount());
                LOG.info("Push 2.0 notification to {} for {}/{} failed: {}", p.service(), p.account(), p.resource(),
                        detail);
            } else {
                LOG.debug("Push 2.0 notification to {} for {}/{} failed again: {}", p.service(), p.account(),
                        p.resource(), detail);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not record the failure of the Push 2.0 registration of {}/{}", p.account(),
                    p.resource(), e);
        }
    }

    private static AccountPushRegistration withFailingSince(AccountPushRegistration r, Instant since) {
        Map<String, String> data = new HashMap<>(r.extensionData());
        if (since == null) {
            data.remove(FAILING_SINCE_KEY);
        } else {
            data.put(FAILING_SINCE_KEY, Long.toString(since.toEpochMilli()));
        }
        return new AccountPushRegistration(r.account(), r.jid(), r.node(), r.publishOptions(), r.away(), data,
                r.errorCount(), r.createdAt());
    }

    /** The stored enable of one of our registrations; {@code null} (logged) when it cannot be read. */
    private static Push2Enable enableOf(AccountPushRegistration registration) {
        String xml = registration.extensionData().get(ENABLE_KEY);
        if (xml == null) {
            return null;
        }
        try {
            return Push2Enable.fromXml(xml);
        } catch (IllegalArgumentException e) {
            LOG.warn("the stored Push 2.0 registration of {}/{} cannot be read: {}", registration.account(),
                    registration.node(), e.getMessage());
            return null;
        }
    }
}
