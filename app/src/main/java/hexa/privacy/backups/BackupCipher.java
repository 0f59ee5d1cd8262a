package hexa.privacy.backups;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The encrypted backup file: AES-256-GCM in chunks, each chunk authenticated on its own, so a file of any size is
 * written and read as a stream.
 *
 * <p>The file starts with a plaintext header: the magic {@code HEXABKP1}, the format version, the backup key's id
 * (the start of its SHA-256, never the key), the moment the backup was taken and a random salt. Each file is encrypted
 * under its own key, derived from the backup key and the salt (HMAC-SHA256). Then come the chunks: a 4-byte length
 * (its top bit marks the last chunk) and the chunk's ciphertext with its tag. A chunk's nonce is its index; its
 * additional data is the header, its index and whether it is the last one, so a chunk moved, dropped, repeated or
 * altered, a header changed, or a file cut after any chunk is refused.
 */
public final class BackupCipher {

    static final byte[] MAGIC = "HEXABKP1".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT_VERSION = 1;
    static final int CHUNK = 1 << 20;
    private static final int TAG_BITS = 128;
    private static final int LAST = 0x8000_0000;

    private BackupCipher() {
    }

    /** What the plaintext header says, readable without the key. */
    public record Header(int version, String keyId, Instant takenAt, byte[] salt, byte[] bytes) {
    }

    /** A short public name for a backup key: the start of its SHA-256. */
    public static String keyId(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts an encrypted file on {@code out}; closing the returned stream writes the last chunk and closes {@code out}. */
    public static OutputStream encrypt(OutputStream out, byte[] key, Instant takenAt) throws IOException {
        byte[] salt = new byte[32];
        new SecureRandom().nextBytes(salt);
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(header);
        h.write(MAGIC);
        h.writeShort(FORMAT_VERSION);
        h.write(keyId(key).getBytes(StandardCharsets.US_ASCII));
        h.writeLong(takenAt.toEpochMilli());
        h.write(salt);
        h.flush();
        byte[] headerBytes = header.toByteArray();
        out.write(headerBytes);
        return new Encrypting(out, fileKey(key, salt), headerBytes);
    }

    /** Reads the header of an encrypted file (the stream is left at the first chunk). */
    public static Header header(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        byte[] magic = new byte[MAGIC.length];
        try {
            d.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new BackupRefused("This is not a Hexa CRM backup file (it does not start with " + new String(MAGIC, StandardCharsets.US_ASCII) + ")");
            }
            int version = d.readUnsignedShort();
            if (version != FORMAT_VERSION) {
                throw new BackupRefused("This backup file has format version " + version + "; this Hexa CRM reads version " + FORMAT_VERSION);
            }
            byte[] keyId = new byte[8];
            d.readFully(keyId);
            long takenAt = d.readLong();
            byte[] salt = new byte[32];
            d.readFully(salt);
            ByteBuffer bytes = ByteBuffer.allocate(MAGIC.length + 2 + 8 + 8 + 32);
            bytes.put(MAGIC).putShort((short) version).put(keyId).putLong(takenAt).put(salt);
            return new Header(version, new String(keyId, StandardCharsets.US_ASCII), Instant.ofEpochMilli(takenAt), salt, bytes.array());
        } catch (EOFException e) {
            throw new BackupRefused("The backup file is cut short: its header is incomplete");
        }
    }

    /**
     * The plaintext of an encrypted file, each chunk given out only once its tag is verified. A file made with another
     * key, altered or cut short raises {@link BackupRefused} (the end is checked when the last chunk is read).
     */
    public static InputStream decrypt(InputStream in, byte[] key) throws IOException {
        Header header = header(in);
        if (!header.keyId().equals(keyId(key))) {
            throw new BackupRefused("This backup was encrypted with the backup key " + header.keyId() + ", not with the key given ("
                    + keyId(key) + "): set HEXA_BACKUP_KEY or give the key file that made it");
        }
        return new Decrypting(in, fileKey(key, header.salt()), header.bytes());
    }

    private static SecretKeySpec fileKey(byte[] key, byte[] salt) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update("hexa-backup-file-key".getBytes(StandardCharsets.US_ASCII));
            return new SecretKeySpec(mac.doFinal(salt), "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Cipher cipher(int mode, SecretKeySpec key, byte[] header, long index, boolean last) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            byte[] nonce = ByteBuffer.allocate(12).putInt(0).putLong(index).array();
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(header);
            cipher.updateAAD(ByteBuffer.allocate(9).putLong(index).put((byte) (last ? 1 : 0)).array());
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Encrypting extends FilterOutputStream {
        private final SecretKeySpec key;
        private final byte[] header;
        private final byte[] buffer = new byte[CHUNK];
        private final DataOutputStream data;
        private int filled;
        private long index;
        private boolean closed;

        Encrypting(OutputStream out, SecretKeySpec key, byte[] header) {
            super(out);
            this.key = key;
            this.header = header;
            this.data = new DataOutputStream(out);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (filled == CHUNK) {
                    chunk(false);
                }
                int n = Math.min(len, CHUNK - filled);
                System.arraycopy(b, off, buffer, filled, n);
                filled += n;
                off += n;
                len -= n;
            }
        }

        private void chunk(boolean last) throws IOException {
            byte[] sealed;
            try {
                sealed = cipher(Cipher.ENCRYPT_MODE, key, header, index++, last).doFinal(buffer, 0, filled);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            data.writeInt(sealed.length | (last ? LAST : 0));
            data.write(sealed);
            filled = 0;
        }

        @Override
        public void flush() throws IOException {
            data.flush();
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            chunk(true);
            data.flush();
            out.close();
        }
    }

    private static final class Decrypting extends InputStream {
        private final DataInputStream in;
        private final SecretKeySpec key;
        private final byte[] header;
        private byte[] plain = new byte[0];
        private int position;
        private long index;
        private boolean ended;

        Decrypting(InputStream in, SecretKeySpec key, byte[] header) {
            this.in = new DataInputStream(in);
            this.key = key;
            this.header = header;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (position == plain.length) {
                if (ended) {
                    return -1;
                }
                next();
            }
            int n = Math.min(len, plain.length - position);
            System.arraycopy(plain, position, b, off, n);
            position += n;
            return n;
        }

        private void next() throws IOException {
            int length;
            byte[] sealed;
            try {
                length = in.readInt();
                boolean last = (length & LAST) != 0;
                length &= ~LAST;
                if (length < TAG_BITS / 8 || length > CHUNK + TAG_BITS / 8) {
                    throw new BackupRefused("The backup file is damaged: chunk " + index + " has an impossible length");
                }
                sealed = new byte[length];
                in.readFully(sealed);
                try {
                    plain = cipher(Cipher.DECRYPT_MODE, key, header, index, last).doFinal(sealed);
                } catch (AEADBadTagException e) {
                    throw new BackupRefused("The backup file has been altered or damaged: chunk " + index + " does not verify");
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
                position = 0;
                index++;
                if (last) {
                    ended = true;
                    if (in.read() != -1) {
                        throw new BackupRefused("The backup file has been altered: there are bytes after its last chunk");
                    }
                }
            } catch (EOFException e) {
                throw new BackupRefused("The backup file is cut short: it ends after " + index + " chunks, before its last one");
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
