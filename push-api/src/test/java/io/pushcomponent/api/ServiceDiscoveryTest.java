package io.pushcomponent.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ServiceDiscoveryTest {

    /** A service only this test loads, so that no other test has discovered (and logged) it before. */
    public interface Greeter {
        String greet();
    }

    /** Listed in META-INF/services with a class that does not exist. */
    public static final class English implements Greeter {
        @Override
        public String greet() {
            return "hello";
        }
    }

    @Test
    void aBrokenEntryIsSkippedAndEachFindingIsLoggedOnceNotOnEveryDiscovery() {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger logger = (Logger) LoggerFactory.getLogger(ServiceDiscovery.class);
        Level level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        logger.addAppender(logs);
        try {
            ClassLoader loader = getClass().getClassLoader();
            ServiceDiscovery.Found<Greeter> first = ServiceDiscovery.load(Greeter.class, loader, g -> "greeter");
            List<ILoggingEvent> firstLines = List.copyOf(logs.list);
            logs.list.clear();
            ServiceDiscovery.Found<Greeter> second = ServiceDiscovery.load(Greeter.class, loader, g -> "greeter");

            assertThat(first.services()).as("the listed class that does not exist never hides the one that loads")
                    .hasSize(1).allMatch(g -> g.greet().equals("hello"));
            assertThat(first.failures()).hasSize(1).allMatch(f -> f.contains("DoesNotExistGreeter"));
            assertThat(second.services()).as("every discovery finds the same").hasSize(1);
            assertThat(second.failures()).hasSize(1);

            assertThat(firstLines).extracting(ILoggingEvent::getLevel).as("the first discovery tells the operator")
                    .containsExactlyInAnyOrder(Level.WARN, Level.INFO);
            assertThat(firstLines).filteredOn(e -> e.getLevel() == Level.INFO).singleElement()
                    .extracting(ILoggingEvent::getFormattedMessage).asString()
                    .contains("greeter").contains(English.class.getName());
            assertThat(logs.list).extracting(ILoggingEvent::getLevel)
                    .as("a second discovery repeats nothing above DEBUG").containsOnly(Level.DEBUG).hasSize(2);
        } finally {
            logger.detachAppender(logs);
            logger.setLevel(level);
        }
    }
}
