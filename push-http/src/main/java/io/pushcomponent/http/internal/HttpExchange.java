package io.pushcomponent.http.internal;

import io.pushcomponent.http.HttpRefusal;
import io.pushcomponent.http.HttpRequest;
import io.pushcomponent.http.HttpResponse;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request on one connection, read under two clocks and answered once, then the connection is closed
 * (RFC 9112 with {@code Connection: close}). Reads the request line and headers (at most {@value #MAX_HEAD_BYTES}
 * bytes) when constructed; the body only when asked, with a declared {@code Content-Length}.
 *
 * <p>Timeouts: no read waits longer than the read timeout, and every read ends by the request deadline (the
 * request timeout after construction), so a client trickling one byte at a time is cut off too; either is reported
 * as {@link HttpRefusal} 408. Not thread-safe: used by the one thread serving the connection.
 */
public final class HttpExchange implements HttpRequest {
    /** The most the request line and headers may take together. */
    public static final int MAX_HEAD_BYTES = 8192;
    private static final int MAX_DRAIN_BYTES = 64 * 1024;
    private static final long MAX_DRAIN_MILLIS = 250;

    private final Socket socket;
    private final long readTimeoutMillis;
    private final long deadlineNanos;
    private final InputStream in;
    private final String method;
    private final String path;
    private final String query;
    private final int maxBodyBytes;
    private final Map<String, String> headers = new HashMap<>();

    /**
     * Reads the request head from {@code socket}.
     *
     * @throws HttpRefusal     400 for a malformed head, 408 when too slow, 431 when too long
     * @throws IOException when the connection fails
     */
    public HttpExchange(Socket socket, Duration readTimeout, Duration requestTimeout, int maxBodyBytes)
            throws IOException {
        this.socket = socket;
        this.maxBodyBytes = maxBodyBytes;
        this.readTimeoutMillis = Math.max(1, readTimeout.toMillis());
        this.deadlineNanos = System.nanoTime() + requestTimeout.toNanos();
        this.in = new BufferedInputStream(new DeadlineInput(socket.getInputStream()), 1024);
        int[] budget = {MAX_HEAD_BYTES};
        String requestLine = line(budget);
        while (requestLine.isEmpty()) {
            requestLine = line(budget); // RFC 9112 section 2.2: empty lines before the request line are ignored
        }
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || !parts[0].matches("[A-Z]{1,16}") || !parts[2].startsWith("HTTP/1.")
                || !parts[1].startsWith("/")) {
            throw new HttpRefusal(400, "malformed request line");
        }
        this.method = parts[0];
        try {
            URI target = new URI(parts[1]);
            this.path = target.getPath();
            this.query = target.getRawQuery();
        } catch (URISyntaxException e) {
            throw new HttpRefusal(400, "malformed request target");
        }
        for (String header = line(budget); !header.isEmpty(); header = line(budget)) {
            int colon = header.indexOf(':');
            if (colon <= 0 || header.charAt(0) == ' ' || header.charAt(0) == '\t'
                    || Character.isWhitespace(header.charAt(colon - 1))) {
                throw new HttpRefusal(400, "malformed header line");
            }
            String name = header.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            String previous = headers.putIfAbsent(name, value);
            if (previous != null && !previous.equals(value)) {
                throw new HttpRefusal(400, "conflicting " + name + " headers");
            }
        }
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String query() {
        return query;
    }

    @Override
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) socket.getRemoteSocketAddress();
    }

    @Override
    public byte[] body() throws IOException {
        return body(maxBodyBytes);
    }

    /**
     * Reads the body whose length the request declares.
     *
     * @throws HttpRefusal 400 for a malformed length, 408 when too slow, 411 without {@code Content-Length} (or with a
     *                 {@code Transfer-Encoding}), 413 when longer than {@code maxBytes}
     */
    private byte[] body(int maxBytes) throws IOException {
        String declared = headers.get("content-length");
        if (declared == null || headers.containsKey("transfer-encoding")) {
            throw new HttpRefusal(411, "no Content-Length");
        }
        long length;
        try {
            length = Long.parseLong(declared);
        } catch (NumberFormatException e) {
            throw new HttpRefusal(400, "malformed Content-Length");
        }
        if (length < 0) {
            throw new HttpRefusal(400, "malformed Content-Length");
        }
        if (length > maxBytes) {
            throw new HttpRefusal(413, "body of " + length + " bytes");
        }
        if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        byte[] body = in.readNBytes((int) length);
        if (body.length < length) {
            throw new HttpRefusal(400, "body shorter than its Content-Length");
        }
        return body;
    }

    /** Answers the request with {@code response}; the caller closes the connection. */
    public void reply(HttpResponse response) throws IOException {
        write(socket, response);
    }

    /**
     * Answers with {@code status}, the extra header name/value pairs and the JSON {@code body}, lets the client
     * read it before the connection closes (what it sent and we did not read is drained, briefly; not after a 408)
     * and swallows any failure: the client may be gone already.
     */
    public static void refuseQuietly(Socket socket, HttpResponse response) {
        try {
            write(socket, response);
            if (response.status() != 408) { // a client too slow already gets no more of the thread's time
                lingeringClose(socket);
            }
        } catch (IOException e) {
            // The client is gone; nothing to answer.
        }
    }

    /** Answers with {@code status} and closes at once, without reading: for connections that are never served. */
    public static void refuseAtOnce(Socket socket, HttpResponse response) {
        try {
            write(socket, response);
        } catch (IOException e) {
            // The client is gone; nothing to answer.
        }
    }

    private static void write(Socket socket, HttpResponse response) throws IOException {
        byte[] body = response.body();
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(response.status()).append(' ')
                .append(reason(response.status())).append("\r\nContent-Type: ").append(response.contentType())
                .append("\r\nContent-Length: ").append(body.length).append("\r\nConnection: close\r\n");
        response.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    /**
     * Half-closes and drains what the client still sends for a moment, so that closing with unread input does not
     * reset the connection before the client has read the answer (RFC 9112 section 9.6).
     */
    private static void lingeringClose(Socket socket) throws IOException {
        socket.shutdownOutput();
        socket.setSoTimeout((int) MAX_DRAIN_MILLIS);
        long until = System.nanoTime() + MAX_DRAIN_MILLIS * 1_000_000;
        InputStream in = socket.getInputStream();
        byte[] sink = new byte[4096];
        int drained = 0;
        try {
            for (int n = in.read(sink); n >= 0 && drained < MAX_DRAIN_BYTES && System.nanoTime() < until;
                 n = in.read(sink)) {
                drained += n;
            }
        } catch (SocketTimeoutException e) {
            // The client neither sent more nor closed: close anyway.
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 204 -> "No Content";
            case 403 -> "Forbidden";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 411 -> "Length Required";
            case 413 -> "Content Too Large";
            case 431 -> "Request Header Fields Too Large";
            case 429 -> "Too Many Requests";
            case 503 -> "Service Unavailable";
            default -> "Internal Server Error";
        };
    }

    /** One line of the head without its CRLF (or bare LF), charged to {@code budget}. */
    private String line(int[] budget) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new HttpRefusal(400, "connection closed in the request head");
            }
            if (--budget[0] < 0) {
                throw new HttpRefusal(431, "request head over " + MAX_HEAD_BYTES + " bytes");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
    }

    /** Every read waits at most the read timeout and ends by the request deadline. */
    private final class DeadlineInput extends InputStream {
        private final InputStream in;

        DeadlineInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            long remainingMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (remainingMillis <= 0) {
                throw new HttpRefusal(408, "request not complete within the request timeout");
            }
            socket.setSoTimeout((int) Math.min(readTimeoutMillis, remainingMillis));
            try {
                return in.read(b, off, len);
            } catch (SocketTimeoutException e) {
                throw new HttpRefusal(408, "client silent for the read timeout or past the request timeout");
            }
        }
    }
}
