package io.pushcomponent.http;

import java.io.IOException;

/**
 * The code behind a path of an {@link HttpListener} ({@link HttpListener#mount}).
 *
 * <p>Called on one of the listener's threads, one request at a time per thread and several requests at once on
 * several threads, so an implementation is thread-safe. It may block (on a store, say) for as long as the request
 * deserves: the listener's threads are its own, and they are few ({@link HttpListenerSettings#threads()}), so a
 * route that waits long makes other requests wait.
 */
@FunctionalInterface
public interface HttpRoute {
    /**
     * Answers {@code request}.
     *
     * @throws HttpRefusal to refuse it with a status (answered with {@link #refusal})
     * @throws IOException when the connection fails; any other exception is logged and answered 500
     */
    HttpResponse handle(HttpRequest request) throws IOException;

    /**
     * The answer to a refused request of this route (a {@link HttpRefusal} it threw or the listener's while reading
     * the body); by default the status as plain text. The refusal's headers are added to it.
     */
    default HttpResponse refusal(int status) {
        return HttpResponse.text(status, status + "\n");
    }
}
