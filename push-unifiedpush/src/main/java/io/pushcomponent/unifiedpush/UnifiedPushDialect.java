package io.pushcomponent.unifiedpush;

import io.pushcomponent.core.dialect.AppServerDialect;
import io.pushcomponent.core.dialect.Dialect;
import io.pushcomponent.unifiedpush.internal.UpAppServer;

/**
 * The UnifiedPush distributor as a dialect of the push service: the {@code http://gultsch.de/xmpp/drafts/unified-push}
 * feature in disco#info and the {@code <register/>} and {@code <unregister/>} IQs clients (Conversations) send to
 * get and give up an endpoint.
 *
 * <p>{@link java.util.ServiceLoader} makes it without a distributor: it then answers those IQs with
 * {@code cancel/service-unavailable} and lists no feature. A host that configured UnifiedPush uses
 * {@link UnifiedPushDistributor#dialect()} in its place (same {@link #ID}); push-component does so when its
 * {@code unified-push} bean is set.
 *
 * <p>Immutable and thread-safe.
 *
 * @see UnifiedPushDistributor
 */
public final class UnifiedPushDialect implements Dialect {
    /** The dialect's id. */
    public static final String ID = "unifiedpush";

    private final AppServerDialect appServer;

    /** Not configured: what {@link java.util.ServiceLoader} creates. */
    public UnifiedPushDialect() {
        this.appServer = new UpAppServer(null);
    }

    UnifiedPushDialect(AppServerDialect appServer) {
        this.appServer = appServer;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public AppServerDialect appServer() {
        return appServer;
    }
}
