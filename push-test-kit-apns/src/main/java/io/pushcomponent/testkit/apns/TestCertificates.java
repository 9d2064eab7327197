package io.pushcomponent.testkit.apns;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Throw-away PKI for {@link FakeApnsServer}: a CA, a server certificate for {@code localhost}, client
 * certificates shaped like Apple's push certificates (the bundle id in the subject's {@code UID}), and ES256
 * signing keys for token authentication. Files are written under one directory.
 *
 * <p>Thread-safe: the CA is immutable after construction and each method writes its own files.
 */
final class TestCertificates {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final Path directory;
    private final KeyPair caKeys;
    private final X509Certificate caCertificate;
    private final Path caCertificateFile;

    TestCertificates(Path directory) {
        this.directory = directory;
        try {
            caKeys = ecKeyPair();
            X500Principal caName = new X500Principal("CN=push-test-kit fake APNs CA, O=push-test-kit");
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caName, serial(),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), caName,
                    caKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            caCertificate = sign(builder, caKeys.getPrivate());
            caCertificateFile = directory.resolve("fake-apns-ca.pem");
            Files.writeString(caCertificateFile, pem("CERTIFICATE", caCertificate.getEncoded()),
                    StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate the fake APNs CA", e);
        }
    }

    X509Certificate caCertificate() {
        return caCertificate;
    }

    Path caCertificateFile() {
        return caCertificateFile;
    }

    /** A server certificate valid for {@code localhost} and {@code 127.0.0.1}, issued by the CA. */
    ServerCredentials serverCredentials() {
        try {
            KeyPair keys = ecKeyPair();
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCertificate, serial(),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365))),
                    new X500Principal("CN=localhost, O=push-test-kit"), keys.getPublic())
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                            new GeneralName(GeneralName.dNSName, "localhost"),
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1")}))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            return new ServerCredentials(new X509Certificate[] {sign(builder, caKeys.getPrivate()), caCertificate},
                    keys.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("cannot generate the fake APNs server certificate", e);
        }
    }

    /**
     * A client certificate for {@code topic} in a password-protected PKCS#12 file, shaped like an Apple push
     * certificate: subject {@code UID=<topic>, CN=Apple Push Services: <topic>}.
     */
    ClientCertificateFile clientCertificate(String topic, Instant notAfter, String password) {
        try {
            KeyPair keys = ecKeyPair();
            X500Principal subject = new X500Principal("UID=" + topic + ", CN=Apple Push Services: " + topic
                    + ", OU=FAKETEAM01, O=push-test-kit, C=US");
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCertificate, serial(),
                    Date.from(Instant.now().minus(Duration.ofDays(1))), Date.from(notAfter), subject,
                    keys.getPublic())
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            X509Certificate certificate = sign(builder, caKeys.getPrivate());
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("apns", keys.getPrivate(), password.toCharArray(),
                    new Certificate[] {certificate, caCertificate});
            Path file = directory.resolve("client-" + safeName(topic) + "-" + serial() + ".p12");
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password.toCharArray());
            }
            return new ClientCertificateFile(file, certificate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate a fake APNs client certificate", e);
        }
    }

    /** An ES256 key pair as Apple issues for token authentication; the private key written as a PEM {@code .p8}. */
    SigningKeyFile signingKey(String keyId) {
        try {
            KeyPair keys = ecKeyPair();
            Path file = directory.resolve("AuthKey_" + keyId + ".p8");
            Files.writeString(file, pem("PRIVATE KEY", keys.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
            return new SigningKeyFile(file, keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a fake APNs signing key", e);
        }
    }

    /** EC P-256 throughout: generating RSA keys would make every test that starts a server seconds slower. */
    private static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static String safeName(String topic) {
        return topic.replaceAll("[^A-Za-z0-9.-]", "_");
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    record ServerCredentials(X509Certificate[] chain, PrivateKey key) {
    }

    record ClientCertificateFile(Path file, X509Certificate certificate) {
    }

    record SigningKeyFile(Path file, KeyPair keys) {
    }
}
