package io.pushcomponent.tigase.internal;

import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.EncryptedPayload;
import io.pushcomponent.api.ProviderAlias;
import io.pushcomponent.api.PushKind;
import io.pushcomponent.api.PushPriority;
import io.pushcomponent.api.PushProvider;
import io.pushcomponent.api.PushRequest;
import io.pushcomponent.core.dialect.AppServerDialect;
import io.pushcomponent.core.xml.forms.DataForm;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The app-server half of Tigase's dialect.
 *
 * <p><b>Provider ids.</b> Siskin and Beagle register with {@code tigase:messenger:apns:1} (early Siskin with
 * {@code apns-binary-api}) and look for it in the component's disco#info; Stork registers with
 * {@code fcm-xmpp-api}. They are aliases of the APNs and FCM providers.
 *
 * <p><b>Result form.</b> {@code register-device} answers with {@code features} ({@code tigase:push:encrypt:0} and
 * {@code tigase:push:encrypt:aes-128-gcm} when the provider passes an encrypted payload through) and
 * {@code max-payload-size} (the provider's limit), from which Siskin decides to encrypt and how much.
 *
 * <p><b>Notifications.</b> Tigase's children of a published {@code <notification xmlns='urn:xmpp:push:0'/>} become
 * the {@link PushRequest} the providers send, so that FCM and APNs deliver what Siskin and Stork read:
 *
 * <ul>
 *   <li>{@code <encrypted xmlns='tigase:push:encrypt:0' iv='…' [type='voip']>…</encrypted>} becomes
 *       {@link PushRequest#encrypted()}, passed through unread; the push is a visible {@link PushKind#MESSAGE}
 *       (the device decrypts it in its notification extension), or a {@link PushKind#CALL} with {@code type='voip'}.</li>
 *   <li>{@code <priority xmlns='tigase:push:priority:0'>high|low</priority>} sets {@link PushPriority}; other values
 *       are ignored.</li>
 *   <li>{@code <jingle xmlns='tigase:push:jingle:0' sid='…'><media>audio</media></jingle>} with media is a call
 *       proposal ({@link PushKind#CALL}, high priority, VoIP push to the second token); without media it is a
 *       retraction ({@link PushKind#CALL_ENDED}).</li>
 * </ul>
 * Other children are left alone.
 *
 * <p>Stateless and thread-safe.
 *
 * @see <a href="https://xmpp.org/extensions/xep-0357.html#publishing">XEP-0357 §7 Publishing Notifications</a>
 */
public final class TigaseAppServer implements AppServerDialect {
    static final String FCM = "fcm-http-v1";
    static final String FCM_ARTIFACT = "io.pushcomponent:push-provider-fcm";
    static final String APNS = "apns";
    static final String APNS_ARTIFACT = "io.pushcomponent:push-provider-apns";
    /** The {@code register-device} result field listing the encryption features the provider can carry. */
    static final String FIELD_FEATURES = "features";
    /** The {@code register-device} result field with the provider's payload limit in bytes. */
    static final String FIELD_MAX_PAYLOAD_SIZE = "max-payload-size";

    private static final List<ProviderAlias> ALIASES = List.of(
            new ProviderAlias("fcm-xmpp-api", FCM, FCM_ARTIFACT),
            new ProviderAlias("apns-binary-api", APNS, APNS_ARTIFACT),
            new ProviderAlias(TigaseNamespaces.APNS_PROVIDER_FEATURE, APNS, APNS_ARTIFACT));

    @Override
    public List<ProviderAlias> providerAliases() {
        return ALIASES;
    }

    @Override
    public List<DataForm.Field> registerResultFields(DeviceRegistration registration, PushProvider provider) {
        List<DataForm.Field> fields = new ArrayList<>();
        if (provider.acceptsEncryptedPayload()) {
            fields.add(new DataForm.Field(FIELD_FEATURES).type(DataForm.Field.LIST_MULTI)
                    .values(TigaseNamespaces.ENCRYPT, TigaseNamespaces.ENCRYPT_AES_128_GCM));
        }
        if (provider.maxPayloadSize() > 0) {
            fields.add(new DataForm.Field(FIELD_MAX_PAYLOAD_SIZE).type(DataForm.Field.TEXT_SINGLE)
                    .values(Integer.toString(provider.maxPayloadSize())));
        }
        return fields;
    }

    @Override
    public PushRequest mapNotification(PushRequest request, List<Object> extensions) {
        return apply(request, extensions);
    }

    /**
     * {@code base} adjusted by Tigase's children among {@code notificationChildren}.
     *
     * @param base                 the request the core built from the summary form
     * @param notificationChildren the children of the {@code <notification/>} element
     * @throws IllegalArgumentException when an {@code <encrypted/>} element lacks its IV or ciphertext (a
     *                                  {@code modify/bad-request} for the publisher)
     */
    static PushRequest apply(PushRequest base, Collection<?> notificationChildren) {
        Objects.requireNonNull(base, "base");
        EncryptedPayload encrypted = base.encrypted();
        PushKind kind = base.kind();
        PushPriority priority = null;
        boolean call = false;
        for (Object child : notificationChildren) {
            if (child instanceof Encrypted e) {
                encrypted = e.payload();
                if (!call) {
                    kind = NotificationEncryptor.VOIP.equals(encrypted.type()) ? PushKind.CALL : PushKind.MESSAGE;
                }
            } else if (child instanceof Priority p) {
                priority = p.priority().orElse(priority);
            } else if (child instanceof Jingle j) {
                call = true;
                kind = j.hasMedia() ? PushKind.CALL : PushKind.CALL_ENDED;
            }
        }
        if (priority == null) {
            priority = switch (kind) {
                case CALL -> PushPriority.HIGH;
                case MESSAGE -> encrypted != null ? PushPriority.HIGH : base.priority();
                default -> base.priority();
            };
        }
        return new PushRequest(base.device(), base.account(), base.summary(), kind, priority, encrypted,
                base.collapseKey());
    }
}
