package io.pushcomponent.unifiedpush.internal;

import io.pushcomponent.api.metrics.RegistrationChange;
import io.pushcomponent.core.dialect.AppServerContext;
import io.pushcomponent.core.dialect.AppServerDialect;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.stanza.StanzaError;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The distributor's app-server half: the namespace in disco#info, and {@code <register/>} and {@code <unregister/>}
 * answered by the {@link Distributor}; without one (the dialect as {@link java.util.ServiceLoader} makes it, before
 * the host configured it) both are refused with {@code cancel/service-unavailable}, naming what is missing.
 *
 * <p>Immutable and thread-safe.
 */
public final class UpAppServer implements AppServerDialect {
    /** The provider label of UnifiedPush's registration metrics: no provider is involved, the distributor delivers. */
    public static final String PROVIDER_LABEL = "unifiedpush";

    private final Distributor distributor;

    /** @param distributor the distributor, or {@code null} when UnifiedPush is not configured */
    public UpAppServer(Distributor distributor) {
        this.distributor = distributor;
    }

    @Override
    public List<String> discoFeatures() {
        return distributor == null ? List.of() : List.of(UpElements.NAMESPACE);
    }

    @Override
    public Optional<CompletionStage<List<Stanza>>> handle(Stanza stanza, AppServerContext context) {
        if (!(stanza instanceof Iq iq) || !iq.isRequest()) {
            return Optional.empty();
        }
        Object payload = iq.payload().orElse(null);
        if (!(payload instanceof UpElements.Register) && !(payload instanceof UpElements.Unregister)) {
            return Optional.empty();
        }
        if (distributor == null) {
            return Optional.of(CompletableFuture.completedFuture(List.of(iq.errorReply(StanzaError.of(
                    StanzaError.Condition.SERVICE_UNAVAILABLE,
                    "UnifiedPush is not configured on this push service")))));
        }
        if (payload instanceof UpElements.Register register) {
            return Optional.of(reported(distributor.register(iq, register.application, register.instance),
                    RegistrationChange.REGISTERED, context));
        }
        UpElements.Unregister unregister = (UpElements.Unregister) payload;
        return Optional.of(reported(distributor.unregister(iq, unregister.application, unregister.instance),
                RegistrationChange.UNREGISTERED, context));
    }

    /**
     * Tells the app server's metrics of an endpoint issued or given up once the answer is a result, under the
     * provider label {@value PROVIDER_LABEL}: endpoints are sealed tokens, not stored, so a renewal (a client
     * registering the same application and instance again) counts as another {@code registered}.
     */
    private static CompletionStage<List<Stanza>> reported(CompletionStage<List<Stanza>> answer,
                                                          RegistrationChange change, AppServerContext context) {
        return answer.thenApply(stanzas -> {
            if (!stanzas.isEmpty() && stanzas.get(0) instanceof Iq reply && Iq.RESULT.equals(reply.type())) {
                context.metrics().registrationChanged(change, PROVIDER_LABEL);
            }
            return stanzas;
        });
    }
}
