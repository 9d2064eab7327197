package io.pushcomponent.benchmark.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PublishLoadTest {

    @Test
    void answersAreMatchedToPublishesByTheirId() {
        assertThat(PublishLoad.publishNumber("<iq id='p42' type='result' from='push.localhost' to='localhost'/>"))
                .as("the publish number is read from id='p<k>'").isEqualTo(42);
        assertThat(PublishLoad.publishNumber("<iq type=\"result\" id=\"p7\"/>")).as("either quote").isEqualTo(7);
        assertThat(PublishLoad.publishNumber("<iq id='reg-1' type='result'/>"))
                .as("an answer to something else is not a publish's").isEqualTo(-1);
        assertThat(PublishLoad.publishNumber("<message from='push.localhost'><x id='p3'/></message>"))
                .as("only the stanza's own id counts").isEqualTo(-1);
    }
}
