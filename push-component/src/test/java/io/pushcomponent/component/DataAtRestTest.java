package io.pushcomponent.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pushcomponent.api.ProviderRegistry;
import io.pushcomponent.component.config.ComponentConfig;
import io.pushcomponent.testkit.xmpp.FakeXmppServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets at rest: the embedded database the component creates is readable by its own user only
 * (directory 0700, files 0600), and it holds a hash of each publish secret, not the secret.
 */
@Timeout(120)
class DataAtRestTest {
    private static final String JID = "push.localhost";
    private static final String SECRET = "component-secret";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern FIELD = Pattern.compile("var='(node|secret)'[^>]*><value>([^<]+)</value>");

    @TempDir
    Path dir;

    /** The default embedded store (SQLite) of a new data directory. */
    @Test
    void theDefaultDatabaseIsPrivateAndHoldsNoPublishSecret() throws Exception {
        check(null, "registrations.sqlite");
    }

    /** The embedded H2 store. */
    @Test
    void theH2DatabaseIsPrivateAndHoldsNoPublishSecret() throws Exception {
        check("h2", "registrations.mv.db");
    }

    private void check(String store, String databaseFile) throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        String node;
        String publishSecret;
        try (FakeXmppServer server = FakeXmppServer.start(JID, SECRET)) {
            ComponentConfig config = ComponentConfig.parse(dir.resolve("push.tdsl"), String.join("\n",
                    "'component-jid' = '" + JID + "'",
                    "'remote-host' = '" + server.host() + "'",
                    "'remote-port' = " + server.port(),
                    "'secret' = '" + SECRET + "'",
                    "'data-dir' = 'data'",
                    store == null ? "" : "store = '" + store + "'",
                    "push () { 'log' () { } }", ""), PushComponent.providerRegistry(PushComponent.class.getClassLoader()), name -> null);
            PushComponent component = PushComponent.start(config, PushComponent.providerRegistry(PushComponent.class.getClassLoader()));
            try {
                server.awaitConnection(WAIT).send("<iq type='set' id='reg-1' from='alice@localhost/phone' to='"
                        + JID + "'><command xmlns='http://jabber.org/protocol/commands' node='register-device'"
                        + " action='execute'><x xmlns='jabber:x:data' type='submit'><field var='provider'><value>log"
                        + "</value></field><field var='device-token'><value>0123456789abcdef0123456789abcdef"
                        + "</value></field></x></command></iq>");
                Matcher fields = FIELD.matcher(server.takeStanza(WAIT));
                assertThat(fields.find()).isTrue();
                node = fields.group(2);
                assertThat(fields.find()).as("the client gets a publish secret").isTrue();
                publishSecret = fields.group(2);
            } finally {
                component.close();
            }
        }

        Path data = dir.resolve("data");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
                .as("the data directory the component created").isEqualTo("rwx------");
        List<Path> files;
        try (Stream<Path> entries = Files.list(data)) {
            files = entries.toList();
        }
        assertThat(files).contains(data.resolve(databaseFile));
        for (Path file : files) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as("%s", file)
                    .isEqualTo("rw-------");
        }
        String bytes = new String(Files.readAllBytes(data.resolve(databaseFile)), StandardCharsets.ISO_8859_1);
        assertThat(bytes).as("the database keeps strings readable in its file, so the node is there").contains(node);
        assertThat(bytes).as("but the publish secret is not: only its hash").doesNotContain(publishSecret);
    }
}
