package io.pushcomponent.core.app;

import static io.pushcomponent.core.app.AppServerFixture.JULIET;
import static io.pushcomponent.core.app.AppServerFixture.PUSH;
import static io.pushcomponent.core.app.AppServerFixture.answer;
import static io.pushcomponent.core.app.AppServerFixture.error;
import static io.pushcomponent.core.app.AppServerFixture.register;
import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.store.DeliveryDiagnostics;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.api.store.RegistrationChangeListener;
import io.pushcomponent.api.store.RegistrationWatch;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.pubsub.PubSub;
import io.pushcomponent.core.xml.push.Notification;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.StanzaError;
import io.pushcomponent.core.xml.Namespaces;
import io.pushcomponent.testkit.FakePushProvider;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The app server listens to its store's change watch: a registration removed behind its back (another instance
 * sharing the database) stops being delivered from the node cache as soon as the watch reports it, and the server
 * closes the watch with itself. Without the report the cache would deliver for its whole time to live (60 s here).
 */
class RegistrationWatchTest {
    private final WatchedStore store = new WatchedStore();
    private final FakePushProvider provider = new FakePushProvider();
    private final PushAppServer server = PushAppServer.builder().jid(PUSH).store(store).provider("fcm-http-v1",
            provider).nodeCacheTtl(Duration.ofSeconds(60)).build();

    @AfterEach
    void close() {
        server.close();
    }

    /** The in-memory store of the fixture, with a watch the test drives. */
    private static final class WatchedStore implements DeviceRegistrationStore {
        final DeviceRegistrationStore delegate = Stores.inMemoryDeviceStore();
        volatile RegistrationChangeListener listener;
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public DeviceRegistration register(DeviceRegistration candidate) {
            return delegate.register(candidate);
        }

        @Override
        public Optional<DeviceRegistration> findByNode(String node) {
            return delegate.findByNode(node);
        }

        @Override
        public List<DeviceRegistration> findByToken(String providerId, String token) {
            return delegate.findByToken(providerId, token);
        }

        @Override
        public List<DeviceRegistration> listByOwner(String owner) {
            return delegate.listByOwner(owner);
        }

        @Override
        public boolean unregister(String node) {
            return delegate.unregister(node);
        }

        @Override
        public long count() {
            return delegate.count();
        }

        @Override
        public Map<String, Long> countByProvider() {
            return delegate.countByProvider();
        }

        @Override
        public void addDiagnostics(Map<String, DeliveryDiagnostics> changes) {
            delegate.addDiagnostics(changes);
        }

        @Override
        public Map<String, DeliveryDiagnostics> diagnostics(Collection<String> nodes) {
            return delegate.diagnostics(nodes);
        }

        @Override
        public void close() {
            delegate.close();
        }

        @Override
        public Optional<RegistrationWatch> watchChanges(RegistrationChangeListener l) {
            listener = l;
            return Optional.of(new RegistrationWatch() {
                @Override
                public boolean live() {
                    return !closed.get();
                }

                @Override
                public void close() {
                    closed.set(true);
                }
            });
        }
    }

    private static Iq publish(String node) {
        return Iq.set(PUSH, PubSub.publish(node, Notification.of(DataForm.submit(Namespaces.PUSH_SUMMARY)
                .field("message-count", "1")))).from("capulet.example");
    }

    @Test
    void aRemovalTheWatchReportsEndsDeliveriesFromTheCacheAtOnce() {
        String node = register(server, JULIET, "fcm-http-v1", "device-token-0123456789").value("node").orElseThrow();
        assertThat(answer(server, publish(node)).type()).as("delivered (and cached)").isEqualTo(Iq.RESULT);

        store.delegate.unregister(node);
        assertThat(answer(server, publish(node)).type()).as("unreported, the cache still delivers")
                .isEqualTo(Iq.RESULT);
        store.listener.changed(Set.of(node));

        StanzaError e = error(answer(server, publish(node)));
        assertThat(e.condition()).as("read from the store again: gone").isEqualTo(StanzaError.Condition.ITEM_NOT_FOUND);
        assertThat(provider.requests()).as("nothing sent after the report").hasSize(2);
    }

    @Test
    void changesTheWatchCannotNameEmptyTheCache() {
        String node = register(server, JULIET, "fcm-http-v1", "device-token-0123456789").value("node").orElseThrow();
        answer(server, publish(node));
        store.delegate.unregister(node);

        store.listener.changedUnknown();

        assertThat(error(answer(server, publish(node))).condition()).isEqualTo(StanzaError.Condition.ITEM_NOT_FOUND);
    }

    @Test
    void theServerReportsTheWatchAndClosesItWithItself() {
        assertThat(server.registrationWatchLive()).contains(true);
        server.close();
        assertThat(store.closed).as("closed with the server").isTrue();
    }
}
