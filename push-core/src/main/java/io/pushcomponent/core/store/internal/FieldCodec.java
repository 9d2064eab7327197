package io.pushcomponent.core.store.internal;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes form fields and extension data into one text column and reads them back, in the
 * {@code application/x-www-form-urlencoded} form: {@code name=value&name=value2}; a field without values is written
 * as its bare name. Order and repeated values survive the round trip.
 */
final class FieldCodec {
    private FieldCodec() {
    }

    static String encodeFields(Map<String, List<String>> fields) {
        StringBuilder out = new StringBuilder();
        fields.forEach((name, values) -> {
            if (values.isEmpty()) {
                append(out, name, null);
            }
            values.forEach(value -> append(out, name, value));
        });
        return out.toString();
    }

    static Map<String, List<String>> decodeFields(String text) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return fields;
        }
        for (String pair : text.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            List<String> values = fields.computeIfAbsent(name, n -> new ArrayList<>());
            if (eq >= 0) {
                values.add(decode(pair.substring(eq + 1)));
            }
        }
        return fields;
    }

    static String encodeData(Map<String, String> data) {
        StringBuilder out = new StringBuilder();
        data.forEach((name, value) -> append(out, name, value));
        return out.toString();
    }

    static Map<String, String> decodeData(String text) {
        Map<String, String> data = new LinkedHashMap<>();
        decodeFields(text).forEach((name, values) -> data.put(name, values.isEmpty() ? "" : values.get(0)));
        return data;
    }

    private static void append(StringBuilder out, String name, String value) {
        if (out.length() > 0) {
            out.append('&');
        }
        out.append(URLEncoder.encode(name, StandardCharsets.UTF_8));
        if (value != null) {
            out.append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
