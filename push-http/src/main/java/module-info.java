/**
 * The project's one HTTP/1.1 server ({@link io.pushcomponent.http.HttpListener}): bounded threads of its own,
 * request-size caps and timeouts so that slow clients cannot pin threads, and routes mounted by path
 * ({@link io.pushcomponent.http.HttpRoute}). Metrics, health, admin, Tigase's REST call and UnifiedPush are routes on
 * it. Depends on the JDK and the SLF4J API only.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9112">RFC 9112: HTTP/1.1</a>
 */
module io.pushcomponent.http {
    requires org.slf4j;

    exports io.pushcomponent.http;
}
