package io.pushcomponent.component.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A throw-away self-signed EC certificate for {@code localhost} and {@code 127.0.0.1}, made by {@code openssl} as an
 * operator would make one for an XMPP server: PEM certificate and key (for Prosody), a server {@link SSLContext}
 * (for a Java test server) and a PKCS#12 trust store holding the certificate (for the component).
 *
 * @param certificate the PEM certificate file
 * @param key         the PEM PKCS#8 private key file
 * @param trustStore  a PKCS#12 trust store with the certificate, password {@link #TRUST_STORE_PASSWORD}
 */
public record SelfSignedCertificate(Path certificate, Path key, Path trustStore) {
    /** The trust store's password. */
    public static final String TRUST_STORE_PASSWORD = "trust-store-password";

    /** Makes one in {@code dir}, file names starting with {@code name}. */
    public static SelfSignedCertificate create(Path dir, String name) throws IOException, InterruptedException,
            GeneralSecurityException {
        Path certificate = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(), "-out", certificate.toString(),
                "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1")
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".openssl.log").toFile()).start();
        if (!openssl.waitFor(30, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
            openssl.destroyForcibly();
            throw new IOException("openssl could not make a certificate: "
                    + Files.readString(dir.resolve(name + ".openssl.log")));
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry(name, readCertificate(certificate));
        Path trustStore = dir.resolve(name + "-trust.p12");
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            trust.store(out, TRUST_STORE_PASSWORD.toCharArray());
        }
        return new SelfSignedCertificate(certificate, key, trustStore);
    }

    /** A TLS server context presenting this certificate. */
    public SSLContext serverContext() throws IOException, GeneralSecurityException {
        String pem = Files.readString(key, StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        PrivateKey privateKey = KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        char[] password = "key-password".toCharArray();
        keys.setKeyEntry("server", privateKey, password, new Certificate[] {readCertificate(certificate)});
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }

    private static Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
        return CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(file)));
    }
}
