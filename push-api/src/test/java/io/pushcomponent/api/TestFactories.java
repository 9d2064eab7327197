package io.pushcomponent.api;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

final class TestFactories {
    private TestFactories() {
    }

    static class Named implements PushProviderFactory {
        private final String id;
        private final Set<String> aliases;

        Named(String id, Set<String> aliases) {
            this.id = id;
            this.aliases = aliases;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Set<String> aliases() {
            return aliases;
        }

        @Override
        public Set<String> settingKeys() {
            return Set.of();
        }

        @Override
        public PushProvider create(ProviderSettings settings) {
            return new PushProvider() {
                @Override
                public CompletionStage<DeliveryResult> send(PushRequest request) {
                    return CompletableFuture.completedFuture(new DeliveryResult.Delivered(null));
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** Discovered through META-INF/services in test resources. */
    public static final class Good extends Named {
        public Good() {
            super("good", Set.of("good-alias"));
        }
    }

    /** Listed in META-INF/services; its constructor fails, as a provider with a missing dependency would. */
    public static final class Broken extends Named {
        public Broken() {
            super("broken", Set.of());
            throw new NoClassDefFoundError("com/example/MissingDependency");
        }
    }
}
