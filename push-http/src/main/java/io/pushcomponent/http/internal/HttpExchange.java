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
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    /**
     * The first byte of a TLS record carrying a handshake, such as a ClientHello (RFC 8446 section 5.1): a control
     * character, refused as any other, and named in the refusal.
     */
    private static final int TLS_HANDSHAKE = 0x16;
    /** RFC 9110 section 5.6.2's token: method and field names. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern VERSION = Pattern.compile("HTTP/([0-9])\\.([0-9])");
    /** RFC 9110 section 7.2's Host: uri-host [ ":" port ], possibly empty. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._~%!$&'()*+,;=:\\[\\]-]*");
    private static final Pattern ABSOLUTE_FORM = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://.*");
    /** The methods RFC 9110 section 9 and RFC 5789 define; others are answered 501. */
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
            "TRACE", "PATCH");

    private final Socket socket;
    private final long readTimeoutMillis;
    private final long deadlineNanos;
    private final InputStream in;
    private final String method;
    private final boolean head;
    private final String path;
    private final String query;
    private final int maxBodyBytes;
    private final Map<String, String> headers = new HashMap<>();

    /**
     * Reads the request head from {@code socket}, held to RFC 9112's message syntax: a request line of a method, a
     * target in origin form (or absolute form, which a server must accept) and {@code HTTP/1.x}; header lines of a
     * token, a colon and a value without control characters; exactly one {@code Host} in an HTTP/1.1 request; a
     * {@code Content-Length} of digits or the {@code chunked} transfer coding, never both. A {@code HEAD} request is
     * served as a {@code GET} whose answer is sent without its body (RFC 9110 section 9.3.2). Header lines of one
     * name are combined, comma-separated (RFC 9110 section 5.3), except {@code Content-Length}, whose values must
     * agree.
     *
     * @throws HttpRefusal     400 for a malformed head, 408 when too slow, 431 when too long, 501 for a method or
     *                         transfer coding this server does not implement, 505 for an HTTP major version other
     *                         than 1
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
        Matcher version = parts.length == 3 ? VERSION.matcher(parts[2]) : null;
        if (version == null || !version.matches() || parts[0].length() > 16 || !TOKEN.matcher(parts[0]).matches()) {
            throw new HttpRefusal(400, "malformed request line");
        }
        if (!"1".equals(version.group(1))) {
            throw new HttpRefusal(505, "HTTP/" + version.group(1) + " over an HTTP/1 connection");
        }
        if (!METHODS.contains(parts[0])) {
            throw new HttpRefusal(501, "method not implemented");
        }
        this.head = "HEAD".equals(parts[0]);
        this.method = head ? "GET" : parts[0];
        String target = parts[1];
        if ("*".equals(target) && "OPTIONS".equals(method)) {
            throw new HttpRefusal(501, "server-wide OPTIONS not implemented");
        }
        String authority = null;
        try {
            URI uri = new URI(target);
            if (target.startsWith("/")) {
                this.path = uri.getPath();
            } else if (ABSOLUTE_FORM.matcher(target).matches() && ("http".equalsIgnoreCase(uri.getScheme())
                    || "https".equalsIgnoreCase(uri.getScheme())) && uri.getRawAuthority() != null) {
                // RFC 9112 section 3.2.2: accepted, and its authority stands for the Host header
                authority = uri.getRawAuthority();
                this.path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
            } else {
                throw new HttpRefusal(400, "malformed request target");
            }
            this.query = uri.getRawQuery();
        } catch (URISyntaxException e) {
            throw new HttpRefusal(400, "malformed request target");
        }
        int hosts = 0;
        for (String header = line(budget); !header.isEmpty(); header = line(budget)) {
            int colon = header.indexOf(':');
            if (colon <= 0 || !TOKEN.matcher(header.substring(0, colon)).matches()) {
                throw new HttpRefusal(400, "malformed header line");
            }
            String name = header.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).strip();
            if (value.indexOf('\r') >= 0) {
                // RFC 9110 section 5.5: CR in a value is invalid; the other control characters were refused as read
                throw new HttpRefusal(400, "control character in header " + name);
            }
            if ("host".equals(name) && ++hosts > 1) {
                throw new HttpRefusal(400, "more than one Host header"); // RFC 9112 section 3.2
            }
            String previous = headers.putIfAbsent(name, value);
            if (previous != null) {
                if ("content-length".equals(name)) {
                    if (!previous.equals(value)) {
                        throw new HttpRefusal(400, "conflicting Content-Length headers");
                    }
                } else {
                    headers.put(name, previous + ", " + value);
                }
            }
        }
        String host = headers.get("host");
        if (host == null && !"0".equals(version.group(2)) || host != null && !HOST.matcher(host).matches()) {
            throw new HttpRefusal(400, host == null ? "an HTTP/1.1 request without Host" : "malformed Host");
        }
        if (authority != null) {
            headers.put("host", authority);
        }
        String length = headers.get("content-length");
        if (length != null && !length.chars().allMatch(c -> c >= '0' && c <= '9') || "".equals(length)) {
            throw new HttpRefusal(400, "malformed Content-Length");
        }
        String coding = headers.get("transfer-encoding");
        if (coding != null) {
            if (length != null) {
                // RFC 9112 section 6.3: framing a request smuggler would use; refused, and the connection closes
                throw new HttpRefusal(400, "both Content-Length and Transfer-Encoding");
            }
            if (!"chunked".equalsIgnoreCase(coding)) {
                throw new HttpRefusal(501, "transfer coding not implemented: " + shorten(coding));
            }
        }
    }

    private static String shorten(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }

    /** Whether the request was a {@code HEAD}, served as a {@code GET} and answered without the body. */
    public boolean isHead() {
        return head;
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
     * Reads the body, framed by its {@code Content-Length} or the {@code chunked} transfer coding.
     *
     * @throws HttpRefusal 400 for a malformed body, 408 when too slow, 411 with neither, 413 when longer than
     *                 {@code maxBytes}
     */
    private byte[] body(int maxBytes) throws IOException {
        String declared = headers.get("content-length");
        boolean chunked = headers.containsKey("transfer-encoding");
        if (declared == null && !chunked) {
            throw new HttpRefusal(411, "no Content-Length");
        }
        long length = 0;
        if (!chunked) {
            try {
                length = Long.parseLong(declared);
            } catch (NumberFormatException e) {
                throw new HttpRefusal(413, "body of " + declared + " bytes"); // digits only: too many of them
            }
            if (length > maxBytes) {
                throw new HttpRefusal(413, "body of " + length + " bytes");
            }
        }
        if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        if (chunked) {
            return chunkedBody(maxBytes);
        }
        byte[] body = in.readNBytes((int) length);
        if (body.length < length) {
            throw new HttpRefusal(400, "body shorter than its Content-Length");
        }
        return body;
    }

    /**
     * A body in the chunked transfer coding (RFC 9112 section 7.1): chunks of a hexadecimal size, each line ending
     * in CRLF, extensions ignored, then a last chunk of size 0 and any trailer lines, which are read and dropped.
     * Chunk-size lines and trailers together may take {@value #MAX_HEAD_BYTES} bytes.
     */
    private byte[] chunkedBody(int maxBytes) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(Math.min(maxBytes, 1024));
        int[] budget = {MAX_HEAD_BYTES};
        while (true) {
            String sizeLine = line(budget);
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).stripTrailing();
            if (hex.isEmpty() || hex.length() > 8 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new HttpRefusal(400, "malformed chunk size");
            }
            long size = Long.parseLong(hex, 16);
            if (size == 0) {
                while (!line(budget).isEmpty()) {
                    // trailer lines: read, not used
                }
                return body.toByteArray();
            }
            if (body.size() + size > maxBytes) {
                throw new HttpRefusal(413, "chunked body over " + maxBytes + " bytes");
            }
            byte[] chunk = in.readNBytes((int) size);
            if (chunk.length < size || !line(budget).isEmpty()) {
                throw new HttpRefusal(400, "malformed chunk");
            }
            body.writeBytes(chunk);
        }
    }

    /** Answers the request with {@code response} (its body left out for a HEAD); the caller closes the connection. */
    public void reply(HttpResponse response) throws IOException {
        write(socket, response, head);
    }

    /**
     * Answers with {@code status}, the extra header name/value pairs and the JSON {@code body}, lets the client
     * read it before the connection closes (what it sent and we did not read is drained, briefly; not after a 408)
     * and swallows any failure: the client may be gone already. {@code headOnly}: the request was a HEAD, so the
     * body is left out.
     */
    public static void refuseQuietly(Socket socket, HttpResponse response, boolean headOnly) {
        try {
            write(socket, response, headOnly);
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
            write(socket, response, false);
        } catch (IOException e) {
            // The client is gone; nothing to answer.
        }
    }

    /** Writes the status line, headers and, unless {@code headOnly}, the body ({@code Content-Length} either way). */
    private static void write(Socket socket, HttpResponse response, boolean headOnly) throws IOException {
        byte[] body = response.body();
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(response.status()).append(' ')
                .append(reason(response.status())).append("\r\nContent-Type: ").append(response.contentType())
                .append("\r\nContent-Length: ").append(body.length).append("\r\nConnection: close\r\n");
        response.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        if (!headOnly) {
            out.write(body);
        }
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
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
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
            if (b < 0x20 && b != '\r' && b != '\n' && b != '\t' || b == 0x7f) {
                // RFC 9112 sections 3, 5 and 7.1: no control character but CR, LF and HTAB belongs in a line of a
                // request, so it is refused at once rather than when a line end comes, which may be never
                throw new HttpRefusal(400, b == TLS_HANDSHAKE
                        ? "control character 0x16 in the request: a TLS handshake sent to this plain-HTTP listener?"
                        : "control character in the request");
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
