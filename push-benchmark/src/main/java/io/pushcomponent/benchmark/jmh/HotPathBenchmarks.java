package io.pushcomponent.benchmark.jmh;

import io.pushcomponent.api.DeviceRegistration;
import io.pushcomponent.benchmark.Fixtures;
import io.pushcomponent.core.store.InMemoryRegistrationStore;
import io.pushcomponent.core.xml.Iq;
import io.pushcomponent.core.xml.Stanza;
import io.pushcomponent.core.xml.StanzaCodec;
import io.pushcomponent.core.xml.XmlRejectedException;
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
 * registration, serialise the reply. Each is a single-threaded throughput benchmark.
 *
 * <p>Run through {@link io.pushcomponent.benchmark.BenchmarkSuite} or directly:
 * {@code java -cp push-benchmark/target/push-benchmark.jar org.openjdk.jmh.Main HotPath}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class HotPathBenchmarks {
    /** What each benchmark method measures, for the report. */
    public static String describe(String method) {
        return switch (method) {
            case "parsePublish" -> "parse the captured Prosody publish (StanzaCodec.read)";
            case "findRegistration" -> "find a registration by node among " + REGISTRATIONS + " (in-memory store)";
            case "writeReply" -> "build and write the publish's result reply (StanzaCodec.write)";
            default -> method;
        };
    }

    /** Registrations in the store the lookups run against. */
    static final int REGISTRATIONS = 100_000;

    private StanzaCodec codec;
    private InMemoryRegistrationStore store;
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
        parsedPublish = (Iq) codec.read(Fixtures.PROSODY_PUBLISH);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
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

    /** Build the {@code result} answer to the publish and serialise it. */
    @Benchmark
    public String writeReply() {
        return codec.write(parsedPublish.resultReply());
    }
}
