package io.pushcomponent.provider.fcm;

import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.LowLevelHttpRequest;
import com.google.api.client.http.LowLevelHttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * google-auth-library's HTTP transport for the OAuth token request, on the provider's OkHttp client: the request
 * gets the provider's {@code connect-timeout} (google-http-client's own default is 20 s and google-auth does not let
 * it be changed), so that an unreachable token endpoint fails as fast as an unreachable FCM.
 *
 * <p>Calls are synchronous on the caller's thread: the provider's own token thread, never one it does not own.
 * Thread-safe.
 */
final class TokenTransport extends HttpTransport {
    private final OkHttpClient client;

    TokenTransport(OkHttpClient client) {
        this.client = client;
    }

    @Override
    protected LowLevelHttpRequest buildRequest(String method, String url) {
        return new TokenRequest(method, url);
    }

    private final class TokenRequest extends LowLevelHttpRequest {
        private final Request.Builder request;
        private final String method;

        TokenRequest(String method, String url) {
            this.method = method;
            this.request = new Request.Builder().url(url);
        }

        @Override
        public void addHeader(String name, String value) {
            request.addHeader(name, value);
        }

        /** The provider's client decides the timeouts; google-http-client's defaults are ignored. */
        @Override
        public void setTimeout(int connectTimeout, int readTimeout) {
        }

        @Override
        public LowLevelHttpResponse execute() throws IOException {
            RequestBody body = null;
            if (getStreamingContent() != null) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                getStreamingContent().writeTo(bytes);
                String type = getContentType();
                body = RequestBody.create(bytes.toByteArray(), type == null ? null : MediaType.parse(type));
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                body = RequestBody.create(new byte[0], null);
            }
            Response response = client.newCall(request.method(method, body).build()).execute();
            return new TokenResponse(response);
        }
    }

    private static final class TokenResponse extends LowLevelHttpResponse {
        private final Response response;
        private final Headers headers;

        TokenResponse(Response response) {
            this.response = response;
            this.headers = response.headers();
        }

        @Override
        public InputStream getContent() {
            ResponseBody body = response.body();
            return body == null ? null : body.byteStream();
        }

        @Override
        public String getContentEncoding() {
            return response.header("Content-Encoding");
        }

        @Override
        public long getContentLength() {
            ResponseBody body = response.body();
            return body == null ? 0 : body.contentLength();
        }

        @Override
        public String getContentType() {
            return response.header("Content-Type");
        }

        @Override
        public String getStatusLine() {
            return "HTTP/1.1 " + response.code() + " " + response.message();
        }

        @Override
        public int getStatusCode() {
            return response.code();
        }

        @Override
        public String getReasonPhrase() {
            return response.message();
        }

        @Override
        public int getHeaderCount() {
            return headers.size();
        }

        @Override
        public String getHeaderName(int index) {
            return headers.name(index);
        }

        @Override
        public String getHeaderValue(int index) {
            return headers.value(index);
        }

        @Override
        public void disconnect() {
            response.close();
        }
    }
}
