package io.pushcomponent.core.user;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.core.xml.forms.DataForm;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Message;
import io.pushcomponent.core.xml.pubsub.PubSub;
import io.pushcomponent.api.store.AccountPushRegistrationStore;
import io.pushcomponent.core.store.Stores;
import java.nio.file.Path;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With the JDBC store, what a client enabled survives a restart of the server, publish-options included. */
class DurableRegistrationTest {
    @TempDir
    Path dir;

    @Test
    void anEnabledRegistrationIsPushedAfterARestart() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("server").toAbsolutePath());
        TestHost before = new TestHost(Stores.jdbcAccountStore(ds, Stores.DEFAULT_TABLE_PREFIX));
        try (PushEnablementService push = PushEnablementService.builder(before).build()) {
            push.process(TestHost.read(EnableDisableTest.ENABLE_WITH_SECRET.replace("node='", "away='true' node='")));
        }
        before.store.close();

        TestHost after = new TestHost(Stores.jdbcAccountStore(ds, Stores.DEFAULT_TABLE_PREFIX));
        try (PushEnablementService push = PushEnablementService.builder(after).build()) {
            assertThat(push.messageArrived(EnableDisableTest.JULIET, (Message) TestHost.read(MessageArrivedTest.BODY)))
                    .as("the registration enabled before the restart is pushed").isEqualTo(1);
        }

        Iq publish = after.drainPublishes().get(0);
        DataForm options = publish.extension(PubSub.class).orElseThrow().publishOptions().orElseThrow();
        assertThat(options.value("secret")).as("the stored secret is echoed after the restart")
                .contains("eruio234vzxc2kla-91");
        assertThat(after.store.list(EnableDisableTest.JULIET).get(0).away()).isTrue();
    }
}
