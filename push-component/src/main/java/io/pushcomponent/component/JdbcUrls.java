package io.pushcomponent.component;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** JDBC URLs in messages: shown without user and password. Stateless. */
final class JdbcUrls {
    private static final Pattern PASSWORD = Pattern.compile("(?i)password=([^&;]+)");
    private static final Pattern USER_INFO = Pattern.compile("//([^/@?;]*)@");

    private JdbcUrls() {
    }

    /**
     * The URL up to its host, port and database: the query ({@code ?user=...&password=...}), properties after
     * {@code ;} and a {@code user:password@} are left out, e.g. {@code jdbc:postgresql://db:5432/push}.
     */
    static String withoutCredentials(String url) {
        String shown = url;
        int query = shown.indexOf('?');
        if (query >= 0) {
            shown = shown.substring(0, query);
        }
        int properties = shown.indexOf(';');
        if (properties >= 0) {
            shown = shown.substring(0, properties);
        }
        return USER_INFO.matcher(shown).replaceFirst("//");
    }

    /** {@code text} with every password {@code url} carries replaced by {@code ***}. */
    static String maskPassword(String text, String url) {
        List<String> secrets = new ArrayList<>();
        Matcher m = PASSWORD.matcher(url);
        while (m.find()) {
            secrets.add(m.group(1));
        }
        Matcher u = USER_INFO.matcher(url);
        if (u.find() && u.group(1).indexOf(':') >= 0) {
            secrets.add(u.group(1).substring(u.group(1).indexOf(':') + 1));
        }
        String masked = text;
        for (String secret : secrets) {
            if (!secret.isEmpty()) {
                masked = masked.replace(secret, "***");
            }
        }
        return masked;
    }
}
