package io.pushcomponent.component.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Stanzas exactly as a client family sends them, kept as fixtures next to this class ({@code clients/*.xml}, each
 * saying where in the client it comes from): the leading comment is dropped and every {@code ${name}} is filled in.
 */
final class ClientStanzas {
    private ClientStanzas() {
    }

    /** The fixture {@code clients/<name>.xml} with {@code values} filled in. */
    static String fill(String name, Map<String, String> values) throws IOException {
        String xml;
        try (InputStream in = ClientStanzas.class.getResourceAsStream("clients/" + name + ".xml")) {
            if (in == null) {
                throw new IOException("no fixture clients/" + name + ".xml");
            }
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        xml = xml.substring(xml.indexOf("-->") + 3).trim();
        for (Map.Entry<String, String> value : values.entrySet()) {
            xml = xml.replace("${" + value.getKey() + "}", value.getValue());
        }
        if (xml.contains("${")) {
            throw new IllegalArgumentException("fixture " + name + " has a value left to fill in: " + xml);
        }
        return xml;
    }
}
