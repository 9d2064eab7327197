package io.pushcomponent.core.app;

import io.pushcomponent.core.limits.AccountRateLimiter;
import io.pushcomponent.core.xml.stanza.StanzaError;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * The limits that keep one account from using up what others need (command sessions, registrations, the store),
 * and how often each refused something, for {@link PushAppServer#refusals()}.
 *
 * <p>Thread-safe: the limits are fixed, the counters are {@link LongAdder}s.
 */
final class Quotas {
    /** The most accounts whose registration rate is tracked at once (see {@link AccountRateLimiter}). */
    static final int MAX_TRACKED_ACCOUNTS = 100_000;

    final int maxSessions;
    final int maxSessionsPerAccount;
    final int maxRegistrationsPerAccount;
    final AccountRateLimiter registrationRate;
    final LongAdder tokensRefused = new LongAdder();
    final LongAdder sessionsRefused = new LongAdder();
    final LongAdder sessionsPerAccountRefused = new LongAdder();
    final LongAdder registrationsEvicted = new LongAdder();
    final LongAdder publishesWithoutSender = new LongAdder();

    Quotas(int maxSessions, int maxSessionsPerAccount, int maxRegistrationsPerAccount, int registrationsPerMinute) {
        this.maxSessions = maxSessions;
        this.maxSessionsPerAccount = maxSessionsPerAccount;
        this.maxRegistrationsPerAccount = maxRegistrationsPerAccount;
        this.registrationRate = new AccountRateLimiter(registrationsPerMinute, MAX_TRACKED_ACCOUNTS);
    }

    /**
     * Counts one registration request of {@code account} (a normalised bare JID) against
     * {@code registrations-per-minute}: empty when it may go ahead, else the error to answer it with.
     */
    Optional<StanzaError> acquireRegistration(String account) {
        if (registrationRate.tryAcquire(account)) {
            return Optional.empty();
        }
        return Optional.of(Errors.accountLimit("this account registered devices more than "
                + registrationRate.perMinute() + " times in the last minute; try again in "
                + registrationRate.secondsUntilNext(account) + " s"));
    }

    PushAppServer.Refusals snapshot() {
        return new PushAppServer.Refusals(tokensRefused.sum(), registrationRate.refused(),
                sessionsPerAccountRefused.sum(), sessionsRefused.sum(), registrationsEvicted.sum(),
                publishesWithoutSender.sum());
    }
}
