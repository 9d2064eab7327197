package io.pushcomponent.core.app;

import io.pushcomponent.core.limits.AccountRateLimiter;
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

    PushAppServer.Refusals snapshot() {
        return new PushAppServer.Refusals(tokensRefused.sum(), registrationRate.refused(),
                sessionsPerAccountRefused.sum(), sessionsRefused.sum(), registrationsEvicted.sum(),
                publishesWithoutSender.sum());
    }
}
