package io.pushcomponent.benchmark.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushcomponent.core.xml.stanza.Iq;
import io.pushcomponent.core.xml.pubsub.PubSub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Each benchmark method runs once and does the work it claims to measure (no timing is checked). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HotPathBenchmarksSmokeTest {
    private final HotPathBenchmarks benchmarks = new HotPathBenchmarks();

    @BeforeAll
    void setUp() throws Exception {
        benchmarks.setUp();
    }

    @AfterAll
    void tearDown() {
        benchmarks.tearDown();
    }

    @Test
    void parsePublishReadsTheCapturedProsodyPublish() throws Exception {
        Iq iq = (Iq) benchmarks.parsePublish();
        assertThat(iq.extension(PubSub.class).flatMap(PubSub::publish).map(PubSub.Publish::node))
                .as("the benchmark parses the captured publish, node and all").contains("harness-node-1");
    }

    @Test
    void findRegistrationFindsAStoredNode() {
        for (int i = 0; i < 10; i++) {
            assertThat(benchmarks.findRegistration()).as("every looked-up node is registered").isPresent();
        }
    }

    @Test
    void appServerPathsDeliverThePublish() {
        assertThat(benchmarks.appServerHandle()).as("handle answers the publish with one result")
                .singleElement().satisfies(s -> assertThat(s.type()).isEqualTo("result"));
        assertThat(benchmarks.appServerHandleXml()).as("handleXml answers the publish with one result")
                .singleElement().satisfies(s -> assertThat(s).contains("type='result'"));
    }

    @Test
    void writeReplyWritesAResult() {
        assertThat(benchmarks.writeReply()).startsWith("<iq").contains("type='result'")
                .contains("id='bench-1'");
    }
}
