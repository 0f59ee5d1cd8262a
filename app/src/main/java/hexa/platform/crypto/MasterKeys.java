package hexa.platform.crypto;

import hexa.platform.config.HexaProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys that protect secrets at rest. The current key comes from {@code HEXA_MASTER_KEY} (32 bytes,
 * base64) or from {@code <data dir>/master.key}, created on first run readable by its owner only.
 * Keys retired by a rotation ({@code HEXA_RETIRED_MASTER_KEYS}) still decrypt what they encrypted.
 */
public final class MasterKeys {

    private final String currentId;
    private final Map<String, SecretKey> keys;

    private MasterKeys(String currentId, Map<String, SecretKey> keys) {
        this.currentId = currentId;
        this.keys = keys;
    }

    public static MasterKeys load(HexaProperties properties) {
        byte[] current = properties.masterKey() != null && !properties.masterKey().isBlank()
                ? decode(properties.masterKey(), "HEXA_MASTER_KEY")
                : readOrCreateKeyFile(properties.dataDir().toAbsolutePath().resolve("master.key"));
        List<byte[]> all = new ArrayList<>();
        all.add(current);
        for (String retired : properties.retiredMasterKeys()) {
            if (!retired.isBlank()) {
                all.add(decode(retired, "HEXA_RETIRED_MASTER_KEYS"));
            }
        }
        return of(all);
    }

    /** The first key encrypts; all of them decrypt. */
    public static MasterKeys of(List<byte[]> rawKeys) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        for (byte[] raw : rawKeys) {
            keys.put(idOf(raw), new SecretKeySpec(raw, "AES"));
        }
        return new MasterKeys(idOf(rawKeys.get(0)), keys);
    }

    public static byte[] newRawKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    String currentId() {
        return currentId;
    }

    SecretKey current() {
        return keys.get(currentId);
    }

    SecretKey byId(String id) {
        return keys.get(id);
    }

    /** A short public name for a key: the start of its SHA-256. It reveals nothing about the key. */
    static String idOf(byte[] raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] decode(String base64, String source) {
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

    private static byte[] readOrCreateKeyFile(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                String encoded = Base64.getEncoder().encodeToString(newRawKey()) + "\n";
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, encoded);
                } catch (FileAlreadyExistsException raced) {
                    // another node created it first; read theirs
                }
            }
            return decode(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read or create the master key file " + file, e);
        }
    }
}
