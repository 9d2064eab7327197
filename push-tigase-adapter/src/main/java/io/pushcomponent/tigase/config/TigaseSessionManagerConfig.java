package io.pushcomponent.tigase.config;

import io.pushcomponent.core.user.PushSettings;
import io.pushcomponent.tigase.TigaseDialect;
import io.pushcomponent.tigase.TigasePushFeature;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The push settings of a Tigase session manager, for embedders of the user's-server side who start from their
 * Tigase configuration:
 *
 * <pre>{@code
 * 'sess-man' () {
 *     'urn:xmpp:push:0' () {
 *         'with-body' = false
 *         'with-sender' = false
 *         'away' () {}
 *         'muted-filter' (active: false) {}
 *     }
 * }
 * }</pre>
 *
 * <p>{@code 'urn:xmpp:push:0' (active: false) {}} switches push off. Unlike Tigase, whose defaults include body and
 * sender, a key left out keeps our privacy default: neither body nor sender leaves the server.
 *
 * @param active     {@code false} when the processor is switched off
 * @param withBody   {@code with-body}; {@code null} when not set
 * @param withSender {@code with-sender}; {@code null} when not set
 * @param away       {@code true} when the {@code away} bean is present and active: pushes also while every resource
 *                   is away/xa/dnd, for clients that enable with {@code away='true'}
 * @param features   Tigase's extensions that are on: all, as in Tigase, except those whose bean is switched off
 *                   ({@code 'muted-filter' (active: false) {}}); see {@link TigasePushFeature#tigaseBean()}
 */
public record TigaseSessionManagerConfig(boolean active, Boolean withBody, Boolean withSender, boolean away,
                                         Set<TigasePushFeature> features) {
    /** Key of {@code with-body}. */
    public static final String WITH_BODY = "with-body";
    /** Key of {@code with-sender}. */
    public static final String WITH_SENDER = "with-sender";
    /** Bean name of the away extension. */
    public static final String AWAY = "away";
    /** Bean attribute that switches a bean off. */
    public static final String ACTIVE = "active";

    private static final Set<String> KNOWN = known();

    public TigaseSessionManagerConfig {
        features = features.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(features));
    }

    /**
     * The settings of the {@code 'urn:xmpp:push:0'} bean: its values by key, a nested bean as a {@link Map} of its
     * own values, and the bean's {@code active} attribute as the key {@value #ACTIVE}.
     *
     * @throws IllegalArgumentException for an unknown key or a value of the wrong type, naming it
     */
    public static TigaseSessionManagerConfig from(Map<String, ?> bean) {
        for (String key : bean.keySet()) {
            if (!KNOWN.contains(key)) {
                throw new IllegalArgumentException("'sess-man' { 'urn:xmpp:push:0' { '" + key
                        + "' } } is not supported; known: " + new TreeSet<>(KNOWN));
            }
        }
        boolean awayOn = bean.containsKey(AWAY) && beanActive(bean, AWAY);
        Set<TigasePushFeature> features = EnumSet.noneOf(TigasePushFeature.class);
        for (TigasePushFeature f : TigasePushFeature.values()) {
            if (!bean.containsKey(f.tigaseBean()) || beanActive(bean, f.tigaseBean())) {
                features.add(f);
            }
        }
        Boolean active = bool(bean.get(ACTIVE), "active");
        return new TigaseSessionManagerConfig(active == null || active, bool(bean.get(WITH_BODY), WITH_BODY),
                bool(bean.get(WITH_SENDER), WITH_SENDER), awayOn, features);
    }

    /**
     * {@code base} with these settings applied: body, sender and away mode where set, and the extended variant on so
     * that Tigase's extensions take part.
     *
     * @throws IllegalStateException when push is switched off ({@link #active()} is {@code false}): then do not start
     *                               the push service at all
     */
    public PushSettings applyTo(PushSettings base) {
        if (!active) {
            throw new IllegalStateException("'urn:xmpp:push:0' is switched off (active: false); start no push service");
        }
        PushSettings.Builder b = base.toBuilder().awayMode(away)
                .variants(PushSettings.Variant.STANDARD, PushSettings.Variant.EXTENDED);
        if (withBody != null) {
            b.includeBody(withBody);
        }
        if (withSender != null) {
            b.includeSender(withSender);
        }
        return b.build();
    }

    /** Tigase's dialect with the features that are on, for {@code PushEnablementService.Builder#dialect}. */
    public TigaseDialect dialect() {
        return new TigaseDialect(features);
    }

    /** Whether the nested bean {@code name} is active ({@code name () {}} is, {@code name (active: false) {}} not). */
    private static boolean beanActive(Map<String, ?> parent, String name) {
        Object nested = parent.get(name);
        if (!(nested instanceof Map<?, ?> bean)) {
            throw new IllegalArgumentException("'" + name + "' is a bean: write '" + name + "' () {}");
        }
        for (Object key : bean.keySet()) {
            if (!ACTIVE.equals(key)) {
                throw new IllegalArgumentException("'" + name + "' { '" + key + "' } is not supported");
            }
        }
        return !Boolean.FALSE.equals(bool(bean.get(ACTIVE), name + " (active)"));
    }

    private static Set<String> known() {
        Set<String> known = new HashSet<>(Set.of(WITH_BODY, WITH_SENDER, AWAY, ACTIVE));
        for (TigasePushFeature f : TigasePushFeature.values()) {
            known.add(f.tigaseBean());
        }
        return Set.copyOf(known);
    }

    private static Boolean bool(Object value, String key) {
        if (value == null || value instanceof Boolean) {
            return (Boolean) value;
        }
        throw new IllegalArgumentException("'" + key + "' must be true or false, not '" + value + "'");
    }
}
