package hexa.privacy;

import hexa.platform.config.HexaProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The erasure ledger: every erasure, as salted hashes of the erased person's identities (number, WhatsApp ids), kept
 * outside the database in the backup directory ({@code HEXA_BACKUP_DIR}, by default {@code <data>/backups}), so that a
 * restore of an older backup can find the people erased after it was taken and erase them again. It holds no personal
 * data: a hash is an HMAC-SHA256 of the workspace and the identity under a random salt kept beside the ledger
 * ({@code erasure-ledger.salt}); without the salt the hashes link to nobody.
 *
 * <p>One JSON object per line of {@code erasure-ledger.jsonl}: {@code {"at":"…","tenantId":"…","certificate":"…",
 * "hashes":["…"]}}. Lines are only ever appended.
 */
@Component
public class ErasureLedger {

    public static final String FILE = "erasure-ledger.jsonl";
    public static final String SALT = "erasure-ledger.salt";

    /** One erasure as the ledger keeps it. */
    public record Entry(Instant at, UUID tenantId, UUID certificate, List<String> hashes) {
    }

    private final Path directory;
    private final JsonMapper json = JsonMapper.builder().build();

    ErasureLedger(HexaProperties properties, @Value("${hexa.backup-dir:}") String backupDir) {
        this.directory = backupDir == null || backupDir.isBlank() ? properties.dataDir().resolve("backups") : Path.of(backupDir);
    }

    /** The directory holding the ledger and its salt (the backup directory). */
    public Path directory() {
        return directory;
    }

    /** The hash under which the ledger knows one identity of a person in a workspace. */
    public String hash(UUID tenantId, String identity) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt(), "HmacSHA256"));
            byte[] digest = mac.doFinal((tenantId + ":" + identity).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Appends an erasure (its identities are hashed here; they are never written). */
    public synchronized void append(Instant at, UUID tenantId, UUID certificate, List<String> identities) {
        List<String> hashes = identities.stream().filter(i -> i != null && !i.isBlank()).distinct().map(i -> hash(tenantId, i)).toList();
        var line = json.createObjectNode();
        line.put("at", at.toString());
        line.put("tenantId", tenantId.toString());
        line.put("certificate", certificate.toString());
        var array = line.putArray("hashes");
        hashes.forEach(array::add);
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve(FILE), json.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The erasures done after a moment (a backup's time), oldest first. */
    public List<Entry> after(Instant moment) {
        Path file = directory.resolve(FILE);
        List<Entry> entries = new ArrayList<>();
        if (!Files.exists(file)) {
            return entries;
        }
        try {
            for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (text.isBlank()) {
                    continue;
                }
                JsonNode line = json.readTree(text);
                Instant at = Instant.parse(line.path("at").asString());
                if (at.isAfter(moment)) {
                    List<String> hashes = new ArrayList<>();
                    line.path("hashes").forEach(h -> hashes.add(h.asString()));
                    entries.add(new Entry(at, UUID.fromString(line.path("tenantId").asString()), UUID.fromString(line.path("certificate").asString()), hashes));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    private byte[] salt() {
        Path file = directory.resolve(SALT);
        try {
            if (!Files.exists(file)) {
                synchronized (this) {
                    if (!Files.exists(file)) {
                        byte[] salt = new byte[32];
                        new SecureRandom().nextBytes(salt);
                        Files.createDirectories(directory);
                        Path temporary = directory.resolve(SALT + ".new");
                        Files.writeString(temporary, Base64.getEncoder().encodeToString(salt));
                        Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    }
                }
            }
            return Base64.getDecoder().decode(Files.readString(file).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
