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
    void aMissingProviderThatADialectNamesNamesTheArtifactToAdd() {
        ProviderRegistry registry = ProviderRegistry.of(List.of(new TestFactories.Good()))
                .withAliases(List.of(new ProviderAlias("other-alias", "other", "com.example:push-provider-other")));

        assertThatThrownBy(() -> registry.factory("other-alias"))
                .as("by the alias").isInstanceOf(UnknownProviderException.class)
                .hasMessageContaining("add the artifact com.example:push-provider-other")
                .hasMessageContaining("available: [good, good-alias]");
        assertThatThrownBy(() -> registry.factory("other"))
                .as("by the canonical id the alias names").isInstanceOf(UnknownProviderException.class)
                .hasMessageContaining("add the artifact com.example:push-provider-other");
    }

    @Test
    void aDialectsAliasResolvesToItsProvider() {
        ProviderRegistry registry = ProviderRegistry.of(List.of(new TestFactories.Good()))
                .withAliases(List.of(new ProviderAlias("dialect-id", "good", "com.example:good")));

        assertThat(registry.canonicalId("dialect-id")).contains("good");
        assertThat(registry.factory("dialect-id").id()).isEqualTo("good");
        assertThat(registry.idsAndAliases()).containsEntry("dialect-id", "good");
    }

    @Test
    void aDialectsAliasClashingWithAnotherProvidersIdIsAnError() {
        ProviderRegistry registry = ProviderRegistry.of(List.of(new TestFactories.Named("apns", Set.of()),
                new TestFactories.Named("other", Set.of())));

        assertThatThrownBy(() -> registry.withAliases(List.of(new ProviderAlias("apns", "other", "com.example:o"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'apns' is claimed twice");
    }

    @Test
    void aMissingUnknownIdListsWhatIsAvailable() {
        ProviderRegistry registry = ProviderRegistry.of(List.of(new TestFactories.Good()));

        assertThatThrownBy(() -> registry.factory("carrier-pigeon"))
                .isInstanceOf(UnknownProviderException.class)
                .hasMessage("no push provider 'carrier-pigeon' is available; available: [good, good-alias]");
    }
}
