package io.pushcomponent.core.user;

import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.api.store.AccountPushRegistrationStore;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.core.xml.XmlRejectedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link PushHost} for push-core's own tests: fixed sessions, captured stanzas, an in-memory store. */
final class TestHost implements PushHost {
    static final StanzaCodec CODEC = StanzaCodec.create();

    final List<Stanza> sent = new CopyOnWriteArrayList<>();
    final Map<String, List<AccountSession>> sessions = new ConcurrentHashMap<>();
    final AccountPushRegistrationStore store;

    TestHost() {
        this(Stores.inMemoryAccountStore());
    }

    TestHost(AccountPushRegistrationStore store) {
        this.store = store;
    }

    @Override
    public String domain() {
        return "capulet.lit";
    }

    @Override
    public void send(Stanza stanza) {
        sent.add(stanza);
    }

    @Override
    public List<AccountSession> sessions(String account) {
        return sessions.getOrDefault(account, List.of());
    }

    @Override
    public AccountPushRegistrationStore registrations() {
        return store;
    }

    /** The stanzas sent so far, as XML, and forgets them. */
    List<String> drainXml() {
        List<String> xml = new ArrayList<>();
        for (Stanza s : sent) {
            xml.add(CODEC.write(s));
        }
        sent.clear();
        return xml;
    }

    /** The publish IQs sent so far, and forgets every sent stanza. */
    List<Iq> drainPublishes() {
        List<Iq> out = new ArrayList<>();
        for (Stanza s : sent) {
            if (s instanceof Iq iq && Iq.SET.equals(iq.type())) {
                out.add(iq);
            }
        }
        sent.clear();
        return out;
    }

    static Stanza read(String xml) {
        try {
            return CODEC.read(xml);
        } catch (XmlRejectedException e) {
            throw new AssertionError("test fixture is not a stanza: " + e.getMessage(), e);
        }
    }
}
