package io.pushcomponent.push2.internal;

import io.pushcomponent.api.EncryptedPayload;
import io.pushcomponent.api.PushKind;
import io.pushcomponent.api.PushPriority;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.api.Summary;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.core.dialect.AppServerContext;
import io.pushcomponent.core.dialect.AppServerDialect;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.stanza.StanzaError;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.w3c.dom.Element;

/**
 * The app-server side of Push 2.0: a {@code <message>} with {@code <notification xmlns='urn:xmpp:push2:0'>}
 * addressed to the push service is delivered to the registration whose node is the notification's
 * {@code <client/>}.
 *
 * <ul>
 *   <li>An encrypted payload ({@code <encrypted xmlns='urn:xmpp:sce:rfc8291:0'><payload/>}) is passed through
 *       unchanged as an {@code aes128gcm} {@link EncryptedPayload}, with the {@code <jwt/>} and its key for a Web
 *       Push service; the push is a visible {@link PushKind#MESSAGE} (APNs: an alert with {@code mutable-content},
 *       so that the app decrypts it; FCM: data). Without a payload it is a {@link PushKind#BACKGROUND} wake-up.</li>
 *   <li>{@code <voip/>} makes it a {@link PushKind#CALL} (APNs: a VoIP push to the registration's VoIP token).</li>
 *   <li>{@code <priority/>}: {@code high} and {@code normal} wake the device at once ({@link PushPriority#HIGH}),
 *       {@code low} does not ({@link PushPriority#NORMAL}).</li>
 *   <li>Who may send one follows the app server's publisher rules ({@code allowed-publishers}; with
 *       {@code require-secret} none may, as Push 2.0 has no secret).</li>
 *   <li>A message has no result: a delivered notification is not answered; a failure is answered with a message
 *       error of the condition a publish would get ({@code wait} for transient failures, {@code cancel/item-not-found}
 *       for an unknown client or a dead token).</li>
 * </ul>
 *
 * <p>Thread-safe and stateless; the store look-up runs on the context's executor.
 */
public final class Push2AppServer implements AppServerDialect {
    /** The longest base64 payload accepted (a Web Push record of 4,096 bytes is 5,464 characters). */
    static final int MAX_PAYLOAD_CHARACTERS = 8192;

    @Override
    public List<String> discoFeatures() {
        return List.of(Push2Xml.NS);
    }

    @Override
    public Optional<CompletionStage<List<Stanza>>> handle(Stanza stanza, AppServerContext context) {
        if (!(stanza instanceof Message message)) {
            return Optional.empty();
        }
        Optional<Element> notification = Push2Xml.find(message.extensions(), Push2Xml.NS, "notification");
        if (notification.isEmpty()) {
            return Optional.empty();
        }
        if ("error".equals(message.type())) {
            return Optional.of(CompletableFuture.completedFuture(List.of()));
        }
        Optional<StanzaError> refused = context.refusedPublisher(message.from());
        if (refused.isPresent()) {
            return Optional.of(answer(message, refused.get()));
        }
        Parsed parsed;
        try {
            parsed = Parsed.of(notification.get());
        } catch (IllegalArgumentException e) {
            return Optional.of(answer(message, StanzaError.of(StanzaError.Condition.BAD_REQUEST, e.getMessage())));
        }
        CompletionStage<List<Stanza>> answer = CompletableFuture
                .supplyAsync(() -> context.store().findByNode(parsed.client()), context.executor())
                .thenCompose(found -> found.isEmpty()
                        ? answer(message, StanzaError.of(StanzaError.Type.CANCEL,
                                StanzaError.Condition.ITEM_NOT_FOUND, "no registration of this client"))
                        : deliver(message, found.get(), parsed, context));
        return Optional.of(answer);
    }

