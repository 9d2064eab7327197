package io.pushcomponent.core.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.store.DeliveryDiagnostics;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.core.xml.commands.Command;
import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.core.xml.stanza.StanzaError;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Helpers shared by the app server tests: a store that counts look-ups, and stanza shortcuts. */
final class AppServerFixture {
    static final String PUSH = "push.example.net";
    static final String JULIET = "juliet@capulet.example/balcony";

    static final StanzaCodec CODEC = StanzaCodec.create();

    private AppServerFixture() {
    }

    /**
     * An in-memory store that counts {@code findByNode} calls (one per node looked up) and {@code findByNodes} calls
     * (one per batch), and can be made to fail.
     */
    static final class CountingStore implements DeviceRegistrationStore {
        final DeviceRegistrationStore delegate = Stores.inMemoryDeviceStore();
        final AtomicInteger findByNodeCalls = new AtomicInteger();
        final AtomicInteger findByNodesCalls = new AtomicInteger();
        /** The most nodes one {@link #findByNodes} call of the node cache's refresh thread asked for. */
        final AtomicInteger mostNodesInOneRefreshCall = new AtomicInteger();
        volatile RuntimeException failure;

        private void maybeFail() {
            RuntimeException f = failure;
            if (f != null) {
                throw f;
            }
        }

        @Override
        public DeviceRegistration register(DeviceRegistration candidate) {
            maybeFail();
            return delegate.register(candidate);
        }

        @Override
        public Optional<DeviceRegistration> findByNode(String node) {
            findByNodeCalls.incrementAndGet();
            maybeFail();
            return delegate.findByNode(node);
        }

        @Override
        public Map<String, DeviceRegistration> findByNodes(Collection<String> nodes) {
            findByNodesCalls.incrementAndGet();
            if (Thread.currentThread().getName().startsWith("push-cache-refresh")) {
                mostNodesInOneRefreshCall.accumulateAndGet(nodes.size(), Math::max);
            }
            return DeviceRegistrationStore.super.findByNodes(nodes);
        }

        @Override
        public List<DeviceRegistration> findByToken(String providerId, String token) {
            maybeFail();
            return delegate.findByToken(providerId, token);
        }

        @Override
        public List<DeviceRegistration> listByOwner(String owner) {
            return delegate.listByOwner(owner);
        }

        @Override
        public boolean unregister(String node) {
            maybeFail();
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
            maybeFail();
            delegate.addDiagnostics(changes);
        }

        @Override
        public Map<String, DeliveryDiagnostics> diagnostics(Collection<String> nodes) {
            maybeFail();
            return delegate.diagnostics(nodes);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** Handles {@code stanza} and waits (bounded) for the answer. */
    static List<Stanza> call(PushAppServer server, Stanza stanza) {
        try {
            return server.handle(stanza).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the app server did not answer within 10 s", e);
        }
    }

    /** Handles {@code stanza}, asserting that exactly one stanza, the IQ answer, comes back. */
    static Iq answer(PushAppServer server, Stanza stanza) {
        List<Stanza> out = call(server, stanza);
        assertThat(out).as("every IQ gets exactly one answer").hasSize(1);
        Iq iq = (Iq) out.get(0);
        assertThat(iq.id()).as("the answer carries the request's id").isEqualTo(stanza.id());
        return iq;
    }

    static StanzaError error(Iq answer) {
        assertThat(answer.type()).as("an error answer").isEqualTo(Iq.ERROR);
        return answer.error().orElseThrow();
    }

    static Iq command(String from, Command command) {
        return Iq.set(PUSH, command).from(from);
    }

    static DataForm registerForm(String provider, String token) {
        DataForm form = DataForm.submit(null);
        if (provider != null) {
            form.field(Commands.FIELD_PROVIDER, provider);
        }
        if (token != null) {
            form.field(Commands.FIELD_TOKEN, token);
        }
        return form;
    }

    /** Registers in one step (as Siskin does) and returns the result form. */
    static DataForm register(PushAppServer server, String from, String provider, String token) {
        Iq answer = answer(server, command(from, Command.request(Commands.REGISTER, Command.EXECUTE)
                .form(registerForm(provider, token))));
        assertThat(answer.type()).as("registration succeeds: %s", answer.error()).isEqualTo(Iq.RESULT);
        Command result = answer.extension(Command.class).orElseThrow();
        assertThat(result.status()).isEqualTo(Command.COMPLETED);
        return result.form().orElseThrow();
    }
}
