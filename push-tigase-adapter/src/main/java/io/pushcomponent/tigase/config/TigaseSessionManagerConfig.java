package io.pushcomponent.tigase.config;

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
 */
public record TigaseSessionManagerConfig(boolean active, Boolean withBody, Boolean withSender, boolean away) {
    /** Key of {@code with-body}. */
    public static final String WITH_BODY = "with-body";
    /** Key of {@code with-sender}. */
    public static final String WITH_SENDER = "with-sender";
    /** Bean name of the away extension. */
    public static final String AWAY = "away";
    /** Bean attribute that switches a bean off. */
    public static final String ACTIVE = "active";

    private static final Set<String> KNOWN = Set.of(WITH_BODY, WITH_SENDER, AWAY, ACTIVE);

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
        Object away = bean.get(AWAY);
        if (away != null && !(away instanceof Map)) {
            throw new IllegalArgumentException("'away' is a bean: write 'away' () {}");
        }
        boolean awayOn = away instanceof Map<?, ?> awayBean && !Boolean.FALSE.equals(bool(awayBean.get(ACTIVE),
                "away (active)"));
        Boolean active = bool(bean.get(ACTIVE), "active");
        return new TigaseSessionManagerConfig(active == null || active, bool(bean.get(WITH_BODY), WITH_BODY),
                bool(bean.get(WITH_SENDER), WITH_SENDER), awayOn);
    }

    private static Boolean bool(Object value, String key) {
        if (value == null || value instanceof Boolean) {
            return (Boolean) value;
        }
        throw new IllegalArgumentException("'" + key + "' must be true or false, not '" + value + "'");
    }
}
