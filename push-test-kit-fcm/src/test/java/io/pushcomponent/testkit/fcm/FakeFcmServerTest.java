package io.pushcomponent.testkit.fcm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushcomponent.testkit.fcm.FakeFcmServer.ReceivedMessage;
import io.pushcomponent.testkit.fcm.FakeFcmServer.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import okhttp3.FormBody;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fake behaves like FCM and Google's token endpoint toward a plain HTTP client. */
class FakeFcmServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final String MESSAGE = "{\"message\":{\"token\":\"device-token-123456\",\"data\":{\"account\":\"a@b\"}}}";

    private final OkHttpClient http = new OkHttpClient();
    private FakeFcmServer fcm;

    @BeforeEach
    void start() throws IOException {
        fcm = FakeFcmServer.start();
    }

    @AfterEach
    void stop() throws IOException {
        fcm.close();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    private String accessToken(PrivateKey key) throws Exception {
        JsonNode account = JSON.readTree(fcm.serviceAccountJson());
        long now = Instant.now().getEpochSecond();
        String header = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        String claims = b64("{\"iss\":\"" + account.get("client_email").asText() + "\",\"scope\":\""
                + FakeFcmServer.FCM_SCOPE + "\",\"aud\":\"" + account.get("token_uri").asText() + "\",\"iat\":" + now
                + ",\"exp\":" + (now + 3600) + "}");
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key);
        signer.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        String jwt = header + "." + claims + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
        Request request = new Request.Builder().url(fcm.tokenUri().toURL()).post(new FormBody.Builder()
                .add("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer").add("assertion", jwt).build()).build();
        try (Response response = http.newCall(request).execute()) {
            JsonNode body = JSON.readTree(response.body().string());
            return response.code() == 200 ? body.get("access_token").asText() : null;
        }
    }

    private PrivateKey serviceAccountKey() throws Exception {
        String pem = JSON.readTree(fcm.serviceAccountJson()).get("private_key").asText();
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private Response send(String accessToken, String body) throws IOException {
        return http.newCall(new Request.Builder().url(fcm.baseUrl() + "/v1/projects/" + fcm.projectId()
                        + "/messages:send").header("Authorization", "Bearer " + accessToken)
                .post(RequestBody.create(body, JSON_TYPE)).build()).execute();
    }

    /** The example of this artifact's README, compiled and run (there inside {@code try (FakeFcmServer fcm = ...)}). */
    @Test
    void readmeExample(@TempDir Path tempDir) throws Exception {
        // README example begins
        Path serviceAccount = fcm.writeServiceAccountJson(tempDir);   // fresh RSA key; token_uri points at the fake
        fcm.enqueue(FakeFcmServer.Reply.unregistered());               // the next send: 404 UNREGISTERED
        codeUnderTest(serviceAccount, fcm.baseUrl());                   // sends twice to Juliet's device
        assertThat(fcm.takeMessage(Duration.ofSeconds(5)).answeredWith()).isEqualTo(404);
        FakeFcmServer.ReceivedMessage m = fcm.takeMessage(Duration.ofSeconds(5));
        assertThat(m.data()).containsEntry("account", "juliet@example.com");
        // README example ends
    }

    /** Stands for the reader's FCM client: a token from the service account's key, then two sends. */
    private void codeUnderTest(Path serviceAccount, String baseUrl) throws Exception {
        assertThat(JSON.readTree(Files.readString(serviceAccount)).get("token_uri").asText())
                .isEqualTo(fcm.tokenUri().toString());
        assertThat(baseUrl).isEqualTo(fcm.baseUrl());
        String token = accessToken(serviceAccountKey());
        String message = "{\"message\":{\"token\":\"device-token-123456\",\"data\":{\"account\":"
                + "\"juliet@example.com\"}}}";
        for (int i = 0; i < 2; i++) {
            send(token, message).close();
        }
    }

    @Test
    void theServiceAccountPointsAtTheFakeAndItsKeyEarnsAToken(@TempDir Path dir) throws Exception {
        JsonNode account = JSON.readTree(Files.readString(fcm.writeServiceAccountJson(dir)));

        assertThat(account.get("type").asText()).isEqualTo("service_account");
        assertThat(account.get("token_uri").asText()).isEqualTo(fcm.tokenUri().toString());
        assertThat(account.get("project_id").asText()).isEqualTo(FakeFcmServer.DEFAULT_PROJECT_ID);
        assertThat(accessToken(serviceAccountKey())).as("an assertion signed with the service account's key")
                .startsWith("fake-access-token-");
        assertThat(fcm.tokenRequests()).singleElement().satisfies(t -> {
            assertThat(t.accepted()).isTrue();
            assertThat(t.scope()).isEqualTo(FakeFcmServer.FCM_SCOPE);
        });
    }

    @Test
    void anAssertionSignedWithAnotherKeyIsRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);

        assertThat(accessToken(generator.generateKeyPair().getPrivate())).as("invalid_grant, no token").isNull();
        assertThat(fcm.tokenRequests()).singleElement().satisfies(t -> assertThat(t.accepted()).isFalse());
    }

    @Test
    void sendsNeedAnIssuedTokenThatWasNotRevoked() throws Exception {
        try (Response r = send("made-up", MESSAGE)) {
            assertThat(r.code()).as("a token the fake never issued").isEqualTo(401);
            assertThat(r.body().string()).contains("\"UNAUTHENTICATED\"");
        }
        String token = accessToken(serviceAccountKey());
        try (Response r = send(token, MESSAGE)) {
            assertThat(r.code()).isEqualTo(200);
            assertThat(JSON.readTree(r.body().string()).get("name").asText()).startsWith("projects/fake-project/messages/");
        }
        fcm.revokeTokens();
        try (Response r = send(token, MESSAGE)) {
            assertThat(r.code()).as("a revoked token").isEqualTo(401);
        }
        assertThat(fcm.messages()).extracting(ReceivedMessage::answeredWith).containsExactly(401, 200, 401);
    }

    @Test
    void scriptedRepliesComeInOrderWithFcmsStatusBodyAndRetryAfter() throws Exception {
        String token = accessToken(serviceAccountKey());
        fcm.enqueue(Reply.unregistered()).enqueue(Reply.quotaExceeded(Duration.ofSeconds(7)))
                .enqueue(Reply.senderIdMismatch());

        try (Response r = send(token, MESSAGE)) {
            assertThat(r.code()).isEqualTo(404);
            JsonNode error = JSON.readTree(r.body().string()).get("error");
            assertThat(error.get("status").asText()).isEqualTo("NOT_FOUND");
            assertThat(error.at("/details/0/@type").asText()).isEqualTo("type.googleapis.com/google.firebase.fcm.v1.FcmError");
            assertThat(error.at("/details/0/errorCode").asText()).isEqualTo("UNREGISTERED");
        }
        try (Response r = send(token, MESSAGE)) {
            assertThat(r.code()).isEqualTo(429);
            assertThat(r.header("Retry-After")).isEqualTo("7");
            assertThat(JSON.readTree(r.body().string()).at("/error/details/0/errorCode").asText())
                    .isEqualTo("QUOTA_EXCEEDED");
        }
        try (Response r = send(token, MESSAGE)) {
            assertThat(r.code()).isEqualTo(403);
        }
        try (Response r = send(token, MESSAGE)) {
            assertThat(r.code()).as("beyond the script: success").isEqualTo(200);
        }
    }

    @Test
    void messagesAreRecordedParsedAndTakenInOrder() throws Exception {
        String token = accessToken(serviceAccountKey());
        send(token, MESSAGE).close();
        send(token, MESSAGE.replace("a@b", "c@d")).close();

        ReceivedMessage first = fcm.takeMessage(Duration.ofSeconds(5));
        ReceivedMessage second = fcm.takeMessage(Duration.ofSeconds(5));
        assertThat(first.data()).containsEntry("account", "a@b");
        assertThat(second.data()).containsEntry("account", "c@d");
        assertThat(first.token()).isEqualTo("device-token-123456");
        assertThat(second.since(first).isNegative()).as("arrival times are monotonic").isFalse();
        assertThat(first.toString()).as("toString shortens the device token").doesNotContain("device-token-123456");
        assertThatThrownBy(() -> fcm.takeMessage(Duration.ofMillis(50))).isInstanceOf(AssertionError.class);
    }

    @Test
    void malformedMessagesAreRefusedAsFcmWould() throws Exception {
        String token = accessToken(serviceAccountKey());

        try (Response r = send(token, "{\"message\":{\"token\":\"t\",\"data\":{\"unread-messages\":1}}}")) {
            assertThat(r.code()).as("data values must be strings").isEqualTo(400);
        }
        try (Response r = send(token, "{\"message\":{\"data\":{}}}")) {
            assertThat(r.code()).as("a message needs a recipient").isEqualTo(400);
        }
        try (Response r = send(token, "{\"message\":{\"token\":\"t\",\"data\":{\"body\":\"" + "x".repeat(4100) + "\"}}}")) {
            assertThat(r.code()).as("data over 4096 bytes").isEqualTo(400);
            assertThat(r.body().string()).contains("Message too big");
        }
    }

    @Test
    void aDroppedConnectionGivesNoAnswer() throws Exception {
        String token = accessToken(serviceAccountKey());
        fcm.defaultReply(Reply.dropConnection());

        assertThatThrownBy(() -> send(token, MESSAGE).close()).isInstanceOf(IOException.class);
    }

    @Test
    void withoutRecordingSendsAreOnlyCounted() throws Exception {
        String token = accessToken(serviceAccountKey());
        fcm.recording(false);

        send(token, MESSAGE).close();

        assertThat(fcm.messageCount()).isEqualTo(1);
        assertThat(fcm.messages()).isEmpty();
    }
}
