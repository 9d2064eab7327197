package io.pushcomponent.core.xml;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The publishes captured from real servers verbatim, as test resources. */
public final class Samples {
    public static final String PROSODY_OFFLINE = "prosody-offline.xml";
    public static final String PROSODY_HIBERNATED = "prosody-hibernated.xml";
    public static final String EJABBERD_OFFLINE = "ejabberd-offline.xml";
    public static final String TIGASE = "tigase-8.4.xml";

    private Samples() {
    }

    public static String load(String name) {
        try (InputStream in = Samples.class.getResourceAsStream("/samples/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource samples/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
