package io.pushcomponent.tigase;

import io.pushcomponent.tigase.internal.TigaseNamespaces;
import java.util.List;

/**
 * Tigase's push extensions of the user's-server side, each of which a server can switch on or off. A feature that is
 * off is neither advertised in the account's disco#info nor honoured when a client asks for it on enable.
 *
 * @see TigaseDialect#TigaseDialect(java.util.Set)
 */
public enum TigasePushFeature {
    /** {@code tigase:push:encrypt:0} with AES-128-GCM; Tigase's bean {@code encrypted}. */
    ENCRYPT("encrypted", TigaseNamespaces.ENCRYPT, TigaseNamespaces.ENCRYPT_AES_128_GCM),
    /** {@code tigase:push:priority:0}; Tigase's bean {@code priority}. */
    PRIORITY("priority", TigaseNamespaces.PRIORITY),
    /** {@code tigase:push:jingle:0}; Tigase's bean {@code jingle}. */
    JINGLE("jingle", TigaseNamespaces.JINGLE),
    /** {@code tigase:push:filter:muted:0}; Tigase's bean {@code muted-filter}. */
    MUTED("muted-filter", TigaseNamespaces.FILTER_MUTED),
    /** {@code tigase:push:filter:groupchat:0}; Tigase's bean {@code groupchat-filter}. */
    GROUPCHAT("groupchat-filter", TigaseNamespaces.FILTER_GROUPCHAT),
    /** {@code tigase:push:filter:ignore-unknown:0} (the host must implement {@link RosterView}); Tigase's bean
     * {@code ignore-from-unknown}. */
    IGNORE_UNKNOWN("ignore-from-unknown", TigaseNamespaces.FILTER_IGNORE_UNKNOWN);

    private final String tigaseBean;
    private final List<String> discoFeatures;

    TigasePushFeature(String tigaseBean, String... discoFeatures) {
        this.tigaseBean = tigaseBean;
        this.discoFeatures = List.of(discoFeatures);
    }

    /** The bean name under Tigase's {@code 'sess-man' { 'urn:xmpp:push:0' { ... } }}. */
    public String tigaseBean() {
        return tigaseBean;
    }

    /** The features advertised while it is on; the first is the namespace of its {@code <enable/>} child. */
    public List<String> discoFeatures() {
        return discoFeatures;
    }

    /** The namespace of its {@code <enable/>} child. */
    public String namespace() {
        return discoFeatures.get(0);
    }
}
