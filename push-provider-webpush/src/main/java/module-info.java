/**
 * Web Push provider: {@link io.pushcomponent.provider.webpush.WebPushProviderFactory} (provider id {@code webpush}).
 * Only the factory and its setting-key constants are public.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8030">RFC 8030: Generic Event Delivery Using HTTP Push</a>
 */
module io.pushcomponent.provider.webpush {
    requires io.pushcomponent.api;
    requires io.pushcomponent.webpush.crypto;
    requires java.net.http;
    requires org.slf4j;

    exports io.pushcomponent.provider.webpush;

    provides io.pushcomponent.api.PushProviderFactory with io.pushcomponent.provider.webpush.WebPushProviderFactory;
}
