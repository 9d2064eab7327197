package io.pushcomponent.monal.internal;

import io.pushcomponent.api.Device;
import io.pushcomponent.api.Jid;
import io.pushcomponent.api.PushKind;
import io.pushcomponent.api.PushPriority;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.Redaction;
import io.pushcomponent.api.Summary;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.core.dialect.AppServerContext;
import io.pushcomponent.core.dialect.AppServerDialect;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.pubsub.PubSub;
import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.stanza.StanzaError;
import io.pushcomponent.core.xml.stanza.StanzaError.Condition;
import io.pushcomponent.core.xml.stanza.StanzaError.Type;
import io.pushcomponent.monal.StatelessSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fpush's stateless publishes: the node is the device token, the {@code pushModule} publish-option names the app
 * (the configured default module serves a publish without it whose node looks like a token), and no registration is
 * looked up. The push goes through {@link AppServerContext#deliver}, guarded by {@link TokenGuard}.
 *
 * <p>A publish without {@code pushModule} that carries a {@code secret} belongs to a registration (stateless
 * publishes never carry one) and is left to the core.
 *
 * <p>What each case is answered with:
 * <ul>
 *   <li>delivered: a result; held back or dropped by the rate limit: a result at once (as fpush answers since it
 *       stopped sending {@code wait/resource-constraint}: operators took the {@code wait} errors in their servers'
 *       logs for a fault, while the device is woken by the push held back anyway);</li>
 *   <li>the provider says the token is dead: {@code cancel/item-not-found} (what {@code deliver} answers), and the
 *       token is refused with the same error, without asking the provider, for the dead-token block;</li>
 *   <li>a {@code pushModule} that is not configured: {@code cancel/item-not-found}; a node the provider does not take
 *       as a token: {@code modify/bad-request}; a publisher outside the allowed domains: {@code auth/forbidden}.</li>
 * </ul>
 *
 * <p>Monal's notification service extension fetches the messages itself and replaces what the push shows, so every
 * push is a visible {@code MESSAGE} at high priority (APNs: a {@code mutable-content} alert, shown with the
 * provider's {@code alert-body} placeholder until the extension replaces it), never a background push, which iOS
 * throttles; only a badge clear ({@code message-count} 0) stays one.
 *
 * <p>Thread-safe; never blocks (a held-back push waits on {@link CompletableFuture#delayedExecutor}).
 */
public final class StatelessPublishes implements AppServerDialect {
    /** The publish-option naming the app. */
    public static final String PUSH_MODULE = "pushModule";
    /** fpush's bounds of a token's length (its rate limiter refuses tokens outside them). */
    static final int MIN_TOKEN_LENGTH = 64;
    static final int MAX_TOKEN_LENGTH = 512;

    private static final Logger LOG = LoggerFactory.getLogger(StatelessPublishes.class);

    private final StatelessSettings settings;
    private final TokenGuard guard;

    public StatelessPublishes(StatelessSettings settings) {
        this(settings, System::nanoTime);
    }

    StatelessPublishes(StatelessSettings settings, LongSupplier nanoClock) {
        this.settings = settings;
        this.guard = new TokenGuard(settings.rateLimit(), settings.deadTokenBlock(), nanoClock);
    }

    @Override
    public Optional<CompletionStage<List<Stanza>>> handle(Stanza stanza, AppServerContext context) {
        if (!(stanza instanceof Iq iq) || !Iq.SET.equals(iq.type())
                || !(iq.payload().orElse(null) instanceof PubSub pubsub) || pubsub.publish().isEmpty()) {
            return Optional.empty();
        }
        PubSub.Publish publish = pubsub.publish().get();
        String node = publish.node();
        Optional<String> named = pubsub.publishOptions().flatMap(form -> form.value(PUSH_MODULE)).map(String::trim);
        String module;
        if (named.isPresent()) {
            module = named.get();
        } else if (settings.defaultModule() != null && node != null && node.length() >= MIN_TOKEN_LENGTH
                && node.length() <= MAX_TOKEN_LENGTH
                && pubsub.publishOptions().flatMap(form -> form.value("secret")).isEmpty()) {
            module = settings.defaultModule();
        } else {
            return Optional.empty();
        }
        return Optional.of(serve(iq, publish, module, context));
    }

    private CompletionStage<List<Stanza>> serve(Iq iq, PubSub.Publish publish, String moduleName,
                                                AppServerContext context) {
        String from = iq.from();
        if (from == null || from.isBlank()) {
            return answer(iq.errorReply(StanzaError.of(Type.MODIFY, Condition.BAD_REQUEST,
                    "the publish has no sender (from)")));
        }
        if (!settings.allowedPublishers().isEmpty()) {
            String domain = Jid.tryParse(from).map(Jid::domain).orElse(null);
            if (domain == null || !settings.allowedPublishers().contains(domain)) {
                return answer(iq.errorReply(StanzaError.of(Type.AUTH, Condition.FORBIDDEN,
                        "servers of domain " + domain + " may not publish to this push service")));
            }
        }
        StatelessSettings.PushModule module = settings.modules().get(moduleName);
        if (module == null) {
            return answer(iq.errorReply(StanzaError.of(Type.CANCEL, Condition.ITEM_NOT_FOUND,
                    "this push service has no push module '" + (moduleName.length() > 64 ? moduleName.substring(0, 64) + "…" : moduleName) + "'")));
        }
        String token = publish.node();
        if (token == null || token.isBlank() || token.length() > MAX_TOKEN_LENGTH) {
            return answer(iq.errorReply(StanzaError.of(Type.MODIFY, Condition.BAD_REQUEST,
                    "the node of a stateless publish is the device token (at most " + MAX_TOKEN_LENGTH
                            + " characters)")));
        }
        String providerId = context.canonicalProviderId(module.provider()).orElse(module.provider());
        Device device = new Device(providerId, token, null, module.app(), module.sandbox());
        Optional<String> refused = context.provider(providerId).flatMap(p -> p.checkTokens(device));
        if (refused.isPresent()) {
            return answer(iq.errorReply(StanzaError.of(Type.MODIFY, Condition.BAD_REQUEST,
                    "the node of a stateless publish is the device token: " + refused.get())));
        }
        PushRequest request;
        try {
            request = request(device, publish);
        } catch (IllegalArgumentException e) {
            return answer(iq.errorReply(StanzaError.of(Type.MODIFY, Condition.BAD_REQUEST, e.getMessage())));
        }
        DeviceRegistration registration = new DeviceRegistration(token, device, Jid.tryParse(from)
                .map(j -> j.bare().toString()).orElse(from), null, Instant.now());
        TokenGuard.Decision decision = guard.admit(moduleName, token);
        switch (decision.kind()) {
            case BLOCKED -> {
                LOG.debug("refused a push to dead token {} of push module {}", Redaction.token(token), moduleName);
                return answer(iq.errorReply(StanzaError.of(Type.CANCEL, Condition.ITEM_NOT_FOUND,
                        "the push service said this device token is no longer valid")));
            }
            case DROP -> {
                LOG.debug("dropped a push to {} of push module {}: one is already held back by the rate limit",
                        Redaction.token(token), moduleName);
                return answer(iq.resultReply());
            }
            case DELAY -> {
                LOG.debug("holding back a push to {} of push module {} for {} by the rate limit",
                        Redaction.token(token), moduleName, Duration.ofNanos(decision.delayNanos()));
                CompletableFuture.runAsync(() -> deliver(iq, registration, request, moduleName, context),
                        CompletableFuture.delayedExecutor(decision.delayNanos(), TimeUnit.NANOSECONDS,
                                context.executor()));
                return answer(iq.resultReply());
            }
            default -> {
                return deliver(iq, registration, request, moduleName, context);
            }
        }
    }

    /** Delivers, blocks the token when the provider says it is dead, and answers with the publish's answer alone. */
    private CompletionStage<List<Stanza>> deliver(Iq iq, DeviceRegistration registration, PushRequest request,
                                                  String moduleName, AppServerContext context) {
        return context.deliver(iq, registration, request).thenApply(out -> {
            Stanza answer = out.get(0);
            if (isDeadToken(answer)) {
                guard.deadToken(moduleName, registration.node());
                LOG.info("device token {} of push module {} is dead; refusing it for {}",
                        Redaction.token(registration.node()), moduleName, settings.deadTokenBlock());
            }
            return List.of(answer);
        });
    }

    /** {@link AppServerContext#deliver} answers {@code cancel/item-not-found} when the provider says a token is dead. */
    private static boolean isDeadToken(Stanza answer) {
        return answer.error().map(e -> e.type() == Type.CANCEL && e.condition() == Condition.ITEM_NOT_FOUND)
                .orElse(false);
    }

    /** The push for a publish: its summary as sent, as a visible message (a badge clear stays a background push). */
    private static PushRequest request(Device device, PubSub.Publish publish) {
        Summary summary = publish.items().isEmpty() ? Summary.EMPTY : publish.items().get(0)
                .payload(Notification.class).flatMap(Notification::form).map(StatelessPublishes::summary)
                .orElse(Summary.EMPTY);
        Integer count = summary.messageCount();
        if (count != null && count == 0 && summary.lastMessageBody() == null) {
            return new PushRequest(device, null, summary, PushKind.BACKGROUND, PushPriority.NORMAL, null, null);
        }
        return new PushRequest(device, null, summary, PushKind.MESSAGE, PushPriority.HIGH, null, null);
    }

    private static Summary summary(DataForm form) {
        return new Summary(count(form, "message-count"), form.value("last-message-sender").orElse(null),
                form.value("last-message-body").orElse(null), count(form, "pending-subscription-count"), null);
    }

    private static Integer count(DataForm form, String var) {
        String value = form.value(var).map(String::trim).orElse("");
        if (value.isEmpty()) {
            return null;
        }
        try {
            int n = Integer.parseInt(value);
            if (n < 0) {
                throw new IllegalArgumentException("the summary field '" + var + "' is negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the summary field '" + var + "' is not a number");
        }
    }

    private static CompletionStage<List<Stanza>> answer(Stanza stanza) {
        return CompletableFuture.completedFuture(List.of(stanza));
    }
}
