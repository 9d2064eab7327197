package io.pushcomponent.component.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A configuration file that cannot be used. Every {@link Problem} names the file and the line; messages name the
 * key and never contain a value, so secrets cannot leak through them.
 *
 * <p>Immutable.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * One thing wrong with a configuration file.
     *
     * @param file    the file
     * @param line    the line, counted from 1
     * @param message what is wrong and what to do, naming the key
     */
    public record Problem(Path file, int line, String message) {
        public Problem {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String toString() {
            return file + ":" + line + ": " + message;
        }
    }

    private final transient List<Problem> problems;

    /** One or more problems, in the order found. */
    public ConfigException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** One problem. */
    public ConfigException(Path file, int line, String message) {
        this(List.of(new Problem(file, line, message)));
    }

    /** The problems, in the order found. */
    public List<Problem> problems() {
        return problems;
    }
}
