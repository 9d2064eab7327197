package io.pushcomponent.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProviderRegistryTest {

    @Test
    void oneBrokenProviderNeverHidesTheOthers() {
        ProviderRegistry registry = ProviderRegistry.discover(getClass().getClassLoader());

        assertThat(registry.ids()).as("the good factory is found although two entries before/after it fail")
                .containsExactly("good");
        assertThat(registry.loadFailures()).as("each failing entry is reported").hasSize(2);
    }

    @Test
    void aliasesResolveToTheCanonicalFactory() {
        ProviderRegistry registry = ProviderRegistry.discover(getClass().getClassLoader());

        assertThat(registry.canonicalId("good-alias")).contains("good");
        assertThat(registry.factory("good-alias").id()).isEqualTo("good");
    }

    @Test
    void duplicateIdsAreAnError() {
        var a = new TestFactories.Named("fcm-http-v1", Set.of());
        var b = new TestFactories.Named("fcm-http-v1", Set.of());

        assertThatThrownBy(() -> ProviderRegistry.of(List.of(a, b)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'fcm-http-v1' is claimed twice");
    }

    @Test
    void anAliasClashingWithAnotherIdIsAnError() {
        var a = new TestFactories.Named("apns", Set.of());
        var b = new TestFactories.Named("other", Set.of("apns"));

        assertThatThrownBy(() -> ProviderRegistry.of(List.of(a, b)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'apns' is claimed twice");
    }

    @Test
    void aMissingWellKnownIdNamesTheArtifactToAdd() {
        ProviderRegistry registry = ProviderRegistry.of(List.of(new TestFactories.Good()));

        assertThatThrownBy(() -> registry.factory("fcm-xmpp-api"))
                .isInstanceOf(UnknownProviderException.class)
                .hasMessageContaining("io.pushcomponent:push-provider-fcm")
                .hasMessageContaining("available: [good, good-alias]");
    }

    @Test
    void aMissingUnknownIdListsWhatIsAvailable() {
        ProviderRegistry registry = ProviderRegistry.of(List.of(new TestFactories.Good()));

        assertThatThrownBy(() -> registry.factory("carrier-pigeon"))
                .isInstanceOf(UnknownProviderException.class)
                .hasMessage("no push provider 'carrier-pigeon' is available; available: [good, good-alias]");
    }
}
