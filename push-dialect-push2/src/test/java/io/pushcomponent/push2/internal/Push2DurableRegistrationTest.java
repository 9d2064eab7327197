package io.pushcomponent.push2.internal;

import static io.pushcomponent.push2.internal.Push2WireFormatTest.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.api.store.AccountPushRegistrationStore;
import io.pushcomponent.core.store.Stores;
import io.pushcomponent.core.user.PushEnablementService;
import io.pushcomponent.core.user.PushSettings;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.push2.Push2Dialect;
import io.pushcomponent.testkit.xmpp.InMemoryPushHost;
import io.pushcomponent.webpush.crypto.UserAgentKeys;
import io.pushcomponent.webpush.crypto.VapidKeys;
import io.pushcomponent.webpush.crypto.WebPushEncryption;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.w3c.dom.Element;

/**
 * A Push 2.0 registration, keys included, is stored with the account's registrations in the durable stores: after a
 * restart on the same database the client is still pushed to, encrypted for the keys it enabled with.
 */
class Push2DurableRegistrationTest {
    private static final String ROMEO = "romeo@example.net";

    @TempDir
    Path dir;

    @Test
    void aRegistrationEnabledBeforeARestartIsPushedAfterItOnH2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("server").toAbsolutePath());
        survivesARestart(ds, Stores.DEFAULT_TABLE_PREFIX);
    }

    @Test
    @EnabledIfEnvironmentVariable(named = "PUSH_TEST_POSTGRES_URL", matches = ".+")
    void aRegistrationEnabledBeforeARestartIsPushedAfterItOnPostgresql() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(System.getenv("PUSH_TEST_POSTGRES_URL"));
        survivesARestart(ds, "p2d_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + "_");
    }

    private static InMemoryPushHost host(AccountPushRegistrationStore store) {
        InMemoryPushHost host = new InMemoryPushHost("example.net", store);
        host.startPush(PushEnablementService.builder(host).settings(PushSettings.defaults().toBuilder()
                .variants(PushSettings.Variant.STANDARD, PushSettings.Variant.EXTENDED).build())
                .dialect(new Push2Dialect()));
        return host;
    }

    private static void survivesARestart(DataSource ds, String prefix) {
        UserAgentKeys keys = UserAgentKeys.generate();
        Base64.Encoder b64 = Base64.getEncoder();
        try (AccountPushRegistrationStore store = Stores.jdbcAccountStore(ds, prefix);
             InMemoryPushHost before = host(store)) {
            Iq answer = (Iq) before.clientSends(ROMEO + "/phone", read("<iq xmlns='jabber:client' type='set' id='e'>"
                    + "<enable xmlns='urn:xmpp:push2:0'><service>push.example.com</service><client>n1</client>"
                    + "<match profile='urn:xmpp:push2:match:all'><send xmlns='urn:xmpp:push2:send:sce+rfc8291+"
                    + "rfc8292:0'><ua-public>" + b64.encodeToString(keys.subscription("https://p.example").p256dh())
                    + "</ua-public><auth-secret>" + b64.encodeToString(keys.auth()) + "</auth-secret>"
                    + "<jwt-alg>ES256</jwt-alg><jwt-key>" + b64.encodeToString(VapidKeys.generate().privateKey()
                    .getEncoded()) + "</jwt-key><jwt-claim name='aud'>https://p.example</jwt-claim></send></match>"
                    + "</enable></iq>")).orElseThrow();
            assertThat(answer.type()).isEqualTo(Iq.RESULT);
        }

        try (AccountPushRegistrationStore store = Stores.jdbcAccountStore(ds, prefix);
             InMemoryPushHost after = host(store)) {
            after.deliver(new Message().id("m1").type("chat").from("juliet@example.com/b").to(ROMEO)
                    .body("still there?"));

            Message notification = after.sent().stream().filter(s -> s instanceof Message).map(Message.class::cast)
                    .findFirst().orElseThrow();
            Element n = Push2Xml.find(notification.extensions(), Push2Xml.NS, "notification").orElseThrow();
            String payload = Push2Xml.childText(Push2Xml.child(n, Push2Xml.SCE_RFC8291, "encrypted").orElseThrow(),
                    Push2Xml.SCE_RFC8291, "payload").orElseThrow();
            assertThat(new String(WebPushEncryption.decrypt(keys, Base64.getDecoder().decode(payload)),
                    StandardCharsets.UTF_8)).contains("still there?");
            assertThat(Push2Xml.child(n, Push2Xml.NS, "jwt")).as("signed with the stored key").isPresent();
        }
    }
}
