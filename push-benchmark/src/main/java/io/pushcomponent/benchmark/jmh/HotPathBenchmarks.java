package io.pushcomponent.benchmark.jmh;

import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.benchmark.Fixtures;
import io.pushcomponent.core.app.PushAppServer;
import io.pushcomponent.core.store.internal.InMemoryRegistrationStore;
import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.stanza.Stanza;
import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.core.xml.XmlRejectedException;
import io.pushcomponent.testkit.FakePushProvider;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pieces of the publish hot path, one at a time, on the captured Prosody publish: parse it, look up its
 * registration, the app server's handling (build the provider request, send it to {@link FakePushProvider}, build
 * the reply), serialise the reply; and the whole {@link PushAppServer#handleXml} path. Each is a single-threaded
 * throughput benchmark.
 *
 * <p>Run through {@link io.pushcomponent.benchmark.BenchmarkSuite} or directly:
 * {@code java -cp push-benchmark/target/push-benchmark.jar org.openjdk.jmh.Main HotPath}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class HotPathBenchmarks {
    /** What each benchmark method measures, for the report. */
    public static String describe(String method) {
        return switch (method) {
            case "parsePublish" -> "parse the captured Prosody publish (StanzaCodec.read)";
            case "findRegistration" -> "find a registration by node among " + REGISTRATIONS + " (in-memory store)";
            case "writeReply" -> "build and write the publish's result reply (StanzaCodec.write)";
            case "appServerHandle" -> "PushAppServer.handle of the parsed publish: node cache, secret check, "
                    + "PushRequest, FakePushProvider.send, result stanza";
            case "appServerHandleXml" -> "PushAppServer.handleXml: the whole publish path, string in, reply string out";
            default -> method;
        };
    }

    /** Registrations in the store the lookups run against. */
    static final int REGISTRATIONS = 100_000;

    private StanzaCodec codec;
    private InMemoryRegistrationStore store;
    private PushAppServer appServer;
    private String[] publishes;
    private Iq parsedPublish;
    private String[] nodes;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws XmlRejectedException {
        codec = StanzaCodec.create();
        store = new InMemoryRegistrationStore();
        Fixtures.register(store, REGISTRATIONS);
        nodes = new String[4096];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = Fixtures.node((int) ((i * 2654435761L) % REGISTRATIONS));
        }
        parsedPublish = (Iq) codec.read(Fixtures.prosodyPublish("bench-1", Fixtures.node(0)));
        publishes = new String[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            publishes[i] = Fixtures.prosodyPublish("bench-" + i, nodes[i]);
        }
        appServer = PushAppServer.builder().jid(Fixtures.COMPONENT_JID).store(store)
                .provider(Fixtures.FAKE_PROVIDER, FakePushProvider.counting()).codec(codec).build();
        for (String publish : publishes) {
            List<String> replies = appServer.handleXml(publish).toCompletableFuture().join();
            if (replies.size() != 1 || !replies.get(0).contains("type='result'")) {
                throw new IllegalStateException("the fixture publish is not delivered: " + replies);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        appServer.close();
        store.close();
    }

    /** Parse the captured publish into the JAXB model. */
    @Benchmark
    public Stanza parsePublish() throws XmlRejectedException {
        return codec.read(Fixtures.PROSODY_PUBLISH);
    }

    /** Find a registration by node among {@value #REGISTRATIONS} in the in-memory store. */
    @Benchmark
    public Optional<DeviceRegistration> findRegistration() {
        next = (next + 1) & (nodes.length - 1);
        return store.findByNode(nodes[next]);
    }

    /**
     * The app server's part of a publish on an already parsed stanza whose node is cached (every node was published
     * to in set-up, as on a server that keeps publishing to the same devices).
     */
    @Benchmark
    public List<Stanza> appServerHandle() {
        return appServer.handle(parsedPublish).toCompletableFuture().join();
    }

    /** The whole publish path as a component drives it: parse, handle, write the reply. */
    @Benchmark
    public List<String> appServerHandleXml() {
        next = (next + 1) & (publishes.length - 1);
        return appServer.handleXml(publishes[next]).toCompletableFuture().join();
    }

    /** Build the {@code result} answer to the publish and serialise it. */
    @Benchmark
    public String writeReply() {
        return codec.write(parsedPublish.resultReply());
    }
}