    private static CompletionStage<List<Stanza>> deliver(Message message, DeviceRegistration registration,
                                                         Parsed parsed, AppServerContext context) {
        PushKind kind = parsed.voip() ? PushKind.CALL
                : parsed.encrypted() != null ? PushKind.MESSAGE : PushKind.BACKGROUND;
        PushRequest push = new PushRequest(registration.device(), registration.owner(), Summary.EMPTY, kind,
                parsed.priority(), parsed.encrypted(), null);
        Iq asPublish = new Iq().type(Iq.SET).id(message.id() != null ? message.id() : "push2")
                .from(message.from()).to(message.to());
        return context.deliver(asPublish, registration, push).thenApply(stanzas -> {
            List<Stanza> out = new ArrayList<>(stanzas.size());
            for (int i = 0; i < stanzas.size(); i++) {
                Stanza s = stanzas.get(i);
                if (i == 0 && s instanceof Iq reply) {
                    reply.error().ifPresent(error -> out.add(errorReply(message, error)));
                } else {
                    out.add(s);
                }
            }
            return out;
        });
    }

    private static CompletionStage<List<Stanza>> answer(Message message, StanzaError error) {
        return CompletableFuture.completedFuture(List.of(errorReply(message, error)));
    }

    /** The message error answering a notification (RFC 6120 §8.1: to its sender, with its id). */
    static Message errorReply(Message message, StanzaError error) {
        return new Message().type("error").id(message.id()).from(message.to()).to(message.from()).error(error);
    }

    /** What a notification carries. */
    private record Parsed(String client, PushPriority priority, boolean voip, EncryptedPayload encrypted) {
        static Parsed of(Element n) {
            for (String single : List.of("client", "priority", "voip", "jwt")) {
                Push2Xml.atMostOne(n, Push2Xml.NS, single);
            }
            Push2Xml.atMostOne(n, Push2Xml.SCE_RFC8291, "encrypted");
            String client = Push2Xml.childText(n, Push2Xml.NS, "client")
                    .orElseThrow(() -> new IllegalArgumentException("the notification has no <client/>"));
            PushPriority priority = switch (Push2Xml.childText(n, Push2Xml.NS, "priority").orElse("normal")) {
                case "high", "normal" -> PushPriority.HIGH;
                case "low" -> PushPriority.NORMAL;
                default -> throw new IllegalArgumentException("<priority/> must be high, normal or low");
            };
            boolean voip = Push2Xml.child(n, Push2Xml.NS, "voip").isPresent();
            EncryptedPayload encrypted = null;
            Optional<Element> sce = Push2Xml.child(n, Push2Xml.SCE_RFC8291, "encrypted");
            if (sce.isPresent()) {
                Push2Xml.atMostOne(sce.get(), Push2Xml.SCE_RFC8291, "payload");
                String payload = Push2Xml.childText(sce.get(), Push2Xml.SCE_RFC8291, "payload")
                        .orElseThrow(() -> new IllegalArgumentException("<encrypted/> has no <payload/>"));
                if (payload.length() > MAX_PAYLOAD_CHARACTERS) {
                    throw new IllegalArgumentException("the <payload/> is longer than " + MAX_PAYLOAD_CHARACTERS
                            + " characters");
                }
                Push2Enable.base64(payload, "payload");
                Optional<Element> jwt = Push2Xml.child(n, Push2Xml.NS, "jwt");
                String token = jwt.map(e -> e.getTextContent().trim()).filter(t -> !t.isEmpty()).orElse(null);
                String key = jwt.map(e -> e.getAttribute("key").trim()).filter(k -> !k.isEmpty()).orElse(null);
                if ((token == null) != (key == null)) {
                    throw new IllegalArgumentException("<jwt/> needs both the token and its 'key'");
                }
                encrypted = EncryptedPayload.aes128gcm(payload, token,
                        key == null ? null : Base64.getUrlEncoder().withoutPadding()
                                .encodeToString(Push2Enable.base64(key, "jwt key")));
            }
            return new Parsed(client, priority, voip, encrypted);
        }
    }
}
