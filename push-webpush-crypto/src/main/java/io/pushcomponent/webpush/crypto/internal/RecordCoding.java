package io.pushcomponent.webpush.crypto.internal;

import io.pushcomponent.webpush.crypto.WebPushCryptoException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code aes128gcm} content coding of RFC 8188: a header ({@code salt(16) || rs(4) || idlen(1) || keyid}) and
 * records of {@code rs} bytes, each AES-128-GCM over {@code data || delimiter || zero padding}, the delimiter 0x02 in
 * the last record and 0x01 in the others. Stateless and thread-safe.
 */
public final class RecordCoding {
    /** Length of the salt. */
    public static final int SALT_LENGTH = 16;
    /** Length of the header before the key id. */
    public static final int FIXED_HEADER_LENGTH = SALT_LENGTH + 4 + 1;
    private static final int TAG_LENGTH = 16;
    /** The smallest record size: one byte of data or padding, the delimiter and the tag. */
    public static final int MIN_RECORD_SIZE = TAG_LENGTH + 2;
    private static final byte[] CEK_INFO = "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NONCE_INFO = "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII);

    private RecordCoding() {
    }

    /**
     * The header of an encoded body.
     *
     * @param salt       the 16-byte salt
     * @param recordSize the record size
     * @param keyId      the key id (empty when none)
     * @param length     how many bytes of the body the header takes
     */
    public record Header(byte[] salt, int recordSize, byte[] keyId, int length) {
    }

    /** Reads the header of a body, checking its lengths. */
    public static Header header(byte[] body) {
        if (body.length < FIXED_HEADER_LENGTH) {
            throw new WebPushCryptoException("aes128gcm body shorter than its header (" + body.length + " bytes)");
        }
        ByteBuffer buffer = ByteBuffer.wrap(body);
        byte[] salt = new byte[SALT_LENGTH];
        buffer.get(salt);
        long recordSize = Integer.toUnsignedLong(buffer.getInt());
        int idLength = Byte.toUnsignedInt(buffer.get());
        if (recordSize < MIN_RECORD_SIZE || recordSize > Integer.MAX_VALUE) {
            throw new WebPushCryptoException("aes128gcm record size " + recordSize + " out of range");
        }
        if (buffer.remaining() < idLength) {
            throw new WebPushCryptoException("aes128gcm body shorter than its key id");
        }
        byte[] keyId = new byte[idLength];
        buffer.get(keyId);
        return new Header(salt, (int) recordSize, keyId, FIXED_HEADER_LENGTH + idLength);
    }

    /** The content-encryption key and base nonce derived from the input keying material and the salt. */
    public record Keys(byte[] cek, byte[] nonce) {
    }

    /** Derives the content-encryption key (16 bytes) and the base nonce (12 bytes), RFC 8188 section 2.2-2.3. */
    public static Keys keys(byte[] ikm, byte[] salt) {
        byte[] prk = Hkdf.extract(salt, ikm);
        return new Keys(Hkdf.expand(prk, CEK_INFO, 16), Hkdf.expand(prk, NONCE_INFO, 12));
    }

    /**
     * Encodes a body. The padding goes into the first records, before their data, so that every record but the last
     * is full.
     *
     * @param ikm        the input keying material
     * @param salt       16 random bytes
     * @param keyId      the key id (at most 255 bytes)
     * @param recordSize the record size, at least 18
     * @param padding    how many zero bytes of padding in all
     * @param plaintext  the content
     */
    public static byte[] encrypt(byte[] ikm, byte[] salt, byte[] keyId, int recordSize, int padding,
                                 byte[] plaintext) {
        if (salt.length != SALT_LENGTH) {
            throw new IllegalArgumentException("the salt is 16 bytes");
        }
        if (keyId.length > 255) {
            throw new IllegalArgumentException("the key id is at most 255 bytes");
        }
        if (recordSize < MIN_RECORD_SIZE) {
            throw new IllegalArgumentException("the record size is at least " + MIN_RECORD_SIZE);
        }
        if (padding < 0) {
            throw new IllegalArgumentException("padding must not be negative");
        }
        Keys keys = keys(ikm, salt);
        ByteArrayOutputStream out = new ByteArrayOutputStream(FIXED_HEADER_LENGTH + keyId.length
                + plaintext.length + padding + TAG_LENGTH + 1);
        out.writeBytes(salt);
        out.writeBytes(ByteBuffer.allocate(4).putInt(recordSize).array());
        out.write(keyId.length);
        out.writeBytes(keyId);
        int capacity = recordSize - TAG_LENGTH - 1;
        int dataLeft = plaintext.length;
        int padLeft = padding;
        int offset = 0;
        long sequence = 0;
        do {
            int pad = Math.min(padLeft, capacity);
            int data = Math.min(dataLeft, capacity - pad);
            padLeft -= pad;
            dataLeft -= data;
            boolean last = padLeft == 0 && dataLeft == 0;
            byte[] record = new byte[data + 1 + pad];
            System.arraycopy(plaintext, offset, record, 0, data);
            record[data] = (byte) (last ? 2 : 1);
            offset += data;
            out.writeBytes(cipher(Cipher.ENCRYPT_MODE, keys, sequence++, record, 0, record.length));
            if (last) {
                break;
            }
        } while (true);
        return out.toByteArray();
    }

    /** Decodes a body whose header was read by {@link #header}, with the input keying material for its key id. */
    public static byte[] decrypt(byte[] body, Header header, byte[] ikm) {
        Keys keys = keys(ikm, header.salt());
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
        int offset = header.length();
        long sequence = 0;
        if (offset == body.length) {
            throw new WebPushCryptoException("aes128gcm body has no record");
        }
        while (offset < body.length) {
            int length = Math.min(header.recordSize(), body.length - offset);
            if (length < TAG_LENGTH + 1) {
                throw new WebPushCryptoException("aes128gcm record " + sequence + " is shorter than a tag");
            }
            byte[] record = cipher(Cipher.DECRYPT_MODE, keys, sequence, body, offset, length);
            offset += length;
            int end = record.length - 1;
            while (end >= 0 && record[end] == 0) {
                end--;
            }
            if (end < 0) {
                throw new WebPushCryptoException("aes128gcm record " + sequence + " has no delimiter");
            }
            boolean lastInBody = offset == body.length;
            if (record[end] == 2 && !lastInBody) {
                throw new WebPushCryptoException("aes128gcm record " + sequence + " is marked last but more follow");
            }
            if (record[end] == 1 && lastInBody) {
                throw new WebPushCryptoException("aes128gcm body is truncated: its last record is not marked last");
            }
            if (record[end] != 1 && record[end] != 2) {
                throw new WebPushCryptoException("aes128gcm record " + sequence + " has an invalid delimiter");
            }
            out.write(record, 0, end);
            sequence++;
        }
        return out.toByteArray();
    }

    private static byte[] cipher(int mode, Keys keys, long sequence, byte[] input, int offset, int length) {
        byte[] nonce = Arrays.copyOf(keys.nonce(), keys.nonce().length);
        for (int i = 0; i < 8; i++) {
            nonce[nonce.length - 1 - i] ^= (byte) (sequence >>> (8 * i));
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(keys.cek(), "AES"), new GCMParameterSpec(TAG_LENGTH * 8, nonce));
            return cipher.doFinal(input, offset, length);
        } catch (AEADBadTagException e) {
            throw new WebPushCryptoException("aes128gcm record " + sequence
                    + " does not authenticate (wrong key or altered content)", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's AES-128-GCM failed", e);
        }
    }
}
