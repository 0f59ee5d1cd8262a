package hexa.privacy.backups;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The key that encrypts backups: {@code HEXA_BACKUP_KEY} (32 bytes, base64), or else the key file
 * {@code <data dir>/backup.key}, created readable by its owner only on first use. It is not the master key: a backup
 * carries the master key inside it, so the two must never be the same, and the backup key belongs somewhere other than
 * the backups (a password manager, another machine).
 */
public final class BackupKey {

    public static final String FILE = "backup.key";

    private BackupKey() {
    }

    /** The configured key ({@code base64} may be blank), or the data directory's key file, created if missing. */
    public static byte[] load(String base64, Path dataDir) {
        if (base64 != null && !base64.isBlank()) {
            return decode(base64, "HEXA_BACKUP_KEY");
        }
        return readOrCreate(dataDir.toAbsolutePath().resolve(FILE));
    }

    /** A key file that must exist (restoring needs the key that made the backup). */
    public static byte[] read(Path file) {
        try {
            return decode(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the backup key file " + file, e);
        }
    }

    static byte[] decode(String base64, String source) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(source + " must be base64 (generate one with: openssl rand -base64 32)");
        }
        if (raw.length != 32) {
            throw new IllegalStateException(source + " must be 32 bytes of base64 (openssl rand -base64 32), got " + raw.length + " bytes");
        }
        return raw;
    }

    /** Writes a key file readable by its owner only (a restored data directory gets the key that made its backup). */
    static void write(Path file, byte[] key) throws IOException {
        Files.createDirectories(file.getParent());
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n");
    }

    private static byte[] readOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                try {
                    write(file, key);
                } catch (FileAlreadyExistsException raced) {
                    // another node or command created it first; read theirs
                }
            }
            return read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read or create the backup key file " + file, e);
        }
    }
}
