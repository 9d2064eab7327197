package io.pushcomponent.core.store.internal;

import io.pushcomponent.api.RetryPolicy;
import io.pushcomponent.api.store.RegistrationChangeListener;
import io.pushcomponent.api.store.RegistrationWatch;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code postgresql} store's {@link RegistrationWatch}: {@code LISTEN} on the channel that migration 5's triggers
 * notify ({@link Schema}), on one connection of the store's data source held for it, read by a thread of its own.
 *
 * <p>Each notification names the nodes one statement removed or changed (or {@value #ALL} for too many to name),
 * reported to the listener as {@link RegistrationChangeListener#changed} ({@link RegistrationChangeListener#changedUnknown}).
 * The connection is checked with a query after {@link #CHECK_INTERVAL} without traffic, within a network timeout, so
 * a connection that died silently is noticed too. When it fails (PostgreSQL restarted, the network broke) the
 * listener hears {@link RegistrationChangeListener#watchLost()}; the thread connects again with capped exponential
 * back-off ({@link #RECONNECT_MIN} to {@link #RECONNECT_MAX}) and, listening again, reports
 * {@link RegistrationChangeListener#changedUnknown()}, since what changed meanwhile was not heard.
 *
 * <p>Thread-safe. The listener is called on the watch's thread only, one call at a time.
 */
final class PostgresChangeWatch implements RegistrationWatch {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresChangeWatch.class);

    /** The payload of a notification that names no nodes: too many changed at once. */
    static final String ALL = "*";
    /** Longest payload (bytes) the triggers send as a list of nodes; PostgreSQL allows just under 8000. */
    static final int MAX_PAYLOAD = 7000;
    /** How long one wait for notifications lasts; also how soon {@link #close()} is noticed. */
    static final Duration POLL = Duration.ofMillis(250);
    /** After this long without a notification the connection is checked with a query. */
    static final Duration CHECK_INTERVAL = Duration.ofSeconds(5);
    /** How long the check, and any read on the connection, may take before the connection counts as lost. */
    static final Duration NETWORK_TIMEOUT = Duration.ofSeconds(5);
    static final Duration RECONNECT_MIN = Duration.ofMillis(100);
    static final Duration RECONNECT_MAX = Duration.ofSeconds(5);

    private final DataSource dataSource;
    private final String channel;
    private final RegistrationChangeListener listener;
    private final RetryPolicy reconnect = RetryPolicy.unlimited(RECONNECT_MIN, RECONNECT_MAX);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object monitor = new Object();
    private final Thread thread;
    private volatile boolean live;
    private Connection connection;

    private PostgresChangeWatch(DataSource dataSource, String channel, RegistrationChangeListener listener) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.listener = listener;
        this.thread = new Thread(this::run, "push-store-watch");
        this.thread.setDaemon(true);
    }

    /** The channel the triggers of the tables with {@code prefix} notify. */
    static String channel(String prefix) {
        return prefix + "registration_changed";
    }

    /** The {@code application_name} of the listening connection, e.g. {@code push-watch:push_registration_changed}. */
    static String applicationName(String channel) {
        return "push-watch:" + channel;
    }

    /**
     * Starts listening: the first {@code LISTEN} runs before this returns, so changes committed after it are
     * reported; when it fails the listener hears {@link RegistrationChangeListener#watchLost()} at once and the
     * watch keeps trying on its thread.
     */
    static PostgresChangeWatch start(DataSource dataSource, String prefix, RegistrationChangeListener listener) {
        PostgresChangeWatch watch = new PostgresChangeWatch(dataSource, channel(prefix), listener);
        try {
            watch.listen();
        } catch (SQLException e) {
            LOG.warn("registration changes: cannot listen on {} ({}); other instances' unregistrations reach this"
                    + " one through the node cache's short time to live until it can", watch.channel, describe(e));
            listener.watchLost();
        }
        watch.thread.start();
        return watch;
    }

    @Override
    public boolean live() {
        return live;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (monitor) {
            monitor.notifyAll();
        }
        try {
            thread.join(POLL.toMillis() + NETWORK_TIMEOUT.toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        live = false;
    }

    private void listen() throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            c.setAutoCommit(true);
            c.setNetworkTimeout(Runnable::run, (int) NETWORK_TIMEOUT.toMillis());
            try (Statement s = c.createStatement()) {
                // Named so that an operator finds it in pg_stat_activity.
                s.execute("SET application_name = '" + applicationName(channel) + "'");
                s.execute("LISTEN \"" + channel + "\"");
            }
        } catch (SQLException | RuntimeException e) {
            discard(c);
            throw e;
        }
        connection = c;
        live = true;
    }

    private void run() {
        int attempt = 0;
        long lastTraffic = System.nanoTime();
        while (!closed.get()) {
            if (connection == null) {
                waitUnlessClosed(reconnect.delay(attempt++));
                if (closed.get()) {
                    break;
                }
                try {
                    listen();
                } catch (SQLException e) {
                    LOG.debug("registration changes: listening on {} failed again: {}", channel, describe(e));
                    continue;
                }
                attempt = 0;
                lastTraffic = System.nanoTime();
                LOG.info("registration changes: listening on {} again; forgetting every cached registration, as"
                        + " changes made meanwhile were not heard", channel);
                listener.changedUnknown();
                continue;
            }
            try {
                PGNotification[] notifications = connection.unwrap(PGConnection.class)
                        .getNotifications((int) POLL.toMillis());
                if (notifications != null && notifications.length > 0) {
                    lastTraffic = System.nanoTime();
                    deliver(notifications);
                } else if (System.nanoTime() - lastTraffic >= CHECK_INTERVAL.toNanos()) {
                    try (Statement s = connection.createStatement()) {
                        s.execute("SELECT 1");
                    }
                    lastTraffic = System.nanoTime();
                }
            } catch (SQLException e) {
                live = false;
                discard(connection);
                connection = null;
                if (!closed.get()) {
                    LOG.warn("registration changes: lost the connection listening on {} ({}); until it is back the"
                            + " node cache keeps registrations for a short time only", channel, describe(e));
                    listener.watchLost();
                }
            } catch (RuntimeException e) {
                LOG.error("registration changes: the listener failed: {}", e.toString());
            }
        }
        if (connection != null) {
            try (Statement s = connection.createStatement()) {
                s.execute("UNLISTEN *");
                s.execute("RESET application_name");
            } catch (SQLException e) {
                LOG.debug("registration changes: UNLISTEN failed: {}", describe(e));
            }
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("registration changes: closing the connection failed: {}", describe(e));
            }
            connection = null;
        }
    }

    private void deliver(PGNotification[] notifications) {
        Set<String> nodes = new LinkedHashSet<>();
        for (PGNotification n : notifications) {
            if (!channel.equals(n.getName())) {
                continue;
            }
            String payload = n.getParameter();
            if (ALL.equals(payload)) {
                listener.changedUnknown();
                nodes.clear();
            } else if (payload != null && !payload.isEmpty()) {
                nodes.addAll(Arrays.asList(payload.split(" ")));
            }
        }
        if (!nodes.isEmpty()) {
            listener.changed(Set.copyOf(nodes));
        }
    }

    /** Drops a connection that failed: aborted, so that a pool does not hand it out again still listening. */
    private static void discard(Connection c) {
        try {
            c.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            LOG.debug("registration changes: aborting the connection failed: {}", e.toString());
        }
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("registration changes: closing the connection failed: {}", describe(e));
        }
    }

    private void waitUnlessClosed(Duration delay) {
        long deadline = System.nanoTime() + delay.toNanos();
        synchronized (monitor) {
            long left;
            try {
                while (!closed.get() && (left = deadline - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.timedWait(monitor, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed.set(true);
            }
        }
    }

    private static String describe(SQLException e) {
        return "SQLState " + e.getSQLState() + ": " + firstLine(e.getMessage());
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
