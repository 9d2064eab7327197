package io.pushcomponent.core.app;

import io.pushcomponent.api.Jid;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Stanza;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * IQ requests the push service sends on its own (not answers), such as a notification relayed to a client, and the
 * answers that come back for them: an answer is matched by its id and must come from the address the request went
 * to (the XMPP server stamps {@code from}, so nobody else can answer it).
 *
 * <p>Thread-safe; never blocks.
 */
final class OutgoingRequests {
    private record Pending(String to, CompletableFuture<Iq> answer) {
    }

    private final Consumer<? super Stanza> sender;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    /** @param sender writes a stanza to the XMPP server; {@code null} when the host sends nothing of its own */
    OutgoingRequests(Consumer<? super Stanza> sender) {
        this.sender = sender;
    }

    /** Sends {@code request} and completes with its answer, or with a {@link java.util.concurrent.TimeoutException}. */
    CompletionStage<Iq> send(Iq request, Duration timeout) {
        Objects.requireNonNull(request, "request");
        if (!request.isRequest() || request.id() == null || request.to() == null) {
            throw new IllegalArgumentException("an IQ request (get or set) with an id and a recipient is required");
        }
        if (sender == null) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "this push service was built without a sender: it cannot send requests of its own"));
        }
        CompletableFuture<Iq> answer = new CompletableFuture<>();
        Pending waiting = new Pending(request.to(), answer);
        if (pending.putIfAbsent(request.id(), waiting) != null) {
            throw new IllegalArgumentException("a request with this id is already waiting for its answer");
        }
        // the caller's stage completes (with the answer's own value or failure) after the request is forgotten, so
        // whoever sees the outcome sees the request gone
        CompletableFuture<Iq> outcome = new CompletableFuture<>();
        answer.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((iq, failure) -> {
            pending.remove(request.id(), waiting);
            if (failure == null) {
                outcome.complete(iq);
            } else {
                outcome.completeExceptionally(failure);
            }
        });
        try {
            sender.accept(request);
        } catch (RuntimeException e) {
            answer.completeExceptionally(e);
        }
        return outcome;
    }

    /**
     * Completes the request {@code answer} belongs to.
     *
     * @return {@code false} when no request waits for it (unknown id, or from another address than the request went
     *         to)
     */
    boolean answer(Iq answer) {
        String id = answer.id();
        Pending waiting = id == null ? null : pending.get(id);
        if (waiting == null || !sameAddress(waiting.to(), answer.from())) {
            return false;
        }
        pending.remove(id, waiting);
        return waiting.answer().complete(answer);
    }

    /** Requests waiting for their answer. */
    int waiting() {
        return pending.size();
    }

    /** The same JID, compared as written first (what servers stamp) and then normalised. */
    private static boolean sameAddress(String to, String from) {
        if (from == null) {
            return false;
        }
        if (to.equals(from)) {
            return true;
        }
        Optional<Jid> sent = Jid.tryParse(to);
        return sent.isPresent() && sent.equals(Jid.tryParse(from));
    }
}
