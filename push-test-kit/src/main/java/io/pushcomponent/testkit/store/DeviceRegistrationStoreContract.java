package io.pushcomponent.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushcomponent.api.Device;
import io.pushcomponent.api.store.DeliveryDiagnostics;
import io.pushcomponent.api.store.DeviceRegistration;
import io.pushcomponent.api.PublishSecret;
import io.pushcomponent.api.store.DeviceRegistrationStore;
import io.pushcomponent.api.store.ServiceKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link DeviceRegistrationStore} shares, run against each implementation by a subclass.
 *
 * <p>The identity rules come from {@link DeviceRegistrationStore}: a node is unique; provider id + token + owner is
 * unique, so the same account re-registering a token keeps its node while two accounts on one device get one node
 * each. Stores keep publish secrets as hashes: what they find carries {@link PublishSecret#stored the stored form}
 * ({@link #asStored}), what {@code register} returns the secret as given.
 */
public abstract class DeviceRegistrationStoreContract {
    protected static final Instant T0 = Instant.parse("2026-11-24T19:00:00Z");
    protected static final String FCM = "fcm-http-v1";
    protected static final String APNS = "apns";
    protected static final String ALICE = "alice@example.com";
    protected static final String BOB = "bob@example.net";
    protected static final String TOKEN = "fcm-token-0123456789abcdefghijklmnopqrstuvwxyz";

    /** A raw row of the store's table, read without going through the store. */
    public record StoredRow(String node, String providerId, String token, String owner) {
    }

    protected DeviceRegistrationStore store;

    /** Opens the store under test; its storage is empty. */
    protected abstract DeviceRegistrationStore openStore() throws Exception;

    /** The longest device token the store keeps (push-core's stores: 4096); longer ones must be refused. */
    protected int maxTokenLength() {
        return 4096;
    }

    /**
     * Opens a second instance on the same storage, as a second component process sharing a database would; stores
     * without shared storage return the store under test.
     */
    protected DeviceRegistrationStore openAnotherInstance() throws Exception {
        return store;
    }

    /** The rows of the store's table read directly with SQL, or empty for a store without tables. */
    protected Optional<List<StoredRow>> storedRows() throws Exception {
        return Optional.empty();
    }

    @BeforeEach
    protected void openStoreUnderTest() throws Exception {
        store = openStore();
    }

    @AfterEach
    protected void closeStoreUnderTest() {
        store.close();
    }

    protected static DeviceRegistration registration(String node, Device device, String owner, int secondsAfterT0) {
        return new DeviceRegistration(node, device, owner, "secret-" + node, T0.plusSeconds(secondsAfterT0));
    }

    /** A registration as a store finds it: with its secret in stored form. */
    protected static DeviceRegistration asStored(DeviceRegistration registration) {
        return new DeviceRegistration(registration.node(), registration.device(), registration.owner(),
                PublishSecret.stored(registration.secret()), registration.createdAt());
    }

    protected static String freshNode() {
        return UUID.randomUUID().toString();
    }

    @Test
    protected void registersFindsListsAndUnregisters() {
        DeviceRegistration registration = registration("node-1", Device.of(FCM, TOKEN), ALICE, 0);

        assertThat(store.register(registration)).as("a new device is stored as given").isEqualTo(registration);
        assertThat(store.findByNode("node-1")).as("found by its node").contains(asStored(registration));
        assertThat(store.findByToken(FCM, TOKEN)).as("found by provider and token")
                .containsExactly(asStored(registration));
        assertThat(store.listByOwner(ALICE)).as("listed for its owner").containsExactly(asStored(registration));
        assertThat(store.count()).as("one registration stored").isEqualTo(1);

        assertThat(store.unregister("node-1")).as("unregistering an existing node reports it existed").isTrue();
        assertThat(store.findByNode("node-1")).as("an unregistered node is gone").isEmpty();
        assertThat(store.findByToken(FCM, TOKEN)).as("an unregistered token is gone").isEmpty();
        assertThat(store.listByOwner(ALICE)).as("the owner has nothing left").isEmpty();
        assertThat(store.count()).as("nothing stored").isZero();
        assertThat(store.unregister("node-1")).as("unregistering twice reports nothing to remove").isFalse();
    }

    /** Secrets at rest: whoever reads the store learns no secret that lets them publish. */
    @Test
    protected void publishSecretsAreKeptAsHashesThatMatchOnlyTheSecret() {
        DeviceRegistration registration = registration("node-1", Device.of(FCM, TOKEN), ALICE, 0);
        store.register(registration);

        String kept = store.findByNode("node-1").orElseThrow().secret();
        assertThat(kept).as("the store keeps a hash, not the secret").isNotEqualTo(registration.secret())
                .doesNotContain(registration.secret()).matches("sha256:[A-Za-z0-9_-]{43}");
        assertThat(PublishSecret.matches(kept, registration.secret())).as("the secret matches its hash").isTrue();
        assertThat(PublishSecret.matches(kept, kept)).as("the hash itself is no secret that matches").isFalse();
        assertThat(PublishSecret.matches(kept, "secret-node-2")).as("another secret does not match").isFalse();
    }

    /** The app server drops a refused second token by registering the found registration again without it. */
    @Test
    protected void registeringAFoundRegistrationAgainKeepsItsSecret() {
        DeviceRegistration registration = registration("node-1",
                new Device(APNS, TOKEN, "voip-token-abcdef0123456789", "org.example.app", false), ALICE, 0);
        store.register(registration);
        DeviceRegistration found = store.findByNode("node-1").orElseThrow();

        store.register(new DeviceRegistration(found.node(), Device.of(APNS, TOKEN), found.owner(), found.secret(),
                found.createdAt()));

        DeviceRegistration after = store.findByNode("node-1").orElseThrow();
        assertThat(after.device().secondToken()).as("the change is stored").isNull();
        assertThat(PublishSecret.matches(after.secret(), registration.secret()))
                .as("the secret issued to the client still matches").isTrue();
    }

    @Test
    protected void unknownValuesFindNothing() {
        store.register(registration("node-1", Device.of(FCM, TOKEN), ALICE, 0));

        assertThat(store.findByNode("node-2")).as("unknown node").isEmpty();
        assertThat(store.findByToken(APNS, TOKEN)).as("same token under another provider is another device").isEmpty();
        assertThat(store.findByToken(FCM, TOKEN + "x")).as("unknown token").isEmpty();
        assertThat(store.listByOwner(BOB)).as("unknown owner").isEmpty();
    }

    @Test
    protected void sameOwnerRegisteringTheSameTokenAgainKeepsTheNodeAndUpdatesTheDevice() {
        DeviceRegistration first = registration("node-1", Device.of(APNS, TOKEN), ALICE, 0);
        store.register(first);
        Device withVoipToken = new Device(APNS, TOKEN, "voip-token-abcdef0123456789", "org.example.app", true);

        DeviceRegistration candidate = registration("node-2", withVoipToken, ALICE, 60);
        DeviceRegistration again = store.register(candidate);

        DeviceRegistration expected = new DeviceRegistration("node-1", withVoipToken, ALICE, candidate.secret(),
                first.createdAt());
        assertThat(again).as("re-registering returns the existing node and creation time with the new second token,"
                + " app id, sandbox flag and secret (the old secret cannot be returned: only its hash is kept)")
                .isEqualTo(expected);
        assertThat(store.findByNode("node-1")).as("the stored registration is updated").contains(asStored(expected));
        assertThat(PublishSecret.matches(store.findByNode("node-1").orElseThrow().secret(), first.secret()))
                .as("the replaced secret no longer matches").isFalse();
        assertThat(store.findByNode("node-2")).as("the candidate's node was not stored").isEmpty();
        assertThat(store.count()).as("still one registration").isEqualTo(1);
    }

    @Test
    protected void twoOwnersOfOneDeviceGetOneNodeEach() {
        DeviceRegistration alice = registration("node-a", Device.of(FCM, TOKEN), ALICE, 0);
        DeviceRegistration bob = registration("node-b", Device.of(FCM, TOKEN), BOB, 1);

        assertThat(store.register(alice)).as("first account's registration").isEqualTo(alice);
        assertThat(store.register(bob)).as("second account on the same device gets its own node").isEqualTo(bob);

        assertThat(store.findByToken(FCM, TOKEN)).as("the token finds both accounts' registrations, oldest first")
                .containsExactly(asStored(alice), asStored(bob));
        assertThat(store.listByOwner(ALICE)).as("each owner lists only its own").containsExactly(asStored(alice));
        assertThat(store.listByOwner(BOB)).as("each owner lists only its own").containsExactly(asStored(bob));

        store.unregister("node-a");
        assertThat(store.findByToken(FCM, TOKEN)).as("removing one account's node keeps the other's")
                .containsExactly(asStored(bob));
    }

    @Test
    protected void listsAnOwnersRegistrationsOldestFirst() {
        DeviceRegistration newest = registration("node-3", Device.of(FCM, "token-3-abcdefghij"), ALICE, 30);
        DeviceRegistration oldest = registration("node-1", Device.of(FCM, "token-1-abcdefghij"), ALICE, 10);
        DeviceRegistration middle = registration("node-2", Device.of(APNS, "token-2-abcdefghij"), ALICE, 20);
        store.register(newest);
        store.register(oldest);
        store.register(middle);
        store.register(registration("node-4", Device.of(FCM, "token-4-abcdefghij"), BOB, 0));

        assertThat(store.listByOwner(ALICE)).as("an owner's registrations, oldest first")
                .containsExactly(asStored(oldest), asStored(middle), asStored(newest));
    }

    @Test
    protected void aNodeOfAnotherDeviceIsRefusedAndNothingChanges() {
        DeviceRegistration alice = registration("node-1", Device.of(FCM, TOKEN), ALICE, 0);
        store.register(alice);

        DeviceRegistration otherDevice = registration("node-1", Device.of(FCM, "other-token-0123456789"), BOB, 5);
        assertThatThrownBy(() -> store.register(otherDevice))
                .as("a node is unique: reusing one for another device is a caller error")
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already registered");
        assertThat(store.findByNode("node-1")).as("the existing registration is untouched")
                .contains(asStored(alice));
        assertThat(store.count()).as("nothing was added").isEqualTo(1);
    }

    @Test
    protected void overLongValuesAreRefusedWithoutEchoingThem() {
        String longToken = "T".repeat(maxTokenLength() + 1);

        assertThatThrownBy(() -> store.register(registration("node-1", Device.of(FCM, longToken), ALICE, 0)))
                .as("a token longer than the store keeps is refused, and the message never shows the token")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("device token")
                .hasMessageNotContaining("TTTTTTTT");
        assertThat(store.count()).as("nothing was stored").isZero();
    }

    /**
     * 10,000 register/unregister operations from 8 threads on 2 store instances, over 40 tokens shared by 3
     * owners, so that the same identity is registered and unregistered concurrently all the time.
     */
    @Test
    protected void concurrentRegisterAndUnregisterLeaveNoDuplicateAndNoOrphan() throws Exception {
        int threads = 8;
        int operations = 10_000;
        List<String> owners = List.of(ALICE, BOB, "carol@example.org");
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            tokens.add("shared-token-" + i + "-0123456789abcdef");
        }
        DeviceRegistrationStore second = openAnotherInstance();
        Set<String> issuedNodes = ConcurrentHashMap.newKeySet();
        List<Callable<Void>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            DeviceRegistrationStore instance = t % 2 == 0 ? store : second;
            workers.add(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < operations / threads; i++) {
                    String owner = owners.get(random.nextInt(owners.size()));
                    String token = tokens.get(random.nextInt(tokens.size()));
                    if (random.nextInt(10) < 6) {
                        DeviceRegistration stored = instance.register(
                                registration(freshNode(), Device.of(FCM, token), owner, random.nextInt(3600)));
                        assertThat(stored.owner() + " " + stored.device().token())
                                .as("register returns the registration of the requested identity")
                                .isEqualTo(owner + " " + token);
                        issuedNodes.add(stored.node());
                    } else {
                        instance.findByToken(FCM, token).stream()
                                .filter(r -> r.owner().equals(owner))
                                .findFirst()
                                .ifPresent(r -> instance.unregister(r.node()));
                    }
                }
                return null;
            });
        }
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            for (Future<Void> worker : executor.invokeAll(workers, 2, TimeUnit.MINUTES)) {
                worker.get();
            }
        } finally {
            executor.shutdownNow();
        }
        if (second != store) {
            second.close();
        }

        long identitiesStored = 0;
        for (String owner : owners) {
            for (String token : tokens) {
                List<DeviceRegistration> ofIdentity = store.findByToken(FCM, token).stream()
                        .filter(r -> r.owner().equals(owner)).toList();
                assertThat(ofIdentity).as("at most one node per provider + token + owner").hasSizeLessThanOrEqualTo(1);
                identitiesStored += ofIdentity.size();
            }
        }
        assertThat(store.count()).as("every stored registration is reachable by its token and owner")
                .isEqualTo(identitiesStored);
        Optional<List<StoredRow>> rows = storedRows();
        if (rows.isPresent()) {
            assertThat(rows.get()).as("the table holds exactly what the store counts").hasSize((int) identitiesStored);
            assertThat(rows.get().stream().map(StoredRow::node).distinct().count()).as("no duplicate node in the table")
                    .isEqualTo(rows.get().size());
            Set<StoredRow> identities = new HashSet<>(rows.get().stream()
                    .map(r -> new StoredRow("", r.providerId(), r.token(), r.owner())).toList());
            assertThat(identities).as("no duplicate provider + token + owner in the table").hasSize(rows.get().size());
            assertThat(issuedNodes).as("every row's node was returned by some register call: no orphan row")
                    .containsAll(rows.get().stream().map(StoredRow::node).toList());
        }

        for (String node : issuedNodes) {
            store.unregister(node);
        }
        assertThat(store.count()).as("unregistering every node register returned leaves nothing behind").isZero();
        if (rows.isPresent()) {
            assertThat(storedRows().orElseThrow()).as("the table is empty: no orphan row").isEmpty();
        }
    }

    /** One way to unregister by token: only the requesting account's registration goes, whatever case it writes. */
    @Test
    protected void unregisterDeviceRemovesOnlyTheAccountsOwnRegistrationsOfTheToken() {
        DeviceRegistration alices = store.register(registration("node-a", Device.of(FCM, TOKEN), ALICE, 0));
        DeviceRegistration bobs = store.register(registration("node-b", Device.of(FCM, TOKEN), BOB, 1));

        assertThat(store.unregisterDevice(FCM, TOKEN, "Alice@Example.COM/phone")).as("alice's own registration")
                .containsExactly(alices.node());
        assertThat(store.findByToken(FCM, TOKEN)).extracting(DeviceRegistration::node)
                .as("bob's registration of the same device stays").containsExactly(bobs.node());
        assertThat(store.unregisterDevice(FCM, TOKEN, ALICE)).as("nothing left of alice's").isEmpty();
        assertThat(store.unregisterDevice(APNS, TOKEN, BOB)).as("another provider's token is another device")
                .isEmpty();
    }

    /** probe() (health checks) writes and removes a registration and leaves the store as it was. */
    @Test
    protected void probeWritesAndRemovesARegistrationLeavingTheStoreAsItWas() {
        store.register(registration("node-1", Device.of(FCM, TOKEN), ALICE, 0));

        store.probe();
        store.probe();

        assertThat(store.count()).isEqualTo(1);
        assertThat(store.listByOwner(DeviceRegistrationStore.PROBE_OWNER)).isEmpty();
    }

    @Test
    protected void findsSeveralNodesAtOnceLeavingOutUnknownOnes() {
        List<DeviceRegistration> stored = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            stored.add(store.register(registration("node-" + i, new Device(FCM, TOKEN + i, null, null, false), ALICE,
                    i)));
        }
        List<String> asked = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            asked.add("node-" + i);
        }
        asked.addAll(List.of("node-3", "unknown-1", "unknown-2"));

        Map<String, DeviceRegistration> found = store.findByNodes(asked);

        assertThat(found).as("more nodes than one query takes, repeats and unknown nodes: each registered node once")
                .hasSize(70);
        for (DeviceRegistration registration : stored) {
            assertThat(found.get(registration.node())).as("found by its node").isEqualTo(asStored(registration));
        }
        assertThat(store.findByNodes(List.of("node-5", "unknown-1", "node-6")))
                .as("a few nodes").containsOnlyKeys("node-5", "node-6");
        assertThat(store.findByNodes(List.of("unknown-1"))).as("an unknown node alone").isEmpty();
        assertThat(store.findByNodes(List.of())).as("no node").isEmpty();
    }

    /** Diagnostics start empty and add up: counts are summed, the last success and failure are the latest. */
    @Test
    protected void diagnosticsStartEmptyAndAddUp() {
        store.register(registration("node-1", Device.of(FCM, TOKEN), ALICE, 0));
        assertThat(store.diagnostics(List.of("node-1"))).as("a registration without pushes has none")
                .containsExactly(Map.entry("node-1", DeliveryDiagnostics.NONE));

        store.addDiagnostics(Map.of("node-1", DeliveryDiagnostics.success(T0.plusSeconds(10))
                .plus(DeliveryDiagnostics.success(T0.plusSeconds(11)))));
        store.addDiagnostics(Map.of("node-1", DeliveryDiagnostics.failure(T0.plusSeconds(20), "PAYLOAD_TOO_LARGE",
                "modify/not-acceptable")));
        store.addDiagnostics(Map.of("node-1", DeliveryDiagnostics.success(T0.plusSeconds(30))));

        assertThat(store.diagnostics(List.of("node-1")).get("node-1")).as("three changes added up")
                .isEqualTo(new DeliveryDiagnostics(3, 1, T0.plusSeconds(30), T0.plusSeconds(20), "PAYLOAD_TOO_LARGE",
                        "modify/not-acceptable"));

        store.addDiagnostics(Map.of("node-1", DeliveryDiagnostics.failure(T0.plusSeconds(40), "UNAVAILABLE",
                "wait/remote-server-timeout")));
        assertThat(store.diagnostics(List.of("node-1")).get("node-1")).as("a later failure replaces reason and "
                + "condition, the last success stays")
                .isEqualTo(new DeliveryDiagnostics(3, 2, T0.plusSeconds(30), T0.plusSeconds(40), "UNAVAILABLE",
                        "wait/remote-server-timeout"));
    }

    /** Instances sharing a store may add in any order: an earlier change never replaces a later last outcome. */
    @Test
    protected void anEarlierChangeAddsItsCountsButKeepsTheLaterLastOutcomes() throws Exception {
        store.register(registration("node-1", Device.of(FCM, TOKEN), ALICE, 0));
        DeliveryDiagnostics later = DeliveryDiagnostics.success(T0.plusSeconds(50))
                .plus(DeliveryDiagnostics.failure(T0.plusSeconds(60), "QUOTA_EXCEEDED", "wait/resource-constraint"));
        DeliveryDiagnostics earlier = DeliveryDiagnostics.success(T0.plusSeconds(5))
                .plus(DeliveryDiagnostics.failure(T0.plusSeconds(6), "UNKNOWN", "wait/internal-server-error"));
        store.addDiagnostics(Map.of("node-1", later));
        DeviceRegistrationStore other = openAnotherInstance();
        other.addDiagnostics(Map.of("node-1", earlier));

        assertThat(store.diagnostics(List.of("node-1")).get("node-1"))
                .isEqualTo(new DeliveryDiagnostics(2, 2, T0.plusSeconds(50), T0.plusSeconds(60), "QUOTA_EXCEEDED",
                        "wait/resource-constraint"));
    }

    /**
     * Diagnostics belong to their registration: registering the same device again keeps them, unregistering removes
     * them, and changes for nodes without a registration are skipped.
     */
    @Test
    protected void diagnosticsLiveAndDieWithTheirRegistration() {
        DeviceRegistration first = store.register(registration("node-1", Device.of(FCM, TOKEN), ALICE, 0));
        DeliveryDiagnostics one = DeliveryDiagnostics.failure(T0.plusSeconds(1), "BAD_REQUEST", "modify/bad-request");
        store.addDiagnostics(Map.of("node-1", one, "no-such-node", DeliveryDiagnostics.success(T0)));

        assertThat(store.diagnostics(List.of("node-1", "no-such-node"))).as("the unknown node was skipped")
                .containsExactly(Map.entry("node-1", one));
        store.register(new DeviceRegistration(freshNode(), first.device(), ALICE, "new-secret", T0.plusSeconds(9)));
        assertThat(store.diagnostics(List.of("node-1"))).as("registering the same device again keeps its node and "
                + "its diagnostics").containsExactly(Map.entry("node-1", one));

        store.unregister("node-1");
        assertThat(store.diagnostics(List.of("node-1"))).as("gone with the registration").isEmpty();
        store.register(registration("node-1", Device.of(FCM, TOKEN), ALICE, 10));
        assertThat(store.diagnostics(List.of("node-1"))).as("a new registration of the node starts empty")
                .containsExactly(Map.entry("node-1", DeliveryDiagnostics.NONE));
        store.addDiagnostics(Map.of());
    }

    @Test
    protected void diagnosticsOfManyNodesAtOnce() {
        Map<String, DeliveryDiagnostics> changes = new HashMap<>();
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            store.register(registration("node-" + i, new Device(FCM, TOKEN + i, null, null, false), ALICE, i));
            changes.put("node-" + i, DeliveryDiagnostics.success(T0.plusSeconds(i)));
            nodes.add("node-" + i);
        }
        store.addDiagnostics(changes);
        nodes.add("node-3");

        Map<String, DeliveryDiagnostics> found = store.diagnostics(nodes);

        assertThat(found).as("more nodes than one query takes, each once").hasSize(70);
        for (int i = 0; i < 70; i++) {
            assertThat(found.get("node-" + i)).isEqualTo(DeliveryDiagnostics.success(T0.plusSeconds(i)));
        }
        assertThat(store.diagnostics(List.of())).isEmpty();
    }

    @Test
    protected void countsRegistrationsPerProvider() {
        assertThat(store.countByProvider()).as("an empty store").isEmpty();
        store.register(registration("node-1", Device.of(FCM, TOKEN), ALICE, 0));
        store.register(registration("node-2", Device.of(FCM, TOKEN), BOB, 1));
        store.register(registration("node-3", Device.of(APNS, "abcdef0123"), ALICE, 2));

        assertThat(store.countByProvider()).containsExactlyInAnyOrderEntriesOf(Map.of(FCM, 2L, APNS, 1L));
        store.unregister("node-3");
        assertThat(store.countByProvider()).containsExactlyInAnyOrderEntriesOf(Map.of(FCM, 2L));
    }

    /**
     * A service key is made once per name and then the same for every caller: this store later, and another instance
     * on the same storage (endpoint tokens signed with it stay valid across restarts and instances).
     */
    @Test
    protected void serviceKeyIsMadeOnceAndSharedByEveryInstance() throws Exception {
        ServiceKey first = store.serviceKey("unifiedpush-endpoint");

        assertThat(first.secret()).as("random bytes").hasSizeGreaterThanOrEqualTo(ServiceKey.MIN_BYTES);
        assertThat(store.serviceKey("unifiedpush-endpoint")).as("asked again").isEqualTo(first);
        DeviceRegistrationStore other = openAnotherInstance();
        try {
            assertThat(other.serviceKey("unifiedpush-endpoint")).as("another instance").isEqualTo(first);
        } finally {
            if (other != store) {
                other.close();
            }
        }
        ServiceKey otherName = store.serviceKey("another-purpose");
        assertThat(otherName.secret()).as("another name, another key").isNotEqualTo(first.secret());
        assertThat(first.toString()).as("toString never shows the key")
                .doesNotContain(java.util.HexFormat.of().formatHex(first.secret()))
                .doesNotContain(java.util.Base64.getEncoder().encodeToString(first.secret()));
    }

    /** Instances asking at once for a key nobody made yet all get the one stored first. */
    @Test
    protected void concurrentFirstRequestsForAKeyAgreeOnOne() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ServiceKey>> asked = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                asked.add(pool.submit(() -> store.serviceKey("raced")));
            }
            Set<ServiceKey> keys = new HashSet<>();
            for (Future<ServiceKey> f : asked) {
                keys.add(f.get(30, TimeUnit.SECONDS));
            }
            assertThat(keys).as("one key for all").hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A revocation is kept per subject, a later one replaces an earlier one but never the reverse, another instance
     * sees it, and records past their keep-until time are dropped.
     */
    @Test
    protected void revocationsKeepTheLatestInstantPerSubject() throws Exception {
        Instant t1 = T0.plusMillis(1_234).plusNanos(5_000);
        Instant keep = Instant.now().plusSeconds(3600);
        assertThat(store.revokedAt("subject-a")).as("never revoked").isEmpty();

        store.revoke("subject-a", t1, keep);
        assertThat(store.revokedAt("subject-a")).as("revoked").contains(t1);
        store.revoke("subject-a", t1.minusSeconds(10), keep);
        assertThat(store.revokedAt("subject-a")).as("an earlier revocation does not replace a later one")
                .contains(t1);
        store.revoke("subject-a", t1.plusSeconds(10), keep);
        assertThat(store.revokedAt("subject-a")).as("a later one replaces it").contains(t1.plusSeconds(10));
        assertThat(store.revokedAt("subject-b")).as("another subject").isEmpty();
        DeviceRegistrationStore other = openAnotherInstance();
        try {
            assertThat(other.revokedAt("subject-a")).as("another instance").contains(t1.plusSeconds(10));
        } finally {
            if (other != store) {
                other.close();
            }
        }

        store.revoke("subject-old", t1, Instant.now().minusSeconds(1));
        store.revoke("subject-c", t1, keep);
        assertThat(store.revokedAt("subject-old")).as("dropped after its keep-until time").isEmpty();
        assertThat(store.revokedAt("subject-c")).as("the one just made stays").contains(t1);
    }

    @Test
    protected void closingIsIdempotent() {
        store.close();
        store.close();
    }
}
